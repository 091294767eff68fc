"""What the home page shows a logged-in user: the work queue (staff, Support Office) or where
their organisation stands in its journey (applicants).

Wiring level (like ``urls.py``): the work queue's sections are registered by the rooms
(``cxc_portal.core.work_queue``); the journey reads each room's scoped selectors, so it shows
exactly what the user would find on the linked pages; no model is queried here. A constant
number of queries per role, whatever the data (pinned in tests/foundation/test_dashboard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.accounts.roles import user_roles
from cxc_portal.core.work_queue import (
    JOURNEY_STEPS,
    NextStep,
    StepState,
    WorkQueue,
    journey_refinement,
    work_queue,
)
from exchanges.selectors import exchange_list_for_journey
from organisations.selectors import organisation_list_mine
from partnerships.selectors import applicant_match_groups, interest_counts_by_organisation
from payments.selectors import MoneyFacts, money_facts_for_journey
from reports.selectors import far_due_date

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

STEP_LABELS = {
    "profile": gettext_lazy("Profile"),
    "interest": gettext_lazy("Expression of interest"),
    "match": gettext_lazy("Match"),
    "exchange": gettext_lazy("Exchange"),
    "documents": gettext_lazy("Documents to sign"),
    "stay": gettext_lazy("Stay"),
    "report": gettext_lazy("Final report"),
    "evidence": gettext_lazy("Evidence"),
    "payment": gettext_lazy("Payment"),
}
STATE_LABELS = {
    StepState.DONE: gettext_lazy("done"),
    StepState.CURRENT: gettext_lazy("now"),
    StepState.TODO: gettext_lazy("later"),
    StepState.NOT_APPLICABLE: gettext_lazy("not for this role"),
}


@dataclass(frozen=True)
class JourneyStep:
    key: str
    state: StepState
    note: str = ""

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.key])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Journey:
    """Where one organisation stands: its steps, the one next step and its deadline."""

    organisation: Any
    exchange: Any
    role: str  # "visitor", "host" or "" (no exchange yet)
    steps: list[JourneyStep]
    next_step: NextStep | None
    today: date

    @property
    def is_overdue(self) -> bool:
        due = self.next_step.due if self.next_step else None
        return due is not None and due < self.today


def _journey(
    organisation,
    *,
    exchange,
    interests: dict[str, int],
    matches: dict[str, list],
    money: MoneyFacts | None,
    refined: dict[str, NextStep | None],
    today: date,
) -> Journey:
    """The steps of ``organisation``'s journey (issue 13), from what each room records."""
    steps: list[JourneyStep] = []
    actions: dict[str, NextStep] = {}

    def step(key: str, state: StepState, note: str = "", action: NextStep | None = None):
        steps.append(JourneyStep(key, state, note))
        if state == StepState.CURRENT:
            actions[key] = refined.get(key) or action or NextStep(note)

    org_url = reverse("organisations:detail", kwargs={"pk": organisation.pk})
    # profile (R-ELIG-5)
    if organisation.status == "validated":
        step("profile", StepState.DONE, _("Validated"))
    elif organisation.status == "submitted":
        partnership = organisation.validating_partnership
        step(
            "profile",
            StepState.CURRENT,
            _("Submitted: waiting for %(p)s to validate it")
            % {"p": partnership.acronym if partnership else _("the partnership")},
            NextStep(_("Wait for your partnership to validate your profile"), org_url),
        )
    else:
        step(
            "profile",
            StepState.CURRENT,
            _("Not submitted yet"),
            NextStep(_("Complete and submit your organisation's profile"), org_url),
        )
    validated = organisation.status == "validated"
    interest_list = reverse("partnerships:interest_list")
    # expression of interest (R-PART-2)
    if exchange is not None or interests.get("accepted"):
        step("interest", StepState.DONE, _("Accepted"))
    elif interests.get("waiting"):
        step(
            "interest",
            StepState.CURRENT,
            _("Waiting for the partnership's answer"),
            NextStep(_("Wait for the partnership's answer to your interest"), interest_list),
        )
    elif validated:
        step(
            "interest",
            StepState.CURRENT,
            _("None yet"),
            NextStep(_("Express interest to a partnership"), reverse("partnerships:directory")),
        )
    else:
        step("interest", StepState.TODO)
    # match (R-MATCH-2)
    to_answer, waiting, accepted = matches["to_answer"], matches["waiting"], matches["accepted"]
    if exchange is not None or accepted:
        step("match", StepState.DONE, _("Confirmed"))
    elif to_answer:
        step(
            "match",
            StepState.CURRENT,
            _("A proposal waits for your answer"),
            NextStep(
                _("Answer the match proposal"),
                reverse("partnerships:match_detail", kwargs={"pk": to_answer[0].pk}),
            ),
        )
    elif waiting:
        step(
            "match",
            StepState.CURRENT,
            _("Your proposal waits for the other side's answer"),
            NextStep(_("Wait for the other side to answer your proposal"), interest_list),
        )
    elif interests.get("accepted"):
        step(
            "match",
            StepState.CURRENT,
            _("None yet"),
            NextStep(_("Find a match and propose it"), interest_list),
        )
    else:
        step("match", StepState.TODO)
    # exchange (R-EXC-6: encoded by the partnership)
    if exchange is not None:
        exchange_url = reverse("exchanges:detail", kwargs={"pk": exchange.pk})
        step("exchange", StepState.DONE, exchange.reference)
    elif accepted:
        step(
            "exchange",
            StepState.CURRENT,
            _("Your partnership encodes it"),
            NextStep(_("Wait for your partnership to encode the exchange")),
        )
    else:
        step("exchange", StepState.TODO)
    if exchange is None:
        for key in ("documents", "stay", "report", "evidence", "payment"):
            step(key, StepState.TODO)
        return Journey(organisation, None, "", steps, _first(actions), today)

    role = "visitor" if exchange.visitor_id == organisation.pk else "host"
    status = exchange.status
    stay_over = exchange.end_date < today or status in ("executed", "closed")
    # documents to sign (R-DOC-2, R-DOC-3): the CTQ and FA are signed once contracted
    if status == "draft":
        step(
            "documents",
            StepState.CURRENT,
            _("To sign before the stay"),
            NextStep(
                _("Sign the Commitment to Quality and the Financial Agreement")
                if role == "visitor"
                else _("Sign the Commitment to Quality"),
                exchange_url,
                exchange.start_date,
            ),
        )
    else:
        step("documents", StepState.DONE, _("Signed"))
    # stay
    when = _("%(start)s to %(end)s") % {
        "start": date_format(exchange.start_date, "j M Y"),
        "end": date_format(exchange.end_date, "j M Y"),
    }
    if stay_over:
        step("stay", StepState.DONE, when)
    elif status == "contracted":
        step(
            "stay",
            StepState.CURRENT,
            when,
            NextStep(_("Your stay: %(when)s") % {"when": when}, exchange_url, exchange.start_date),
        )
    else:
        step("stay", StepState.TODO, when)
    # final activity report (R-DOC-4: due 7 days after the stay's last day)
    if status == "closed":
        step("report", StepState.DONE, _("Validated"))
    elif stay_over:
        due = far_due_date(exchange.end_date)
        step(
            "report",
            StepState.CURRENT,
            _("Due by %(day)s") % {"day": date_format(due, "j M Y")},
            NextStep(_("Submit your final activity report"), exchange_url, due),
        )
    else:
        step("report", StepState.TODO)
    # evidence and payment: the visitor's, for a physical stay (R-PAY-4, R-EXC-8)
    if role == "host" or exchange.mode == "virtual":
        step("evidence", StepState.NOT_APPLICABLE)
        step("payment", StepState.NOT_APPLICABLE)
        return Journey(organisation, exchange, role, steps, _first(actions), today)
    money = money or MoneyFacts()
    evidence_url = reverse("payments:evidence", kwargs={"exchange_id": exchange.pk})
    if money.evidence_accepted:
        step("evidence", StepState.DONE, _("Accepted"))
    elif money.evidence_pending:
        step(
            "evidence",
            StepState.CURRENT,
            _("Sent: waiting for the partnership's review"),
            NextStep(_("Wait for your partnership to check your evidence"), evidence_url),
        )
    elif stay_over:
        step(
            "evidence",
            StepState.CURRENT,
            _("Rejected: send another proof") if money.evidence_rejected else _("None yet"),
            NextStep(_("Upload evidence that the stay took place"), evidence_url),
        )
    else:
        step("evidence", StepState.TODO)
    payment = money.payment
    if payment is not None and payment.status == "paid" and payment.paid_on is not None:
        step(
            "payment",
            StepState.DONE,
            _("Paid on %(day)s") % {"day": date_format(payment.paid_on, "j M Y")},
        )
    elif payment is not None and payment.status == "due" and payment.due_date is not None:
        step(
            "payment",
            StepState.CURRENT,
            _("%(amount)s EUR due by %(day)s")
            % {"amount": payment.amount, "day": date_format(payment.due_date, "j M Y")},
            NextStep(
                _("Your partnership pays the lump sum of %(amount)s EUR")
                % {"amount": payment.amount},
                due=payment.due_date,
            ),
        )
    else:
        step("payment", StepState.TODO)
    return Journey(organisation, exchange, role, steps, _first(actions), today)


