"""Demo step of the exchanges room: exchanges in every state, a group, a virtual exchange.

Runs after the organisations and partnerships steps and works with whatever validated, eligible
organisations with an active representative exist: visitors that have not visited yet, hosts in
another country, the staff of the visitor's (or host's) partnership as actor; each party signs
the documents itself, through the documents room's signer (R-DOC-2, R-DOC-3). Everything goes
through the services, so the timelines show real events and notices; dates are relative to
``ctx.today`` (past stays are encoded "as of" a date before them).

Idempotent: each scenario has objectives of its own (``OBJECTIVES``) and is skipped when an
exchange with exactly those objectives exists (no visible marker: users read the objectives);
the exchange from a match is skipped once any exchange comes from a match; the group is found
by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from cxc_portal.core.demo import SeedContext
from organisations.choices import ParticipantRole, ProfileStatus
from organisations.models import Organisation, Representative, RepresentativeStatus
from organisations.selectors import eligibility_queryset, organisation_eligibility_map
from partnerships.models import (
    ExpressionOfInterest,
    InterestStatus,
    Match,
    MatchStatus,
    PartnershipStaff,
)

from . import services
from .calendar import working_days
from .models import Exchange, ExchangeGroup, ExchangeMode, ExchangeStatus

GROUP_NAME = "Demo mission: three visitors at one host"

ACTIVITIES = (
    ("knowledge_sharing", "Welcome and presentation of the host's cluster"),
    ("networking", "Visits to three member companies"),
    ("project_development", "Joint project workshop"),
    ("market_research", "Market study with the host's export desk"),
    ("capacity_building", "Training on open-innovation programmes"),
)


#: One text per scenario: what the demo exchange is about, and how a second run finds it.
OBJECTIVES = {
    "draft": "Explore joint projects on smart manufacturing.",
    "contracted": "Learn how the host runs its cluster's export desk.",
    "ended": "Benchmark the host's incubation programme.",
    "executed": "Meet the host's members and prepare a joint Horizon Europe application.",
    "closed": "Meet the host's members and prepare a joint Interreg application.",
    # Two more past stays for the payments step (one to show overdue, one paid, R-PAY-4).
    "closed_overdue": "Study the host's shared testing facility and its pricing.",
    "closed_paid": "Visit the host's digital innovation hub and its pilot lines.",
    "cancelled": "Study the host's circular-economy pilots.",
    "virtual": "Remote mentoring sessions with the host's innovation managers.",
    # R-DOC-8: a contracted exchange amended and signed again, and one being amended.
    "amended": "Visit the host's battery pilot line and its testing partners.",
    "amending": "Work with the host's design studio on a joint product line.",
}

#: R-DOC-8: the reasons the demo's amendments give.
AMENDED_REASON = (
    "The host's pilot line closes for maintenance on Thursday: the stay ends Wednesday."
)
AMENDING_REASON = "The host's designer can present the workshop only in the afternoon."


def _exists(key: str) -> bool:
    # Also the "[demo:<key>]" prefix that earlier versions of this step wrote.
    return Exchange.objects.filter(
        Q(objectives=OBJECTIVES[key]) | Q(objectives__startswith=f"[demo:{key}]")
    ).exists()


def _clean_week(country: str, after: date) -> tuple[date, date]:
    """The first Monday–Friday on or after ``after`` with five working days at the host."""
    monday = after + timedelta(days=(7 - after.weekday()) % 7)
    for _ in range(10):
        if working_days(monday, monday + timedelta(days=4), country).count == 5:
            break
        monday += timedelta(days=7)
    return monday, monday + timedelta(days=4)


def _approver_of(*partnership_ids):
    staff = (
        PartnershipStaff.objects.filter(
            partnership_id__in=[p for p in partnership_ids if p], can_approve_exchanges=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return staff.user if staff else None


class _Pool:
    """Eligible visitors and hosts as of ``today``, handed out once each."""

    def __init__(self, today: date):
        orgs = list(
            eligibility_queryset(
                Organisation.objects.filter(
                    status=ProfileStatus.VALIDATED, validating_partnership__isnull=False
                ).filter(
                    # An organisation signs the CTQ through an active representative.
                    pk__in=Representative.objects.filter(
                        status=RepresentativeStatus.ACTIVE, user__is_active=True
                    ).values("organisation_id")
                )
            ).order_by("pk")
        )
        verdicts = organisation_eligibility_map(orgs, today=today)
        # Visitors with a match (the "from a match" scenario) or an open visitor interest (the
        # partnerships demo: their single visit must stay free) are kept out of the pool.
        reserved = set(
            Match.objects.filter(
                status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED]
            ).values_list("visitor_id", flat=True)
        ) | set(
            ExpressionOfInterest.objects.filter(
                role=ParticipantRole.VISITOR,
                status__in=[InterestStatus.SUBMITTED, InterestStatus.ACCEPTED],
            ).values_list("organisation_id", flat=True)
        )
        self.visitors = [
            o
            for o in orgs
            if verdicts[o.pk].for_role(ParticipantRole.VISITOR).allowed and o.pk not in reserved
        ]
        self.hosts = [o for o in orgs if verdicts[o.pk].for_role(ParticipantRole.HOST).allowed]

    def visitor(self) -> Organisation | None:
        return self.visitors.pop(0) if self.visitors else None

    def host_for(self, visitor: Organisation, *, avoid: int | None = None) -> Organisation | None:
        for host in self.hosts:
            if host.pk != avoid and str(host.country.code) != str(visitor.country.code):
                return host
        return None

    def give_back(self, visitor: Organisation) -> None:
        self.visitors.insert(0, visitor)


def _fill_plan(exchange: Exchange, actor) -> None:
    days = working_days(exchange.start_date, exchange.end_date, str(exchange.host.country.code))
    for day, (kind, title) in zip(days.days[:4], ACTIVITIES, strict=False):
        services.exchange_activity_add(
            exchange=exchange,
            actor=actor,
            date=day,
            activity_type=kind,
            title=title,
            hours=Decimal("6"),
        )


def _representative_of(organisation_id: int):
    rep = (
        Representative.objects.filter(
            organisation_id=organisation_id,
            status=RepresentativeStatus.ACTIVE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return rep.user if rep else None


#: How the demo has an exchange's documents signed (R-DOC-2, R-DOC-3): the documents room,
#: above this one, registers its signer from ``ReportsConfig.ready`` (``reports.demo``). A signer
#: is called as ``signer(exchange=…, as_of=…, partial=…)``; ``partial`` signs only some parties.
_signers: list[Callable[..., None]] = []


def register_signer(signer: Callable[..., None]) -> None:
    if signer not in _signers:
        _signers.append(signer)


def _sign(exchange: Exchange, *, as_of: date, partial: bool = False) -> None:
    for signer in _signers:
        signer(exchange=exchange, as_of=as_of, partial=partial)


def _contract(exchange: Exchange, actor, *, today: date) -> None:
    """Contract ``exchange`` unless its last signature already did (R-EXC-2: the signatures
    contract it by themselves when every other condition holds on the day they are given)."""
    exchange.refresh_from_db(fields=["status"])
    if exchange.status == ExchangeStatus.DRAFT:
        services.exchange_contract(exchange=exchange, actor=actor, today=today)


def _encode(
    ctx: SeedContext,
    pool: _Pool,
    key: str,
    *,
    start: date,
    as_of: date,
    mode: str = ExchangeMode.PHYSICAL,
) -> tuple[Exchange, object] | None:
    """Create one demo draft with a fresh visitor; None (and a message) if impossible."""
    visitor = pool.visitor()
    if visitor is None:
        ctx.say(f"Exchanges demo: no eligible visitor left for '{key}', skipped.")
        return None
    host = pool.host_for(visitor)
    actor = _approver_of(visitor.validating_partnership_id) if host else None
    # The HOP records its own signature (R-DOC-2): it needs an approver too.
    if host is None or actor is None or _approver_of(host.validating_partnership_id) is None:
        ctx.say(f"Exchanges demo: no host or staff for '{key}', skipped.")
        pool.give_back(visitor)
        return None
    first, last = _clean_week(str(host.country.code), start)
    try:
        exchange = services.exchange_create(
            actor=actor,
            visitor=visitor,
            host=host,
            vop=visitor.validating_partnership,
            hop=host.validating_partnership,
            start_date=first,
            end_date=last,
            mode=mode,
            objectives=OBJECTIVES[key],
            today=as_of,
        )
    except (ValidationError, PermissionDenied) as refusal:
        ctx.say(f"Exchanges demo: '{key}' refused ({refusal}), skipped.")
        return None
    return exchange, actor


def seed(ctx: SeedContext) -> None:
    """Exchanges in every state, a group with three visitors, a virtual exchange."""
    today = ctx.today
    pool = _Pool(today)
    made: list[str] = []

    def scenario(key, *, start, as_of, mode=ExchangeMode.PHYSICAL):
        if _exists(key):
            return None
        result = _encode(ctx, pool, key, start=start, as_of=as_of, mode=mode)
        if result:
            made.append(key)
        return result

    # A draft being prepared: half a plan, a few signatures.
    if result := scenario(
        "draft",
        start=today + timedelta(days=45),
        as_of=today,
    ):
        exchange, actor = result
        _fill_plan(exchange, actor)
        _sign(exchange, as_of=today, partial=True)

    # Contracted, the stay still to come.
    if result := scenario(
        "contracted",
        start=today + timedelta(days=21),
        as_of=today,
    ):
        exchange, actor = result
        _fill_plan(exchange, actor)
        _sign(exchange, as_of=today)
        _contract(exchange, actor, today=today)

    # Contracted, the stay over: the daily scan flags it for staff (run below).
    if result := scenario(
        "ended",
        start=today - timedelta(days=20),
        as_of=today - timedelta(days=40),
    ):
        exchange, actor = result
        _fill_plan(exchange, actor)
        _sign(exchange, as_of=exchange.start_date)
        _contract(exchange, actor, today=exchange.start_date)

    # Executed and closed: past stays.
    for key, weeks in (("executed", 5), ("closed", 9), ("closed_overdue", 11), ("closed_paid", 13)):
        if result := scenario(
            key,
            start=today - timedelta(weeks=weeks),
            as_of=today - timedelta(weeks=weeks + 3),
        ):
            exchange, actor = result
            _fill_plan(exchange, actor)
            _sign(exchange, as_of=exchange.start_date)
            _contract(exchange, actor, today=exchange.start_date)
            # R-PAY-7: the "closed" ones close by themselves once the last of R-PAY-4 is in:
            # the visitor's validated final report (the reports step, ``reports.demo_far``)
            # and the accepted evidence (the payments step).
            services.exchange_execute(exchange=exchange, actor=actor, today=today)

    # Cancelled: its visitor keeps its single visit (R-ELIG-11) and is used again below.
    if result := scenario(
        "cancelled",
        start=today + timedelta(days=30),
        as_of=today,
    ):
        exchange, actor = result
        services.exchange_cancel(
            exchange=exchange, actor=actor, reason="The visitor's key person left the company."
        )
        pool.give_back(exchange.visitor)

    # Virtual (R-EXC-8), contracted.
    if result := scenario(
        "virtual",
        start=today + timedelta(days=28),
        as_of=today,
        mode=ExchangeMode.VIRTUAL,
    ):
        exchange, actor = result
        _fill_plan(exchange, actor)
        _sign(exchange, as_of=today)
        _contract(exchange, actor, today=today)

    # From an accepted match (the partnerships step's), left as a draft.
    if not Exchange.objects.filter(match__isnull=False).exists():
        match = (
            Match.objects.filter(status=MatchStatus.ACCEPTED, encoded=False)
            .select_related("visitor", "host", "vop", "hop", "visitor_interest")
            .order_by("pk")
            .first()
        )
        actor = _approver_of(match.vop_id, match.hop_id) if match else None
        if match and actor:
            first, last = _clean_week(str(match.host.country.code), today + timedelta(days=60))
            try:
                services.exchange_create(
                    actor=actor,
                    visitor=match.visitor,
                    host=match.host,
                    vop=match.vop,
                    hop=match.hop,
                    start_date=first,
                    end_date=last,
                    objectives=match.visitor_interest.objectives,
                    match=match,
                    today=today,
                )
                made.append("match")
            except (ValidationError, PermissionDenied) as refusal:
                ctx.say(f"Exchanges demo: the accepted match was refused ({refusal}).")

    _seed_group(ctx, pool, made)
    _seed_amendments(ctx, scenario, today=today)
    flagged = services.exchanges_flag_ended(today=today)
    by_status = {
        status: Exchange.objects.filter(status=status).count() for status in ExchangeStatus.values
    }
    ctx.say(
        "Exchanges: "
        + ", ".join(f"{count} {status}" for status, count in by_status.items())
        + f" (new: {', '.join(made) or 'none'}; flagged as ended today: {flagged})."
    )


def _seed_amendments(ctx: SeedContext, scenario, *, today: date) -> None:
    """R-DOC-8: two contracted exchanges amended by their VOP's staff. "amended": the stay
    shortened from five working days to three (the lump sum halves, R-PAY-2), the new CTQ and FA
    signed by every party — the amendment closed itself and the payment followed the signed FA.
    "amending": an activity moved to the afternoon; the host side has signed the new CTQ, the
    visitor side has not yet: the amendment is in progress."""
    for key, reason in (("amended", AMENDED_REASON), ("amending", AMENDING_REASON)):
        result = scenario(key, start=today + timedelta(days=35), as_of=today)
        if not result:
            continue
        exchange, actor = result
        _fill_plan(exchange, actor)
        _sign(exchange, as_of=today)
        _contract(exchange, actor, today=today)
        exchange.refresh_from_db()
        if exchange.status != ExchangeStatus.CONTRACTED:
            ctx.say(f"Exchanges demo: '{key}' could not be contracted, not amended.")
            continue
        try:
            services.amendment_open(actor=actor, exchange=exchange, reason=reason, today=today)
            activities = list(exchange.activities.order_by("date", "pk"))
            if key == "amended":
                wednesday = exchange.start_date + timedelta(days=2)
                last = activities[-1]
                services.exchange_activity_update(
                    exchange=exchange,
                    actor=actor,
                    activity_id=last.pk,
                    date=wednesday,
                    activity_type=last.activity_type,
                    title=last.title,
                    hours=last.hours,
                )
                services.exchange_update(
                    exchange=exchange, actor=actor, end_date=wednesday, today=today
                )
                _sign(exchange, as_of=today)
            else:
                first = activities[0]
                services.exchange_activity_update(
                    exchange=exchange,
                    actor=actor,
                    activity_id=first.pk,
                    date=first.date,
                    activity_type=first.activity_type,
                    title=f"{first.title} (afternoon)",
                    hours=first.hours,
                )
                _sign(exchange, as_of=today, partial=True)
        except (ValidationError, PermissionDenied) as refusal:
            ctx.say(f"Exchanges demo: the amendment of '{key}' was refused ({refusal}).")


def _seed_group(ctx: SeedContext, pool: _Pool, made: list[str]) -> None:
    """R-EXC-7: a mission with three visitors' drafts at one host, joined one by one."""
    if ExchangeGroup.objects.filter(name=GROUP_NAME).exists():
        return
    visitors = [v for v in (pool.visitor() for _ in range(3)) if v is not None]
    host = None
    for candidate in pool.hosts:
        if all(str(candidate.country.code) != str(v.country.code) for v in visitors):
            host = candidate
            break
    actor = _approver_of(host.validating_partnership_id) if host else None
    if len(visitors) < 3 or host is None or actor is None:
        ctx.say("Exchanges demo: not enough eligible organisations for the group, skipped.")
        return
    start, end = _clean_week(str(host.country.code), ctx.today + timedelta(days=70))
    group = services.group_create(
        actor=actor,
        name=GROUP_NAME,
        host=host,
        vop=visitors[0].validating_partnership,
        hop=host.validating_partnership,
        start_date=start,
        end_date=end,
        plan_notes="Day 1: welcome and cluster tour. Days 2–4: company visits and B2B "
        "meetings. Day 5: joint project workshop.",
        today=ctx.today,
    )
    for visitor in visitors:
        services.exchange_create(
            actor=actor,
            visitor=visitor,
            host=host,
            vop=visitor.validating_partnership,
            hop=host.validating_partnership,
            start_date=start,
            end_date=end,
            objectives=group.plan_notes,
            group=group,
            today=ctx.today,
        )
    made.append("group")
