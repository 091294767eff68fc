"""The applicant's journey: their profiles, create, edit, submit; the live verdict; cities."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cxc_portal.core.refusals import apply_errors

from .. import permissions as perms
from ..eligibility import evaluate
from ..form_sections import section_statuses
from ..forms import EasmeForm, OrganisationForm, RejectForm, SignatoryForm, parse_pk
from ..models import RepresentativeStatus
from ..selectors import (
    city_search,
    organisation_eligibility,
    organisation_eligibility_map,
    organisation_get,
    organisation_list_mine,
    organisation_timeline,
    participating_country_codes,
    preview_facts,
    representation_list_pending,
    representative_own_get,
    signatory_facts,
)
from ..services import organisation_create, organisation_submit, organisation_update
from ..services_changes import REVALIDATED, organisation_request_change


@login_required
def mine(request):
    """The profiles the user represents, with status and eligibility; else create or join."""
    today = timezone.localdate()
    organisations = organisation_list_mine(user=request.user)
    verdicts = organisation_eligibility_map(organisations, today=today, prospective=True)
    return render(
        request,
        "organisations/mine.html",
        {
            "rows": [(org, verdicts[org.pk]) for org in organisations],
            "requests": representation_list_pending(user=request.user),
        },
    )


@login_required
def create(request):
    """Create a draft profile; the creator becomes its representative with their data."""
    today = timezone.localdate()
    form = OrganisationForm(request.POST or None, today=today)
    signatory_form = SignatoryForm(request.POST or None, prefix="signatory")
    if request.method == "POST" and form.is_valid() & signatory_form.is_valid():
        try:
            organisation = organisation_create(
                actor=request.user,
                profile=form.to_data(),
                signatory=signatory_form.to_data(),
                today=today,
            )
        except ValidationError as exc:
            apply_errors(exc, form, signatory_form)
        else:
            messages.success(
                request,
                _("The profile is saved as a draft. Check it, then submit it for validation."),
            )
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "signatory_form": signatory_form,
            "verdict": _preview(form, signatory_form.preview_facts(), None, today)
            if request.method == "POST"
            else None,
            "sections": section_statuses(form, signatory_form),
        },
    )


@login_required
def detail(request, pk: int):
    """The profile page: data, live verdict with reasons, memberships, people, decisions."""
    today = timezone.localdate()
    organisation = organisation_get(user=request.user, pk=pk)
    user = request.user
    participating = participating_country_codes(today=today)
    verdict = organisation_eligibility(
        organisation, today=today, participating=participating, prospective=True
    )
    representatives = organisation.all_representatives
    is_rep = perms.is_representative(user, organisation)
    easme = getattr(organisation, "easme_pre_approval", None)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "verdict": verdict,
            "is_representative": is_rep,
            "active_representatives": [r for r in representatives if r.is_active],
            # Each request with whether this user may answer it (never their own request).
            "pending_requests": [
                (r, perms.can_decide_join_request(user, r))
                for r in representatives
                if r.status == RepresentativeStatus.PENDING
            ],
            "can_edit": perms.can_edit_organisation(user, organisation),
            "can_request_change": perms.can_request_change(user, organisation),
            "can_submit": is_rep and organisation.is_submittable,
            "can_decide": perms.can_decide_organisation(user, organisation)
            and organisation.status == "submitted",
            "can_record_easme": perms.can_record_easme(user, organisation),
            "easme": easme,
            "reject_form": RejectForm(),
            "easme_form": EasmeForm(initial=EasmeForm.initial_for(organisation)),
            "timeline": organisation_timeline(
                organisation=organisation,
                user=user,
                everything=request.GET.get("timeline") == "all",
            ),
            "participating": participating,
        },
    )


@login_required
def edit(request, pk: int):
    """Change a draft or rejected profile, or request a change to a validated one (its
    representatives only): see ``services_changes`` for what goes back to the partnership."""
    today = timezone.localdate()
    organisation = organisation_get(user=request.user, pk=pk)
    change_request = organisation.is_validated
    allowed = (
        perms.can_request_change(request.user, organisation)
        if change_request
        else perms.can_edit_organisation(request.user, organisation)
    )
    if not allowed:
        raise PermissionDenied(allowed.reason)
    form = OrganisationForm(request.POST or None, today=today, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            if change_request:
                outcome = organisation_request_change(
                    actor=request.user,
                    organisation=organisation,
                    profile=form.to_data(),
                    today=today,
                )
            else:
                organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    profile=form.to_data(),
                    today=today,
                )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            if change_request and outcome.needs_validation:
                messages.warning(
                    request,
                    _(
                        "The changes are saved. They matter for eligibility, so the profile "
                        "is back with %(p)s for validation: until then it cannot enter a new "
                        "exchange."
                    )
                    % {"p": outcome.organisation.validating_partnership.acronym},
                )
            else:
                messages.success(request, _("The profile is saved."))
            return redirect("organisations:detail", pk=organisation.pk)
    signatory = signatory_facts(_own_representative(request.user, organisation))
    return render(
        request,
        "organisations/form.html",
        {
            "form": form,
            "organisation": organisation,
            "change_request": change_request,
            "revalidated_labels": [
                form.fields[name].label
                for name in (*REVALIDATED, "clusters")
                if name in form.fields and not form.fields[name].widget.is_hidden
            ],
            "verdict": _preview(form, signatory, organisation, today),
            "sections": section_statuses(form),
        },
    )


@login_required
@require_POST
def submit(request, pk: int):
    organisation = organisation_get(user=request.user, pk=pk)
    try:
        organisation_submit(actor=request.user, organisation=organisation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The profile is submitted to %(p)s for validation. You will be told by e-mail.")
            % {"p": organisation.validating_partnership.acronym},
        )
    return redirect("organisations:detail", pk=organisation.pk)


def _own_representative(user, organisation):
    try:
        return representative_own_get(user=user, organisation=organisation)
    except Http404:
        return None


def _preview(form: OrganisationForm, signatory, organisation, today):
    """The live verdict of what is typed (R-ELIG-12); ``None`` until the type and the country
    are chosen (a verdict on a blank country would wrongly call it "not participating")."""
    values = form.preview_values()
    if not values["org_type"] or not values["country"]:
        return None
    facts = preview_facts(**values, signatory=signatory, organisation=organisation)
    return evaluate(
        facts, participating_countries=participating_country_codes(today=today), today=today
    )


@login_required
@require_POST
def eligibility_preview(request):
    """htmx: the verdict recomputed from the form as it is being typed (R-ELIG-12)."""
    today = timezone.localdate()
    organisation = None
    org_id = request.GET.get("organisation", "")
    if org_id:
        pk = parse_pk(org_id)
        if pk is None:
            raise Http404("No such organisation profile.")
        organisation = organisation_get(user=request.user, pk=pk)
        if not perms.is_representative(request.user, organisation):
            raise Http404("No such organisation profile.")
        signatory = signatory_facts(_own_representative(request.user, organisation))
        signatory_form = None
    else:
        signatory_form = SignatoryForm(request.POST, prefix="signatory")
        signatory = signatory_form.preview_facts()
    form = OrganisationForm(request.POST, today=today, organisation=organisation)
    return render(
        request,
        "organisations/includes/verdict_preview.html",
        {
            "verdict": _preview(form, signatory, organisation, today),
            # Out of band: the sections' status and each field's errors as typed now, so that
            # an error shown after a failed submit goes once its field is fixed.
            "sections": section_statuses(form, signatory_form),
            "live_errors_json": json.dumps(_live_errors(form, signatory_form)),
            "oob": True,
        },
    )


def _live_errors(*forms) -> dict[str, list[str]]:
    """Each field's errors for the current input, by the field's name in the page."""
    errors: dict[str, list[str]] = {}
    for form in forms:
        if form is None:
            continue
        form.is_valid()
        for name, field_errors in form.errors.items():
            if name != "__all__":
                errors[form.add_prefix(name)] = [str(m) for m in field_errors]
    return errors


@login_required
@require_GET
def cities(request):
    """htmx: the gazetteer's cities of the chosen country matching what was typed."""
    country = request.GET.get("country", "").upper()
    if not (len(country) == 2 and country.isascii() and country.isalpha()):
        country = ""  # not a country code: ask for the country rather than query with it
    # NUL characters cannot reach PostgreSQL (it refuses them with an error, not no match).
    query = request.GET.get("city_name", "").replace("\x00", "")[:100]
    return render(
        request,
        "organisations/includes/city_suggestions.html",
        {
            "cities": city_search(country=country, query=query),
            "query": query,
            "country": country,
        },
    )
