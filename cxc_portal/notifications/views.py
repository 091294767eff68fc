"""The Support Office's page of e-mails the portal gave up on; the development outbox."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cxc_portal.accounts.roles import require_support_office, user_roles

from . import selectors, services
from .models import Notification

#: The 403's reason for anyone but the Support Office.
UNDELIVERABLE_DENIED = gettext_lazy("Undeliverable e-mails are for the Support Office.")


@login_required
def undeliverable_list(request):
    """Newest first: recipient, subject, attempts, last error, time, and a retry button."""
    require_support_office(request.user, UNDELIVERABLE_DENIED)
    page = Paginator(selectors.notification_list_undeliverable(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/undeliverable.html", {"page": page})


@login_required
@require_POST
def undeliverable_retry(request, pk: int):
    require_support_office(request.user, UNDELIVERABLE_DENIED)
    try:
        notification = selectors.notification_get_for_support_office(user=request.user, pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    try:
        services.notification_retry(actor=request.user, notification=notification)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The e-mail to %(email)s is queued again.") % {"email": notification.to_email},
        )
    return redirect("notifications:undeliverable")


def _outbox_queryset(request):
    """The development outbox: only with DEBUG on and outside production, only for staff and
    superusers; a 404 otherwise (in production the page does not exist)."""
    if not settings.DEBUG or settings.PRODUCTION or not request.user.is_authenticated:
        raise Http404
    notifications = selectors.notification_list_outbox(user=request.user)
    if not user_roles(request.user).is_staff_like:
        raise Http404
    return notifications


def outbox_list(request):
    """Every stored e-mail, newest first: recipient, subject, time, state."""
    page = Paginator(_outbox_queryset(request), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page": page})


def outbox_detail(request, pk: int):
    """One stored e-mail with its whole text, as it was (or will be) sent."""
    try:
        notification = _outbox_queryset(request).get(pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "notifications/outbox_detail.html", {"notification": notification})
