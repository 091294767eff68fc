"""The conditions of each lifecycle step (R-EXC-2), as named functions returning refusals.

Every function returns a list of :class:`~cxc_portal.core.refusals.Refusal` — empty means
allowed. The transitions read them through :mod:`exchanges.gates`, which adds the conditions the
rooms above register (payments, reports): the
services on the freshly locked row, the detail page to show each button enabled, or disabled with
its reasons. There is no second copy of these rules.

The functions read ``exchange.activities.all()``, so a caller that prefetched them pays no
query; the party checks ask the eligibility engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cxc_portal.core.refusals import Refusal
from organisations.choices import ParticipantRole
from organisations.selectors import organisation_eligibility

from .action_plan import (  # noqa: F401 - re-exported: the plan's rules are guards too
    MAX_HOURS_PER_DAY,
    MIN_PLAN_HOURS,
    PlanTotals,
    activity_counts,
    activity_refusals,
    exchange_country,
    format_hours,
    plan_totals,
)
from .calendar import check_duration, country_name
from .models import ExchangeMode, ExchangeStatus


def _fmt(day: date) -> str:
    return date_format(day, "j M Y")


# --- the action plan (R-EXC-4) -------------------------------------------------------------


def plan_blockers(exchange) -> list[Refusal]:
    """R-EXC-4: at least 24 counted hours, nothing outside the stay, no extra left pending."""
    totals = plan_totals(exchange)
    refusals: list[Refusal] = []
    if totals.counted_hours < MIN_PLAN_HOURS:
        refusals.append(
            Refusal(
                "R-EXC-4",
                _(
                    "The action plan holds %(hours)s hours of activities; at least %(min)s are "
                    "needed."
                )
                % {
                    "hours": format_hours(totals.counted_hours),
                    "min": format_hours(MIN_PLAN_HOURS),
                },
            )
        )
    if totals.outside_dates_count:
        refusals.append(
            Refusal(
                "R-EXC-4",
                ngettext(
                    "%(count)d activity falls outside the stay's dates: move or delete it.",
                    "%(count)d activities fall outside the stay's dates: move or delete them.",
                    totals.outside_dates_count,
                )
                % {"count": totals.outside_dates_count},
            )
        )
    if totals.pending_extra_count:
        refusals.append(
            Refusal(
                "R-EXC-4",
                ngettext(
                    "%(count)d extra activity awaits the Support Office's approval: have it "
                    "approved or remove it.",
                    "%(count)d extra activities await the Support Office's approval: have them "
                    "approved or remove them.",
                    totals.pending_extra_count,
                )
                % {"count": totals.pending_extra_count},
            )
        )
    return refusals


# --- parties and dates -------------------------------------------------------------------------


def parties_refusals(
    *, visitor, host, today: date, exclude_exchange_id: int | None = None
) -> list[Refusal]:
    """R-EXC-1, R-ELIG-*: two different, validated organisations, each eligible for its role
    today, in different countries; the visitor has not used its single visit (R-ELIG-11)."""
    refusals: list[Refusal] = []
    if visitor.pk == host.pk:
        return [
            Refusal("R-EXC-1", _("The visitor and the host must be two organisations."), "host")
        ]
    if str(visitor.country.code) == str(host.country.code):
        refusals.append(
            Refusal(
                "R-EXC-1",
                _(
                    "An exchange is a stay in another country: the host is in %(country)s, like "
                    "the visitor."
                )
                % {"country": country_name(str(host.country.code))},
                "host",
            )
        )
    visitor_verdict = organisation_eligibility(
        visitor, today=today, exclude_exchange_id=exclude_exchange_id
    ).for_role(ParticipantRole.VISITOR)
    for failure in visitor_verdict.failures:
        refusals.append(
            Refusal(
                failure.rule,
                _("%(org)s cannot visit: %(why)s") % {"org": visitor, "why": failure.text},
                "visitor",
            )
        )
    host_verdict = organisation_eligibility(host, today=today).for_role(ParticipantRole.HOST)
    for failure in host_verdict.failures:
        refusals.append(
            Refusal(
                failure.rule,
                _("%(org)s cannot host: %(why)s") % {"org": host, "why": failure.text},
                "host",
            )
        )
    return refusals


def partnerships_refusals(*, visitor, host, vop, hop) -> list[Refusal]:
    """R-KPI-1, R-PART-2 [design]: the VOP is a partnership in charge of the visitor and the HOP
    one in charge of the host — one that accepted its expression of interest for that role, or
    the one that validated its profile — so that the exchange counts for, and is paid by, the
    right partnership."""
    from .selectors import partnership_in_charge_ids

    refusals: list[Refusal] = []
    if vop.pk not in partnership_in_charge_ids(organisation=visitor, role=ParticipantRole.VISITOR):
        refusals.append(
            Refusal(
                "R-KPI-1",
                _(
                    "%(partnership)s is not in charge of %(org)s: the VOP must have accepted its "
                    "expression of interest as visitor or validated its profile."
                )
                % {"partnership": vop.acronym, "org": visitor},
                "vop",
            )
        )
    if hop.pk not in partnership_in_charge_ids(organisation=host, role=ParticipantRole.HOST):
        refusals.append(
            Refusal(
                "R-KPI-1",
                _(
                    "%(partnership)s is not in charge of %(org)s: the HOP must have accepted its "
                    "expression of interest as host or validated its profile."
                )
                % {"partnership": hop.acronym, "org": host},
                "hop",
            )
        )
    return refusals


def dates_refusals(
    *, start: date, end: date, host, today: date, start_kept: bool = False
) -> list[Refusal]:
    """R-EXC-3 on the host's calendar, and [design] a stay being planned does not start in the
    past — unless ``start_kept``: an amendment (R-DOC-8) of a stay already under way may move
    its end and keep its first day."""
    refusals: list[Refusal] = []
    if start < today and not start_kept:
        refusals.append(
            Refusal(
                "R-EXC-2",
                _("The stay cannot start in the past (today is %(today)s).")
                % {"today": _fmt(today)},
                "start_date",
            )
        )
    refusals.extend(check_duration(start, end, str(host.country.code)).refusals)
    return refusals


def mode_refusals(mode: str) -> list[Refusal]:
    """R-EXC-8 [design]: the Support Office can switch virtual exchanges off."""
    if mode == ExchangeMode.VIRTUAL and not settings.CXC_VIRTUAL_EXCHANGES_ENABLED:
        return [
            Refusal(
                "R-EXC-8",
                _("Virtual exchanges are currently switched off by the Support Office."),
                "mode",
            )
        ]
    return []


# --- states --------------------------------------------------------------------------------------


def _status_label(exchange) -> str:
    return str(exchange.get_status_display()).lower()


def draft_edit_blockers(
    exchange, *, amendment_open: bool = False, may_amend: bool = False
) -> list[Refusal]:
    """R-EXC-2, R-DOC-8: a draft is edited; from contracting on, the dates and plan are frozen
    but for an amendment: while one is open (``amendment_open``), the VOP's staff who may amend
    (``may_amend``) change them, and nobody else."""
    if exchange.status == ExchangeStatus.DRAFT:
        return []
    if exchange.status == ExchangeStatus.CONTRACTED:
        if amendment_open and may_amend:
            return []
        if amendment_open:
            text = _(
                "An amendment is in progress: only the staff of the visitor's partnership (VOP) "
                "who may approve exchanges change the dates and the action plan."
            )
        else:
            text = _(
                "This exchange is contracted: its dates and action plan are frozen; they change "
                "only through an amendment opened by the staff of the visitor's partnership "
                "(VOP)."
            )
        return [Refusal("R-DOC-8", text)]
    return [
        Refusal(
            "R-EXC-2",
            _(
                "Only a draft can be changed: this exchange is %(status)s, its dates and action "
                "plan are frozen."
            )
            % {"status": _status_label(exchange)},
        )
    ]


#: R-DOC-8: what an amendment may change (the parties, partnerships and mode never change after
#: contracting).
AMENDABLE_FIELDS = frozenset({"start_date", "end_date", "objectives"})


def amendment_fields_refusals(fields) -> list[Refusal]:
    """R-DOC-8: an amendment changes the dates, the objectives and the action plan only."""
    others = sorted(set(fields) - AMENDABLE_FIELDS)
    if not others:
        return []
    return [
        Refusal(
            "R-DOC-8",
            _(
                "An amendment changes the dates, the objectives and the action plan only; the "
                "parties, the partnerships and the mode of a contracted exchange stay as signed."
            ),
            others[0],
        )
    ]


def amendment_open_refusals(exchange, *, has_open: bool, reason: str) -> list[Refusal]:
    """R-DOC-8: an amendment is opened on a contracted exchange (not a draft, which is simply
    edited, nor an executed, closed or cancelled one), one at a time, with a written reason of
    at most ``AMENDMENT_REASON_MAX`` characters."""
    from .models import AMENDMENT_REASON_MAX

    if exchange.status != ExchangeStatus.CONTRACTED:
        return [
            Refusal(
                "R-DOC-8",
                _(
                    "Only a contracted exchange is amended; this one is %(status)s (a draft is "
                    "simply edited)."
                )
                % {"status": _status_label(exchange)},
            )
        ]
    if has_open:
        return [
            Refusal(
                "R-DOC-8",
                _("An amendment of this exchange is already in progress: finish it first."),
            )
        ]
    if not reason:
        return [Refusal("R-DOC-8", _("Say why the exchange is amended."), "reason")]
    if len(reason) > AMENDMENT_REASON_MAX:
        return [
            Refusal(
                "R-DOC-8",
                _("Keep the reason to %(max)d characters (it has %(count)d).")
                % {"max": AMENDMENT_REASON_MAX, "count": len(reason)},
                "reason",
            )
        ]
    return []


def amendment_in_progress_refusals(exchange, today: date) -> list[Refusal]:
    """R-DOC-8 (a condition of "execute"): a contracted exchange whose amendment is still being
    signed is not recorded as executed — its dates and plan are not settled yet (one query)."""
    if exchange.amendments.filter(status="open").exists():
        return [
            Refusal(
                "R-DOC-8",
                _(
                    "An amendment is in progress: the parties sign the amended documents (or the "
                    "VOP withdraws it) before the stay is recorded as executed."
                ),
            )
        ]
    return []


#: R-EXC-2: each transition of the lifecycle — the states it leaves, the state it reaches, and
#: what the page and the service say when the exchange is elsewhere.
@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    already: Promise
    elsewhere: Promise  # takes %(status)s


STEPS: dict[str, Step] = {
    "contract": Step(
        (ExchangeStatus.DRAFT,),
        ExchangeStatus.CONTRACTED,
        gettext_lazy("This exchange is already contracted."),
        gettext_lazy("Only a draft exchange can be contracted; this one is %(status)s."),
    ),
    "execute": Step(
        (ExchangeStatus.CONTRACTED,),
        ExchangeStatus.EXECUTED,
        gettext_lazy("This exchange is already recorded as executed."),
        gettext_lazy(
            "Only a contracted exchange can be recorded as executed; this one is %(status)s."
        ),
    ),
    "close": Step(
        (ExchangeStatus.EXECUTED,),
        ExchangeStatus.CLOSED,
        gettext_lazy("This exchange is already closed."),
        gettext_lazy("Only an executed exchange can be closed; this one is %(status)s."),
    ),
    "cancel": Step(
        (ExchangeStatus.DRAFT, ExchangeStatus.CONTRACTED),
        ExchangeStatus.CANCELLED,
        gettext_lazy("This exchange is already cancelled."),
        gettext_lazy(
            "Only a draft or contracted exchange can be cancelled; this one is %(status)s."
        ),
    ),
}


def state_refusals(transition: str, exchange) -> list[Refusal]:
    """R-EXC-2: ``transition`` leaves only its source states ("already …" when a concurrent
    request won the race)."""
    step = STEPS[transition]
    if exchange.status == step.target:
        return [Refusal("R-EXC-2", str(step.already))]
    if exchange.status not in step.sources:
        return [Refusal("R-EXC-2", str(step.elsewhere) % {"status": _status_label(exchange)})]
    return []


def contract_conditions(exchange, today: date) -> list[Refusal]:
    """draft → contracted: R-EXC-1 and R-ELIG-* (the parties are still eligible), R-EXC-3 (the
    dates), R-EXC-4 (the plan), R-EXC-8 (the mode). The signatures (R-DOC-2, R-DOC-3) are the
    documents room's gate (``reports.gates``)."""
    refusals = parties_refusals(
        visitor=exchange.visitor,
        host=exchange.host,
        today=today,
        exclude_exchange_id=exchange.pk,
    )
    refusals += dates_refusals(
        start=exchange.start_date, end=exchange.end_date, host=exchange.host, today=today
    )
    refusals += mode_refusals(exchange.mode)
    refusals += plan_blockers(exchange)
    return refusals


