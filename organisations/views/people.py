"""Joining an existing profile, answering requests to join, a representative's own data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxc_portal.core.refusals import apply_errors

from ..forms import JoinSearchForm, SignatoryForm
from ..selectors import (
    organisation_get,
    organisation_joinable_get,
    organisation_joinable_list,
    representative_get,
    representative_own_get,
)
from ..services_representatives import (
    representative_approve,
    representative_decline,
    representative_request_join,
    representative_update,
)


@login_required
def join(request):
    """Search the submitted and validated profiles to ask to join one."""
    form = JoinSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = organisation_joinable_list(user=request.user, query=form.cleaned_data["q"])
    return render(request, "organisations/join.html", {"form": form, "results": results})


@login_required
def join_request(request, pk: int):
    """Ask to represent one profile, giving one's own signatory data."""
    organisation = organisation_joinable_get(pk=pk)
    form = SignatoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            representative_request_join(
                actor=request.user, organisation=organisation, signatory=form.to_data()
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(org)s is sent. Its representatives or its "
                    "partnership will answer; you will be told by e-mail."
                )
                % {"org": organisation.legal_name},
            )
            return redirect("organisations:mine")
    return render(
        request, "organisations/join_request.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def representative_answer(request, pk: int, decision: str):
    """Approve or decline a request to join (representatives or partnership staff)."""
    representative = representative_get(user=request.user, pk=pk)
    service = representative_approve if decision == "approve" else representative_decline
    try:
        service(actor=request.user, representative=representative)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if decision == "approve":
            text = _("%(user)s now represents the organisation.")
        else:
            text = _("The request of %(user)s is declined.")
        messages.success(
            request,
            text % {"user": representative.user.get_full_name() or representative.user.email},
        )
    return redirect("organisations:detail", pk=representative.organisation_id)


@login_required
def my_details(request, pk: int):
    """A representative's own signatory data for one organisation (R-ELIG-9, R-ELIG-10)."""
    organisation = organisation_get(user=request.user, pk=pk)
    representative = representative_own_get(user=request.user, organisation=organisation)
    form = SignatoryForm(request.POST or None, instance=representative)
    if request.method == "POST" and form.is_valid():
        try:
            representative_update(
                actor=request.user,
                representative=representative,
                signatory=form.to_data(),
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/my_details.html",
        {"form": form, "organisation": organisation},
    )
