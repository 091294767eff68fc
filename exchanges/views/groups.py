"""Group ("mission") pages (R-EXC-7): list, create, detail with its exchanges, membership and
bulk actions on drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxc_portal.accounts.roles import user_roles
from cxc_portal.core.refusals import apply_errors

from .. import selectors, services
from ..calendar import working_days
from ..forms import GroupAddForm, GroupBulkForm, GroupForm
from ..models import ExchangeStatus
from ..permissions import (
    DENIALS,
    can_create_exchanges,
    can_manage_group,
    can_steer_exchange,
    can_view_exchange,
)
from ._helpers import flash_errors


def _staff_only(request) -> None:
    if not user_roles(request.user).is_staff_like:
        raise PermissionDenied(_("Groups are managed by partnership staff."))


@login_required
def group_list(request):
    _staff_only(request)
    return render(
        request,
        "exchanges/group_list.html",
        {
            "groups": list(selectors.group_list(user=request.user)),
            "can_create": can_create_exchanges(request.user),
        },
    )


@login_required
def group_create(request):
    _staff_only(request)
    if not can_create_exchanges(request.user):
        raise PermissionDenied(DENIALS["group"])
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except PermissionDenied as denied:
            form.add_error("vop", str(denied))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Group created."))
            return redirect("exchanges:group_detail", pk=group.pk)
    return render(request, "exchanges/group_form.html", {"form": form})


@login_required
def group_edit(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    if not can_manage_group(request.user, group):
        raise PermissionDenied(DENIALS["group"])
    form = GroupForm(
        request.POST or None,
        edit=True,
        initial={
            "name": group.name,
            "start_date": group.start_date,
            "end_date": group.end_date,
            "plan_notes": group.plan_notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Group updated."))
            return redirect("exchanges:group_detail", pk=pk)
    return render(request, "exchanges/group_form.html", {"form": form, "group": group})


def _detail(request, group, *, add_form=None, bulk_form=None, status=200):
    manage = can_manage_group(request.user, group)
    exchanges = list(group.exchanges.all())
    # A mission gathers visitors of several partnerships: a group manager may not see or steer
    # every member exchange (R-EXC-6), so each row offers only what its service would allow.
    rows = [
        {
            "exchange": e,
            "working_days": working_days(e.start_date, e.end_date, str(group.host.country.code)),
            "is_draft": e.status == ExchangeStatus.DRAFT,
            "can_open": can_view_exchange(request.user, e),
            "can_change": manage
            and e.status == ExchangeStatus.DRAFT
            and can_steer_exchange(request.user, e),
        }
        for e in exchanges
    ]
    if manage and add_form is None:
        add_form = GroupAddForm(
            candidates=selectors.group_candidate_exchanges(user=request.user, group=group)
        )
    if manage and bulk_form is None:
        bulk_form = GroupBulkForm(group_exchanges=group.exchanges.all())
    shared_days = (
        working_days(group.start_date, group.end_date, str(group.host.country.code))
        if group.start_date and group.end_date
        else None
    )
    return render(
        request,
        "exchanges/group_detail.html",
        {
            "group": group,
            "rows": rows,
            "can_manage": manage,
            "add_form": add_form,
            "bulk_form": bulk_form,
            "shared_days": shared_days,
            "timeline": selectors.group_timeline(
                group=group, user=request.user, everything=request.GET.get("timeline") == "all"
            ),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def group_detail(request, pk: int):
    _staff_only(request)
    return _detail(request, selectors.group_get(user=request.user, pk=pk))


@require_POST
@login_required
def group_add(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    if not can_manage_group(request.user, group):
        raise PermissionDenied(DENIALS["group"])
    # The choice is wider than the candidates (any exchange the user sees), so that the service,
    # not the form, explains why e.g. a contracted exchange cannot join (R-EXC-7).
    form = GroupAddForm(request.POST, candidates=selectors.exchange_list(user=request.user))
    if form.is_valid():
        try:
            exchange = services.group_add_exchange(
                group=group, exchange=form.cleaned_data["exchange"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("%(ref)s joined the group.") % {"ref": exchange.reference})
            return redirect("exchanges:group_detail", pk=pk)
    group = selectors.group_get(user=request.user, pk=pk)
    return _detail(request, group, add_form=form)


@require_POST
@login_required
def group_remove(request, pk: int, exchange_id: int):
    group = selectors.group_get(user=request.user, pk=pk)
    exchange = next((e for e in group.exchanges.all() if e.pk == exchange_id), None)
    if exchange is None:
        messages.error(request, _("This exchange is not in the group."))
        return redirect("exchanges:group_detail", pk=pk)
    try:
        services.group_remove_exchange(group=group, exchange=exchange, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    else:
        messages.success(request, _("%(ref)s left the group.") % {"ref": exchange.reference})
    return redirect("exchanges:group_detail", pk=pk)


@require_POST
@login_required
def group_bulk(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    if not can_manage_group(request.user, group):
        raise PermissionDenied(DENIALS["group"])
    form = GroupBulkForm(request.POST, group_exchanges=group.exchanges.all())
    if form.is_valid():
        try:
            count = services.group_bulk(
                group=group,
                actor=request.user,
                action=form.cleaned_data["action"],
                exchanges=list(form.cleaned_data["exchanges"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Done for %(count)d exchanges.") % {"count": count})
            return redirect("exchanges:group_detail", pk=pk)
    group = selectors.group_get(user=request.user, pk=pk)
    return _detail(request, group, bulk_form=form)