def stay_over_refusals(exchange, today: date) -> list[Refusal]:
    """contracted → executed (R-EXC-2): the stay is over (its last day is before today)."""
    if exchange.end_date >= today:
        # (The calendar's very last day has no day after it: no 500 for a year-9999 typo.)
        after = exchange.end_date + timedelta(days=1 if exchange.end_date < date.max else 0)
        return [
            Refusal(
                "R-EXC-2",
                _("The stay ends on %(end)s: it can be recorded as executed from %(after)s.")
                % {"end": _fmt(exchange.end_date), "after": _fmt(after)},
            )
        ]
    return []


#: The conditions the exchanges room itself sets on each transition; the rooms above add theirs
#: in ``gates`` (closing waits only for gates: R-PAY-4).
OWN_CONDITIONS: dict[str, tuple] = {
    "contract": (contract_conditions,),
    "execute": (stay_over_refusals, amendment_in_progress_refusals),
    "close": (),
    "cancel": (),
}


def group_membership_blockers(exchange, group) -> list[Refusal]:
    """R-EXC-7: a draft joins a group of the same host side, and one group only."""
    if exchange.status != ExchangeStatus.DRAFT:
        return [
            Refusal(
                "R-EXC-7",
                _("Only draft exchanges can join or leave a group: %(ref)s is %(status)s.")
                % {"ref": exchange.reference, "status": _status_label(exchange)},
                "exchange",
            )
        ]
    refusals: list[Refusal] = []
    if exchange.group_id is not None and exchange.group_id != group.pk:
        refusals.append(
            Refusal(
                "R-EXC-7",
                _("%(ref)s already belongs to another group.") % {"ref": exchange.reference},
                "exchange",
            )
        )
    if exchange.host_id != group.host_id or exchange.hop_id != group.hop_id:
        refusals.append(
            Refusal(
                "R-EXC-7",
                _(
                    "A group has one host side: %(ref)s is hosted by %(host)s with %(hop)s, the "
                    "group by %(ghost)s with %(ghop)s."
                )
                % {
                    "ref": exchange.reference,
                    "host": exchange.host,
                    "hop": exchange.hop.acronym,
                    "ghost": group.host,
                    "ghop": group.hop.acronym,
                },
                "exchange",
            )
        )
    return refusals