def _first(actions: dict[str, NextStep]) -> NextStep | None:
    for key in JOURNEY_STEPS:
        if key in actions:
            return actions[key]
    return None


def _matches_of(groups, organisation_id: int) -> dict[str, list]:
    def mine(matches):
        return [m for m in matches if organisation_id in (m.visitor_id, m.host_id)]

    return {
        "to_answer": mine(groups.to_answer),
        "waiting": mine(groups.waiting),
        "accepted": mine(groups.accepted),
    }


def applicant_journeys(*, user: User, today: date) -> list[Journey]:
    """The journey of each organisation ``user`` represents (a constant number of queries: one
    per room, whatever the number of organisations and exchanges)."""
    organisations = organisation_list_mine(user=user)
    if not organisations:
        return []
    interests = interest_counts_by_organisation(user=user)
    groups = applicant_match_groups(user=user)
    exchanges = exchange_list_for_journey(user=user)
    # Each organisation's exchange: its visit first (R-ELIG-11: one), else its next hosting.
    mine = {organisation.pk for organisation in organisations}
    current: dict[int, Any] = {}
    for exchange in exchanges:
        if exchange.visitor_id in mine:
            current[exchange.visitor_id] = exchange
    for exchange in exchanges:
        if exchange.host_id in mine:
            current.setdefault(exchange.host_id, exchange)
    visits = [e.pk for e in current.values() if e.visitor_id in mine and e.mode != "virtual"]
    money = money_facts_for_journey(exchange_ids=visits)
    shown = list({e.pk: e for e in current.values()}.values())
    refined: dict[str, dict[int, NextStep]] = {}
    for step_key in ("documents", "report"):
        refine = journey_refinement(step_key)
        refined[step_key] = refine(user, today, shown) if refine and shown else {}
    journeys = []
    for organisation in organisations:
        theirs = current.get(organisation.pk)
        journeys.append(
            _journey(
                organisation,
                exchange=theirs,
                interests=interests.get(organisation.pk, {}),
                matches=_matches_of(groups, organisation.pk),
                money=money.get(theirs.pk) if theirs is not None else None,
                refined={
                    key: by_exchange.get(theirs.pk) if theirs is not None else None
                    for key, by_exchange in refined.items()
                },
                today=today,
            )
        )
    return journeys


def staff_work_queue(*, user: User, today: date) -> WorkQueue:
    roles = user_roles(user)
    return work_queue(
        user=user,
        today=today,
        staff=roles.is_partnership_staff,
        support_office=roles.is_support_office,
    )


def dashboard_context(*, user: User) -> dict:
    roles = user_roles(user)
    today = timezone.localdate()
    context: dict = {"today": today}
    if roles.is_staff_like:
        context["work_queue"] = staff_work_queue(user=user, today=today)
    if roles.is_applicant:
        context["journeys"] = applicant_journeys(user=user, today=today)
    return context
