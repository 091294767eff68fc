"""The staff journey: the queue of profiles, validation, rejection; EASME (Support Office)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from cxc_portal.accounts.roles import user_roles
from cxc_portal.core.refusals import apply_errors

from .. import permissions as perms
from ..filters import OrganisationQueueFilter
from ..forms import EasmeForm, RejectForm
from ..selectors import (
    organisation_eligibility_map,
    organisation_get,
    organisation_queue_next,
    organisation_staff_queue,
)
from ..services import easme_pre_approval_record, organisation_reject, organisation_validate
from ..tables import OrganisationQueueTable


@login_required
def staff_queue(request):
    """Profiles of the staff member's partnerships (all for the Support Office), filtered;
    by default those waiting for a decision."""
    if not user_roles(request.user).is_staff_like:
        raise PermissionDenied(_("Only partnership staff and the Support Office see this list."))
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "submitted"
    queryset = organisation_staff_queue(user=request.user)
    filterset = OrganisationQueueFilter(data, queryset=queryset, request=request)
    table = OrganisationQueueTable(filterset.qs, today=timezone.localdate())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    table.verdicts = organisation_eligibility_map(
        [row.record for row in table.page.object_list],
        today=timezone.localdate(),
        prospective=True,
    )
    return render(request, "organisations/staff_queue.html", {"filter": filterset, "table": table})


@login_required
@require_POST
def validate(request, pk: int):
    organisation = organisation_get(user=request.user, pk=pk)
    try:
        organisation_validate(actor=request.user, organisation=organisation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        return _to_next_profile(
            request, organisation, _("The profile is validated; its representatives are told.")
        )
    return redirect("organisations:detail", pk=organisation.pk)


def _to_next_profile(request, decided, done: str):
    """After a decision, straight on to the profile waiting longest (or, when none waits,
    back to the decided one), saying both in one message."""
    following = organisation_queue_next(user=request.user, after=decided)
    if following is None:
        then = _("No other profile is waiting for your decision.")
        target = decided
    else:
        then = _("Next in the queue, waiting longest: %(name)s.") % {"name": following.legal_name}
        target = following
    messages.success(request, f"{done} {then}")
    return redirect("organisations:detail", pk=target.pk)


@login_required
def reject(request, pk: int):
    organisation = organisation_get(user=request.user, pk=pk)
    allowed = perms.can_decide_organisation(request.user, organisation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_reject(
                actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            return _to_next_profile(
                request, organisation, _("The profile is rejected; its representatives are told.")
            )
    return render(
        request, "organisations/reject.html", {"form": form, "organisation": organisation}
    )


@login_required
def easme(request, pk: int):
    """R-ELIG-6: the Support Office records EASME's pre-approval of an SME as host."""
    organisation = organisation_get(user=request.user, pk=pk)
    allowed = perms.can_record_easme(request.user, organisation)
    if not allowed:
        raise PermissionDenied(allowed.reason)
    form = EasmeForm(request.POST or None, initial=EasmeForm.initial_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            easme_pre_approval_record(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _("EASME's pre-approval is recorded."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/easme.html", {"form": form, "organisation": organisation})
