"""Pages of the partnerships room: directory (R-PART-1), expressions of interest (R-PART-2),
staff inbox, matching and matches (R-MATCH-1, R-MATCH-2). Thin: parse, call one service or
selector, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from cxc_portal.accounts.roles import user_roles
from cxc_portal.core.refusals import apply_errors
from organisations.choices import ParticipantRole
from organisations.selectors import organisation_eligibility, participating_country_codes

from . import permissions, selectors, services
from .filters import InterestInboxFilter, MatchStaffFilter, PartnershipFilter
from .forms import (
    AcceptInterestForm,
    CatalogueSearchForm,
    DeclineForm,
    InterestForm,
    ProposeMatchForm,
)
from .matching import parts_from_dict
from .models import InterestStatus, MatchStatus
from .tables import InterestTable, MatchTable

CATALOGUE_PAGE_SIZE = 20
BEST_CANDIDATES = 10


def _refusal(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- answering an interest or a match: one view class for a one-click decision, one to decline --


def _timeline(request, record):
    """The record's history as the user may read it; ``?timeline=all`` lifts the cap."""
    everything = request.GET.get("timeline") == "all"
    return selectors.decision_timeline(record=record, user=request.user, everything=everything)


@dataclass(frozen=True)
class _Kind:
    """What the decision views need to know of a kind of record (interest or match)."""

    fetch: Callable  # selector (user, pk) -> record, scoped: 404 for one the user may not see
    subject: str  # the services' keyword for the record
    back: str  # the record's page (URL name)
    page: Callable  # renders that page (request, record, decline_form=...)


@method_decorator(login_required, name="dispatch")
class DecideView(View):
    """POST: a one-click decision on a ``kind`` of record (accept, withdraw) by the service
    ``act`` (rules and re-checks there), then back to the record's page with ``done`` or the
    refusal as a message. ``form_class``: optional fields passed on to the service."""

    http_method_names = ["post"]
    kind: _Kind | None = None
    act = None  # service (actor, <kind.subject>=record, **form data)
    done = ""
    form_class = None

    def post(self, request, pk: int):
        record = self.kind.fetch(user=request.user, pk=pk)
        extra = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            form.is_valid()
            extra = form.cleaned_data
        try:
            self.act(actor=request.user, **{self.kind.subject: record}, **extra)
        except ValidationError as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, self.done)
        return redirect(self.kind.back, pk=record.pk)


class DeclineView(DecideView):
    """POST: decline an interest (R-PART-2) or a match (R-MATCH-2) with a reason. ``denial``
    (user, record) -> text, empty when the user may decline, refuses before the form is read;
    a reason the service refuses stays next to the field with the text kept (the record's page
    again); a record decided meanwhile says so. GET: back to the record's page."""

    http_method_names = ["get", "post"]
    denial = None

    def get(self, request, pk: int):
        return redirect(self.kind.back, pk=self.kind.fetch(user=request.user, pk=pk).pk)

    def post(self, request, pk: int):
        record = self.kind.fetch(user=request.user, pk=pk)
        refused = self.denial(request.user, record)
        if refused:
            raise PermissionDenied(refused)
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                reason = form.cleaned_data["reason"]
                self.act(actor=request.user, **{self.kind.subject: record}, reason=reason)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # e.g. decided meanwhile: the form is gone
                    messages.error(request, _refusal(exc))
                    return redirect(self.kind.back, pk=record.pk)
                apply_errors(exc, form)
            else:
                messages.success(request, self.done)
                return redirect(self.kind.back, pk=record.pk)
        return self.kind.page(request, record, decline_form=form)


# --- directory (public) --------------------------------------------------------------------------


def directory(request):
    """R-PART-1: every partnership, filterable by ecosystem and country."""
    today = timezone.localdate()
    partnership_filter = PartnershipFilter(
        request.GET or None, queryset=selectors.partnership_list(today=today)
    )
    return render(
        request,
        "partnerships/directory.html",
        {"filter": partnership_filter, "partnerships": partnership_filter.qs},
    )


def partnership_detail(request, slug: str):
    """R-PART-1: a partnership's profile, with the "Express interest" buttons."""
    today = timezone.localdate()
    partnership = selectors.partnership_get(slug=slug)
    if request.user.is_authenticated:
        mine = selectors.applicant_organisation_list(user=request.user, today=today)
        roles = selectors.expressible_roles(mine)
    else:  # anonymous visitors see both buttons; they are asked to log in first
        mine, roles = [], [ParticipantRole.VISITOR, ParticipantRole.HOST]
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "is_open": selectors.partnership_is_open(partnership, today=today),
            "mine": mine,
            "express_roles": roles,
        },
    )


# --- expressions of interest ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, slug: str):
    """R-PART-2: the expression of interest, for a role the eligibility engine allows."""
    today = timezone.localdate()
    partnership = selectors.partnership_get(slug=slug)
    mine = selectors.applicant_organisation_list(user=request.user, today=today)
    usable = [a for a in mine if a.organisation.is_validated and a.allowed_roles()]
    is_open = selectors.partnership_is_open(partnership, today=today)
    if not usable or not is_open:
        return render(
            request,
            "partnerships/interest_unavailable.html",
            {"partnership": partnership, "mine": mine, "is_open": is_open},
        )
    roles = selectors.expressible_roles(usable)
    initial = {}
    if request.GET.get("role") in roles:
        initial["role"] = request.GET["role"]
    form = InterestForm(
        request.POST or None,
        initial=initial,
        organisations=[a.organisation for a in usable],
        roles=roles,
        country_codes=participating_country_codes(today=today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interest = services.interest_submit(
                actor=request.user,
                organisation=data["organisation"],
                partnership=partnership,
                role=data["role"],
                objectives=data["objectives"],
                activity_types=data["activity_types"],
                preferred_countries=data["preferred_countries"],
                ecosystems=data["ecosystems"],
                period_from=data["period_from"],
                period_until=data["period_until"],
                can_host_several=data["can_host_several"],
                today=today,
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            messages.success(
                request,
                _("Your expression of interest was sent to %(p)s.") % {"p": partnership.acronym},
            )
            return redirect("partnerships:interest_detail", pk=interest.pk)
    return render(
        request,
        "partnerships/interest_form.html",
        {"partnership": partnership, "form": form, "mine": usable},
    )


@login_required
def interest_list(request):
    """The applicant's expressions of interest, with their status and the way to matches."""
    return render(
        request,
        "partnerships/interest_list.html",
        {
            "interests": selectors.interest_list_for_applicant(user=request.user),
            "represents_any": bool(permissions.represented_organisation_ids(request.user)),
        },
    )


def _interest_page(request, interest, *, status: int = 200, decline_form=None):
    user = request.user
    today = timezone.localdate()
    return render(
        request,
        "partnerships/interest_detail.html",
        {
            "interest": interest,
            "verdict": organisation_eligibility(interest.organisation, today=today).for_role(
                interest.role
            ),
            "can_decide": permissions.can_decide_interest(user, interest)
            and interest.status == InterestStatus.SUBMITTED,
            "is_decider": permissions.can_decide_interest(user, interest),
            "can_withdraw": permissions.can_withdraw_interest(user, interest),
            "can_match": permissions.can_propose_from(user, interest),
            "matches": selectors.interest_matches(interest=interest),
            "timeline": _timeline(request, interest),
            "accept_form": AcceptInterestForm(),
            "decline_form": decline_form or DeclineForm(),
        },
        status=status,
    )


@login_required
def interest_detail(request, pk: int):
    return _interest_page(request, selectors.interest_get(user=request.user, pk=pk))


INTEREST = _Kind(selectors.interest_get, "interest", "partnerships:interest_detail", _interest_page)


interest_accept = DecideView.as_view(
    kind=INTEREST,
    act=services.interest_accept,
    form_class=AcceptInterestForm,
    done=_lazy("Expression of interest accepted; the applicant is told."),
)


def _interest_decline_denial(user, interest) -> str:
    if permissions.can_decide_interest(user, interest):
        return ""
    return _("Only the staff of %(p)s may decide on this expression of interest.") % {
        "p": interest.partnership.acronym
    }


interest_decline = DeclineView.as_view(
    kind=INTEREST,
    act=services.interest_decline,
    denial=_interest_decline_denial,
    done=_lazy("Expression of interest declined; the applicant is told."),
)


interest_withdraw = DecideView.as_view(
    kind=INTEREST,
    act=services.interest_withdraw,
    done=_lazy("Expression of interest withdrawn."),
)


@login_required
def staff_inbox(request):
    """The partnership's inbox of interests; the Support Office reads every inbox."""
    roles = user_roles(request.user)
    if not (roles.is_partnership_staff or roles.is_support_office):
        raise PermissionDenied(_("The inbox is for partnership staff and the Support Office."))
    data = request.GET.copy()
    # Staff open their inbox on what they must decide ("All" sends an empty status); the
    # Support Office, which decides nothing here, opens on everything.
    if "status" not in data and roles.is_partnership_staff:
        data["status"] = InterestInboxFilter.DEFAULT_STATUS
    inbox_filter = InterestInboxFilter(
        data,
        queryset=selectors.interest_inbox(user=request.user),
        partnerships=selectors.staff_partnership_list(user=request.user),
    )
    table = InterestTable(inbox_filter.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "partnerships/staff_inbox.html",
        {
            "filter": inbox_filter,
            "table": table,
            "read_only": not roles.is_partnership_staff,
        },
    )


# --- matching ------------------------------------------------------------------------------------


@login_required
def matching(request, pk: int):
    """R-MATCH-2: for an accepted interest, the best candidates first, then the searchable
    catalogue of every validated profile of the other role, each with its score and parts."""
    today = timezone.localdate()
    interest = selectors.interest_get(user=request.user, pk=pk)
    if interest.status != InterestStatus.ACCEPTED:
        return render(request, "partnerships/matching_unavailable.html", {"interest": interest})
    result = selectors.matching_for_interest(interest=interest, today=today, best=BEST_CANDIDATES)
    form = CatalogueSearchForm(
        request.GET or None,
        country_codes=result.verdicts.participating,
        ecosystems=selectors.ecosystem_list(),
    )
    criteria: dict = {}
    if form.is_bound:
        form.is_valid()  # a bad parameter (?country=ZZ) drops only itself, the others apply
        criteria = form.cleaned_data
    best = result.best(BEST_CANDIDATES)
    # R-MATCH-2: best first, then the catalogue — which, while nobody searches, does not
    # repeat the best list; a search looks through every candidate, the best included.
    searching = any(
        criteria.get(key)
        for key in ("q", "country", "ecosystem", "only_possible", "same_partnership")
    )
    sort = criteria.get("sort") or "score"
    catalogue = selectors.catalogue_queryset(
        result,
        exclude_ids=frozenset() if searching else frozenset(c.organisation.pk for c in best),
        q=criteria.get("q", ""),
        country=criteria.get("country", ""),
        ecosystem=criteria.get("ecosystem", ""),
        only_possible=criteria.get("only_possible", False),
        partnership_id=interest.partnership_id if criteria.get("same_partnership") else None,
        sort=sort,
    )
    # Paginated by the database (issue 12): a count and one page of ids, then that page scored.
    page = Paginator(catalogue.values_list("pk", flat=True), CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = None
    if not searching and sort == "score" and page.number == 1:
        # The pre-selection's query already sorted the candidates: no second sort (issue 12).
        ids = selectors.catalogue_first_page_ids(
            result, shown=frozenset(c.organisation.pk for c in best), size=CATALOGUE_PAGE_SIZE
        )
    page.object_list = selectors.catalogue_page(
        result, ids if ids is not None else list(page.object_list), sort=sort
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "interest": interest,
        "result": result,
        "best": best,
        "best_left_out": 0 if searching else len(best),
        "page": page,
        "catalogue_count": page.paginator.count,
        "form": form,
        "query": query.urlencode(),
        "can_propose": permissions.can_propose_from(request.user, interest)
        and result.accepted_match is None,
        "on_behalf": permissions.proposes_on_behalf(request.user, interest),
        "for_you": permissions.represents(request.user, interest.organisation_id),
        "labels": selectors.reference_labels(),
        "other_role": permissions.other_side(interest.role),
    }
    if (
        request.htmx
        and request.htmx.target == "catalogue"
        and not request.htmx.history_restore_request
    ):
        return render(request, "partnerships/includes/catalogue.html", context)
    return render(request, "partnerships/matching.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def match_propose(request, pk: int, org_pk: int):
    """R-MATCH-1: confirm a proposal (any score above zero) and send it to the other side."""
    today = timezone.localdate()
    interest = selectors.interest_get(user=request.user, pk=pk)
    if not permissions.can_propose_from(request.user, interest):
        raise PermissionDenied(
            _(
                "Only a representative of %(org)s, or the staff of its partnership on its "
                "behalf, may propose matches, once its expression of interest is accepted."
            )
            % {"org": interest.organisation.legal_name}
        )
    counterpart = selectors.counterpart_get(pk=org_pk)
    form = ProposeMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_propose(
                actor=request.user,
                interest=interest,
                counterpart=counterpart,
                message=form.cleaned_data["message"],
                today=today,
            )
        except ValidationError as exc:
            apply_errors(exc, form)
        else:
            messages.success(
                request,
                _("Your proposal was sent to %(org)s.") % {"org": counterpart.legal_name},
            )
            return redirect("partnerships:match_detail", pk=match.pk)
    return render(
        request,
        "partnerships/match_propose.html",
        {
            "interest": interest,
            "counterpart": counterpart,
            "terms": selectors.match_terms(interest=interest, counterpart=counterpart, today=today),
            "on_behalf": permissions.proposes_on_behalf(request.user, interest),
            "form": form,
            "labels": selectors.reference_labels(),
        },
    )


@login_required
def match_list(request):
    """The applicant's matches (to answer, waiting, confirmed, closed) and, for staff, the
    matches where their partnership is VOP or HOP."""
    user = request.user
    roles = user_roles(user)
    context: dict = {"roles": roles}
    if permissions.represented_organisation_ids(user):
        context["groups"] = selectors.applicant_match_groups(user=user)
    if roles.is_partnership_staff or roles.is_support_office:
        staff_filter = MatchStaffFilter(
            request.GET or None, queryset=selectors.match_list_for_staff(user=user)
        )
        table = MatchTable(staff_filter.qs)
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        context.update({"filter": staff_filter, "table": table})
    return render(request, "partnerships/match_list.html", context)


def _match_page(request, match, *, decline_form=None, status: int = 200):
    user = request.user
    confirm_blockers = (
        selectors.match_confirm_blockers(match, today=timezone.localdate())
        if match.status == MatchStatus.PROPOSED
        else []
    )
    return render(
        request,
        "partnerships/match_detail.html",
        {
            "match": match,
            "parts": parts_from_dict(match.score_parts),
            "labels": selectors.reference_labels(),
            "sides": permissions.match_sides_of(user, match),
            "can_answer": permissions.can_answer_match(user, match),
            "confirm_blockers": confirm_blockers,
            "can_withdraw": permissions.can_withdraw_match(user, match),
            "can_encode": permissions.can_encode_exchange(user, match),
            "exchange": selectors.match_exchange(match),
            "timeline": _timeline(request, match),
            "decline_form": decline_form or DeclineForm(),
        },
        status=status,
    )


@login_required
def match_detail(request, pk: int):
    return _match_page(request, selectors.match_get(user=request.user, pk=pk))


MATCH = _Kind(selectors.match_get, "match", "partnerships:match_detail", _match_page)


match_accept = DecideView.as_view(
    kind=MATCH,
    act=services.match_accept,
    done=_lazy("Match confirmed. The partnerships can now encode the exchange."),
)


match_withdraw = DecideView.as_view(
    kind=MATCH,
    act=services.match_withdraw,
    done=_lazy("Proposal withdrawn."),
)


def _match_decline_denial(user, match) -> str:
    if permissions.other_side(match.proposed_by_role) in permissions.match_sides_of(user, match):
        return ""
    return _("Only the organisation that received this proposal may decline it.")


match_decline = DeclineView.as_view(
    kind=MATCH,
    act=services.match_decline,
    denial=_match_decline_denial,
    done=_lazy("Proposal declined; the other organisation is told."),
)
