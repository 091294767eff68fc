"""The benchmark's data: N exchanges with the spread of a programme that has run for years.

``build(n)`` fills the *current* database (migrated, empty of programme data) with bulk inserts:

- 12 partnerships, each with one staff member; a Support Office user; an applicant;
- about 1.4 organisations per exchange: one visitor per exchange (an organisation visits once,
  R-ELIG-11) and a pool of 0.4 × N hosts in other countries, spread over every participating
  country, mostly validated, with ecosystems, sectors and keywords (what matching reads);
- one expression of interest per organisation (visitor or host), accepted;
- one accepted match per exchange; exchanges in every status and both modes;
- about 4.7 activities and 13 audit events per exchange, one notification per exchange;
- a payment for every contracted, executed or closed physical exchange;
- the paperwork (``add_paperwork``): every exchange past draft has its current CTQ and FA
  (rendered: a fake file name, nothing reads the files on the measured pages) with their six
  signatures; about 40 % of the drafts have theirs, partly signed; final reports — the visitor's
  validated for every closed exchange (the close condition) and most hosts', a mix of none,
  draft, submitted, returned and validated (some late) for executed exchanges and the
  contracted ones whose stay is over — and the exchanges' "report first submitted" facts;
- plus a few *spare* visitors (validated, interest accepted, no exchange yet) for the matching
  page, the applicant's among them.

It returns the row counts and the ids the harness needs (users, one exchange, one interest).
Deterministic for a given N (``random.Random(n)``). Rows go in batches of ``BATCH``.
"""

from __future__ import annotations

import hashlib
import importlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef

from cxc_portal.accounts.models import User
from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import Activity, Exchange, ExchangeMode, ExchangeStatus, Party
from organisations.choices import ActivityType, OrganisationSize, OrganisationType, ProfileStatus
from organisations.models import (
    ClusterMembership,
    EasmePreApproval,
    IndustrialEcosystem,
    Organisation,
    ParticipatingCountry,
    Representative,
    Sector,
)
from partnerships.models import (
    ExpressionOfInterest,
    InterestStatus,
    Match,
    MatchStatus,
    Partnership,
    PartnershipStaff,
)
from payments.models import Payment, PaymentStatus
from reports.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    FinalReport,
    FinalReportSide,
    FinalReportStatus,
    Signature,
)
from reports.signing import REQUIRED_PARTIES

BATCH = 5000
PARTNERSHIPS = 12
SPARE_VISITORS = 5
PASSWORD = "bench-password-not-secret"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
#: (status, share): drafts and closed exchanges dominate a programme that has run for years.
STATUS_SPREAD = [
    (ExchangeStatus.DRAFT, 0.25),
    (ExchangeStatus.CONTRACTED, 0.20),
    (ExchangeStatus.EXECUTED, 0.15),
    (ExchangeStatus.CLOSED, 0.30),
    (ExchangeStatus.CANCELLED, 0.10),
]
AUDIT_ACTIONS = [
    "exchanges.exchange.created",
    "exchanges.exchange.updated",
    "exchanges.activity.added",
    "exchanges.activity.edited",
    "reports.signature.added",
    "exchanges.exchange.contracted",
    "exchanges.exchange.executed",
    "exchanges.exchange.closed",
]
KEYWORDS = ["robotics", "ai", "textiles", "agrifood", "mobility", "health", "energy", "space"]
EPOCH = datetime(2021, 1, 1, tzinfo=UTC)


@contextmanager
def _timestamps_as_given(*models) -> Iterator[None]:
    """Let bulk inserts keep the ``created_at``/``updated_at`` they carry (a spread over years)
    instead of "now": ``auto_now``/``auto_now_add`` are switched off for the duration."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _m2m(through, rows: list) -> None:
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _user(email: str, password_hash: str, **extra) -> User:
    return User(email=email, password=password_hash, first_name="Bench", last_name=email, **extra)


def build(n: int) -> dict:
    """Fill the database with ``n`` exchanges and everything around them; return the counts."""
    rnd = random.Random(n)
    with (
        transaction.atomic(),
        _timestamps_as_given(
            Organisation, ExpressionOfInterest, Match, Exchange, Activity, AuditEvent, Notification
        ),
    ):
        return _build(n, rnd)


def _build(n: int, rnd: random.Random) -> dict:  # noqa: C901 (one long, linear recipe)
    today = date.today()
    countries = list(ParticipatingCountry.objects.values_list("country", flat=True))
    ecosystems = list(IndustrialEcosystem.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    password_hash = make_password(PASSWORD)

    # People and partnerships.
    support = _bulk(
        User,
        [
            _user(
                "support@bench.example",
                password_hash,
                is_support_office=True,
                is_staff=True,  # the Django admin's changelist is a page they use
                is_superuser=True,
            )
        ],
    )
    support = support[0]
    partnerships = _bulk(
        Partnership,
        [
            Partnership(
                name=f"Bench partnership {i}",
                acronym=f"BP{i}",
                slug=f"bp{i}",
                contact_email=f"bp{i}@bench.example",
                countries=countries[i::PARTNERSHIPS],
                valid_from=date(2020, 1, 1),
            )
            for i in range(PARTNERSHIPS)
        ],
    )
    staff_users = _bulk(
        User, [_user(f"staff{i}@bench.example", password_hash) for i in range(PARTNERSHIPS)]
    )
    _bulk(
        PartnershipStaff,
        [
            PartnershipStaff(user=u, partnership=p, can_pay=True, can_sign=True)
            for u, p in zip(staff_users, partnerships, strict=True)
        ],
    )
    applicant = _bulk(User, [_user("applicant@bench.example", password_hash)])[0]
    everyone = [support, applicant, *staff_users]
    _bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in everyone],
    )
    for user in [support, *staff_users]:
        TOTP.activate(user, TOTP_SECRET)

    # Organisations: one visitor per exchange, 0.4 hosts per exchange, a few spare visitors.
    n_hosts = max(2, (2 * n) // 5)
    span_days = 5 * 365

    def organisation(i: int, kind: str, country: str) -> Organisation:
        created = EPOCH + timedelta(days=rnd.randrange(span_days), seconds=i)
        return Organisation(
            legal_name=f"{kind.title()} {i:07d} {rnd.choice(KEYWORDS).title()} GmbH",
            org_type=rnd.choice([OrganisationType.CLUSTER, OrganisationType.SME]),
            size=rnd.choice(list(OrganisationSize)),
            country=country,
            city_name=f"City {i % 500}",
            keywords=rnd.sample(KEYWORDS, 3),
            validating_partnership=partnerships[i % PARTNERSHIPS],
            status=ProfileStatus.VALIDATED
            if rnd.random() < 0.93
            else rnd.choice([ProfileStatus.SUBMITTED, ProfileStatus.DRAFT]),
            created_at=created,
            updated_at=created,
        )

    hosts = _bulk(
        Organisation,
        [organisation(i, "host", countries[i % len(countries)]) for i in range(n_hosts)],
    )
    visitors = [
        organisation(i, "visitor", countries[(i * 7 + 3) % len(countries)])
        for i in range(n + SPARE_VISITORS)
    ]
    for o in visitors[n:]:  # the spare ones: ready to be matched, by the first partnership
        o.status, o.validating_partnership = ProfileStatus.VALIDATED, partnerships[0]
    visitors = _bulk(Organisation, visitors)
    spare = visitors[n:]
    _bulk(
        Representative,
        [
            Representative(
                user=applicant,
                organisation=spare[0],
                role_title="Director",
                nationality=spare[0].country,
                declares_adult=True,
            )
        ],
    )
    organisations = hosts + visitors
    _m2m(
        Organisation.ecosystems.through,
        [
            Organisation.ecosystems.through(organisation_id=o.pk, industrialecosystem_id=e)
            for o in organisations
            for e in rnd.sample(ecosystems, min(2, len(ecosystems)))
        ],
    )
    _m2m(
        Organisation.sectors.through,
        [
            Organisation.sectors.through(organisation_id=o.pk, sector_id=rnd.choice(sectors))
            for o in organisations
        ],
    )

    _memberships(rnd, hosts, organisations)

    # One accepted interest per organisation, with the organisation's validating partnership.
    def interest(o: Organisation, role: str) -> ExpressionOfInterest:
        return ExpressionOfInterest(
            organisation=o,
            partnership=o.validating_partnership,
            role=role,
            objectives="Learn from peers abroad.",
            activity_types=[ActivityType.KNOWLEDGE_SHARING],
            preferred_countries=rnd.sample(countries, 2),
            status=InterestStatus.ACCEPTED,
            created_at=o.created_at,
        )

    host_interests = _bulk(ExpressionOfInterest, [interest(o, "host") for o in hosts])
    visitor_interests = _bulk(ExpressionOfInterest, [interest(o, "visitor") for o in visitors])
    # The matching page's pre-ranking tokens (issue 12), as the services would have kept them:
    # the migrations' own set-based backfills, in chunks.
    for module in (
        "organisations.migrations.0010_match_tokens",
        "partnerships.migrations.0008_match_interest_tokens",
    ):
        importlib.import_module(module).backfill(django_apps, None)

    # Exchanges, each with its accepted match; the host is in another country.
    statuses = [s for s, _ in STATUS_SPREAD]
    weights = [w for _, w in STATUS_SPREAD]
    pairs = []
    for i in range(n):
        visitor = visitors[i]
        h = rnd.randrange(n_hosts)
        while hosts[h].country == visitor.country:
            h = (h + 1) % n_hosts
        pairs.append((visitor, hosts[h], visitor_interests[i], host_interests[h]))
    matches = _bulk(
        Match,
        [
            Match(
                visitor=v,
                host=h,
                visitor_interest=vi,
                host_interest=hi,
                vop=v.validating_partnership,
                hop=h.validating_partnership,
                score=rnd.randrange(30, 100),
                proposed_by_role="visitor",
                status=MatchStatus.ACCEPTED,
                encoded=True,  # each gets its exchange below (as exchange_create marks it)
                created_at=v.created_at,
            )
            for v, h, vi, hi in pairs
        ],
    )
    exchanges = []
    for i, ((visitor, host, _vi, _hi), match) in enumerate(zip(pairs, matches, strict=True)):
        status = rnd.choices(statuses, weights)[0]
        created = visitor.created_at + timedelta(days=rnd.randrange(1, 60))
        start = created.date() + timedelta(days=rnd.randrange(30, 200))
        if status == ExchangeStatus.DRAFT:
            start = max(start, today + timedelta(days=rnd.randrange(10, 300)))
        stamp = created + timedelta(days=20)
        exchanges.append(
            Exchange(
                reference=f"BX-{i:07d}",
                visitor=visitor,
                host=host,
                vop=visitor.validating_partnership,
                hop=host.validating_partnership,
                match=match,
                mode=ExchangeMode.VIRTUAL if rnd.random() < 0.12 else ExchangeMode.PHYSICAL,
                start_date=start,
                end_date=start + timedelta(days=rnd.randrange(2, 12)),
                objectives="Exchange practices and meet the ecosystem.",
                status=status,
                contracted_at=stamp if status not in ("draft", "cancelled") else None,
                executed_at=stamp if status in ("executed", "closed") else None,
                closed_at=stamp if status == "closed" else None,
                cancelled_at=stamp if status == "cancelled" else None,
                created_at=created,
                updated_at=stamp,
            )
        )
    exchanges = _bulk(Exchange, exchanges)

    # Activities (4 or 5 per exchange: 4.7 on average) and audit events (10–16: 13).
    types = list(ActivityType)
    activities = []
    for e in exchanges:
        for k in range(4 if rnd.random() < 0.3 else 5):
            activities.append(
                Activity(
                    exchange=e,
                    date=e.start_date + timedelta(days=k % 3),
                    activity_type=rnd.choice(types),
                    title=f"Activity {k + 1}",
                    hours=Decimal(rnd.randrange(2, 16)) / 2,
                    created_at=e.created_at,
                )
            )
        if len(activities) >= 4 * BATCH:  # bounded memory at 100,000 exchanges
            _bulk(Activity, activities)
            activities = []
    _bulk(Activity, activities)
    exchange_type = ContentType.objects.get_for_model(Exchange)
    events = []
    for e in exchanges:
        for k in range(rnd.randrange(10, 17)):
            events.append(
                AuditEvent(
                    actor=staff_users[k % PARTNERSHIPS],
                    action=AUDIT_ACTIONS[k % len(AUDIT_ACTIONS)],
                    subject_type=exchange_type,
                    subject_id=str(e.pk),
                    subject_repr=e.reference,
                    data={"k": k},
                    created_at=e.created_at + timedelta(hours=k),
                )
            )
        if len(events) >= 4 * BATCH:
            _bulk(AuditEvent, events)
            events = []
    _bulk(AuditEvent, events)
    _bulk(
        Notification,
        [
            Notification(
                dedup_key=f"bench:{e.pk}",
                kind="exchanges.exchange.contracted",
                recipient=staff_users[i % PARTNERSHIPS],
                to_email=staff_users[i % PARTNERSHIPS].email,
                subject=f"{e.reference} contracted",
                body="…",
                about_type=exchange_type,
                about_id=str(e.pk),
                created_at=e.created_at,
                sent_at=e.created_at,
            )
            for i, e in enumerate(exchanges)
        ],
    )

    # Payments: fixed at contracting for physical exchanges (R-PAY-5), due once closed.
    payments = []
    for e in exchanges:
        if e.mode != ExchangeMode.PHYSICAL or e.status in ("draft", "cancelled"):
            continue
        status, due, paid_on, ref = PaymentStatus.PENDING, None, None, ""
        if e.status == ExchangeStatus.CLOSED:
            due = e.end_date + timedelta(days=60)
            if rnd.random() < 0.7:
                status, paid_on, ref = PaymentStatus.PAID, due, f"PAY-{e.pk}"
            else:
                status = PaymentStatus.DUE
        payments.append(
            Payment(
                exchange=e,
                vop_id=e.vop_id,
                amount=Decimal("780.00"),
                rate=Decimal("780.00"),
                working_days=5,
                status=status,
                due_date=due,
                paid_on=paid_on,
                reference=ref,
            )
        )
    _bulk(Payment, payments)
    add_paperwork(n)

    staff0 = staff_users[0]
    exchange0 = next(e for e in exchanges if e.vop_id == partnerships[0].pk)
    return {
        "counts": counts(),
        "support_id": support.pk,
        "staff_id": staff0.pk,
        "applicant_id": applicant.pk,
        "partnership_id": partnerships[0].pk,
        "exchange_id": exchange0.pk,
        "interest_id": visitor_interests[n].pk,
    }


#: (status, share) of each side's final report of an executed exchange (``None``: not started).
EXECUTED_REPORTS = [
    (None, 0.25),
    (FinalReportStatus.DRAFT, 0.10),
    (FinalReportStatus.SUBMITTED, 0.25),
    (FinalReportStatus.RETURNED, 0.10),
    (FinalReportStatus.VALIDATED, 0.30),
]
#: ... of a contracted exchange whose stay is over (not recorded as executed yet).
CONTRACTED_REPORTS = [
    (None, 0.60),
    (FinalReportStatus.DRAFT, 0.10),
    (FinalReportStatus.SUBMITTED, 0.30),
]
#: ... the host's of a closed exchange (the visitor's is validated: the close condition).
CLOSED_HOST_REPORTS = [
    (None, 0.08),
    (FinalReportStatus.SUBMITTED, 0.04),
    (FinalReportStatus.VALIDATED, 0.88),
]
#: Each side's spread by the exchange's status.
REPORT_SPREADS = {
    ExchangeStatus.CLOSED: {
        FinalReportSide.VISITOR: [(FinalReportStatus.VALIDATED, 1.0)],
        FinalReportSide.HOST: CLOSED_HOST_REPORTS,
    },
    ExchangeStatus.EXECUTED: dict.fromkeys(FinalReportSide.values, EXECUTED_REPORTS),
    ExchangeStatus.CONTRACTED: dict.fromkeys(FinalReportSide.values, CONTRACTED_REPORTS),
}
#: The share of drafts whose documents are rendered (and partly signed).
DRAFTS_WITH_DOCUMENTS = 0.4


def _memberships(rnd: random.Random, hosts: list, organisations: list) -> None:
    """R-ELIG-4, R-ELIG-6 as the programme would have them: an SME takes part as a member of a
    validated cluster organisation (95 % of them here), or — a host only — with EASME's
    pre-approval recorded (most of the rest); the few others are the Support Office's EASME
    requests still waiting. Clusters are the validated cluster organisations."""
    clusters = [
        o.pk
        for o in organisations
        if o.org_type == OrganisationType.CLUSTER and o.status == ProfileStatus.VALIDATED
    ][:2000]
    host_ids = {o.pk for o in hosts}
    members, approvals = [], []
    for o in organisations:
        if o.org_type != OrganisationType.SME or not clusters:
            continue
        draw = rnd.random()
        if draw < 0.95:
            cluster = rnd.choice(clusters)
            if cluster != o.pk:
                members.append(ClusterMembership(member_id=o.pk, cluster_id=cluster))
        elif o.pk in host_ids and draw < 0.99:
            approvals.append(
                EasmePreApproval(
                    organisation_id=o.pk,
                    reference=f"EASME-{o.pk}",
                    granted_on=(o.created_at + timedelta(days=20)).date(),
                )
            )
    _bulk(ClusterMembership, members)
    _bulk(EasmePreApproval, approvals)
    # R-ELIG-4: the fact the services keep on the row (every cluster above is validated).
    Organisation.objects.filter(
        Exists(ClusterMembership.objects.filter(member=OuterRef("pk")))
    ).update(in_validated_cluster=True)


def _fake_sha(*parts) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def add_paperwork(n: int) -> dict[str, int]:
    """Documents, signatures and final reports for the exchanges already in the database (the
    last step of ``build``; callable alone on a database built before it existed). Bulk inserts
    in batches; the exchanges' "report first submitted" facts set by two UPDATEs. Returns the
    rows added per model. Deterministic for a given N."""
    rnd = random.Random(n * 7 + 1)
    today = date.today()
    signers = {
        row["partnership_id"]: row["user_id"]
        for row in PartnershipStaff.objects.filter(user__email__endswith="@bench.example").values(
            "partnership_id", "user_id"
        )
    }
    PartnershipStaff.objects.filter(user__email__endswith="@bench.example").update(can_sign=True)
    added = {"documents": 0, "signatures": 0, "final_reports": 0}
    rows = Exchange.objects.order_by("pk").values_list(
        "pk", "status", "end_date", "vop_id", "hop_id", "created_at"
    )
    with transaction.atomic(), _timestamps_as_given(Document, FinalReport):
        for chunk in _chunks(rows.iterator(chunk_size=BATCH), BATCH):
            documents, parties, reports = [], [], []
            for pk, status, end, vop, hop, created in chunk:
                signed_at = created + timedelta(days=rnd.randrange(5, 25))
                if status in (ExchangeStatus.DRAFT, ExchangeStatus.CANCELLED):
                    if status == ExchangeStatus.CANCELLED or rnd.random() > DRAFTS_WITH_DOCUMENTS:
                        continue
                    share = rnd.choice([0.0, 0.25, 0.5, 0.75])  # some signatures missing
                else:
                    share = 1.0
                for kind in (DocumentKind.CTQ, DocumentKind.FA):
                    documents.append(
                        Document(
                            exchange_id=pk,
                            kind=kind,
                            version=1,
                            data={},
                            data_hash=_fake_sha("data", pk, kind),
                            file=f"documents/bench/{pk}-{kind}-1.pdf",
                            sha256=_fake_sha("pdf", pk, kind),
                            size=48_000,
                            status=DocumentStatus.READY,
                            created_at=signed_at - timedelta(days=2),
                            rendered_at=signed_at - timedelta(days=2),
                        )
                    )
                    signed = [
                        (party, signers.get(vop if party in (Party.VO, Party.VOP) else hop))
                        for party in REQUIRED_PARTIES[kind]
                        if share == 1.0 or rnd.random() < share
                    ]
                    parties.append(signed)
                    waiting = set(REQUIRED_PARTIES[kind]) - {
                        p for p, signer in signed if signer is not None
                    }
                    documents[-1].awaits_hop = Party.HOP in waiting
                    documents[-1].awaits_vop = Party.VOP in waiting
                if status in (ExchangeStatus.DRAFT, ExchangeStatus.CANCELLED) or end > today:
                    continue
                for side, spread in REPORT_SPREADS[status].items():
                    state = rnd.choices([s for s, _ in spread], [w for _, w in spread])[0]
                    if state is None:
                        continue
                    reviewer = vop if side == FinalReportSide.VISITOR else hop
                    reports.append(_report(rnd, pk, side, reviewer, state, end))
            documents = _bulk(Document, documents)
            signatures = [
                Signature(
                    document=document,
                    party=party,
                    signer_id=signer,
                    typed_name="Bench Signer",
                    signed_at=document.rendered_at + timedelta(hours=1),
                    signed_sha256=document.sha256,
                )
                for document, signed in zip(documents, parties, strict=True)
                for party, signer in signed
                if signer is not None
            ]
            _bulk(Signature, signatures)
            _bulk(FinalReport, reports)
            added["documents"] += len(documents)
            added["signatures"] += len(signatures)
            added["final_reports"] += len(reports)
        # The exchanges' facts, as ``far_save`` keeps them (the reports room's migration's own
        # set-based fill: one UPDATE per side).
        importlib.import_module("reports.migrations.0005_queue_report_facts").fill_report_facts(
            django_apps, None
        )
    return added


DECIDED = (FinalReportStatus.VALIDATED, FinalReportStatus.RETURNED)


def _report(rnd: random.Random, exchange_id: int, side: str, reviewer: int, state: str, end: date):
    """One side's final report in ``state``: first submitted within 0–12 days of the stay's
    end (a sixth of them after the 7-day deadline: late), decided a few days later."""
    first = datetime.combine(end, datetime.min.time(), tzinfo=UTC) + timedelta(
        days=rnd.randrange(0, 13), hours=rnd.randrange(8, 18)
    )
    submitted = state != FinalReportStatus.DRAFT
    decided = first + timedelta(days=rnd.randrange(1, 6)) if submitted else None
    return FinalReport(
        exchange_id=exchange_id,
        side=side,
        reviewer_id=reviewer,
        status=state,
        results_achieved=True if submitted else None,
        results_text="Two pilots and a joint proposal." if submitted else "",
        satisfaction_counterpart=rnd.randrange(3, 6) if submitted else None,
        satisfaction_partnership=rnd.randrange(3, 6) if submitted else None,
        satisfaction_overall=rnd.randrange(2, 6) if submitted else None,
        would_recommend=True if submitted else None,
        first_submitted_at=first if submitted else None,
        submitted_at=decided
        if state == FinalReportStatus.RETURNED
        else first
        if submitted
        else None,
        decided_at=decided
        if state in (FinalReportStatus.VALIDATED, FinalReportStatus.RETURNED)
        else None,
        returned_count=1 if state == FinalReportStatus.RETURNED else 0,
        return_comment="More detail, please." if state == FinalReportStatus.RETURNED else "",
        file=f"final_reports/bench/{exchange_id}-{side}.pdf" if submitted else "",
        sha256=_fake_sha("far", exchange_id, side) if submitted else "",
        size=24_000 if submitted else 0,
        rendered_at=first if submitted else None,
        created_at=first - timedelta(days=1),
        updated_at=decided or first,
    )


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def recover(n: int) -> dict:
    """What ``build(n)`` returned, read back from a database it filled (``--reuse`` when the
    state file is gone, e.g. a database built from another worktree)."""
    support = User.objects.get(email="support@bench.example")
    staff0 = User.objects.get(email="staff0@bench.example")
    applicant = User.objects.get(email="applicant@bench.example")
    partnership = Partnership.objects.get(acronym="BP0")
    exchange0 = Exchange.objects.filter(vop=partnership).order_by("pk").first()
    interest = ExpressionOfInterest.objects.get(
        role="visitor", organisation__legal_name__startswith=f"Visitor {n:07d} "
    )
    return {
        "counts": counts(),
        "support_id": support.pk,
        "staff_id": staff0.pk,
        "applicant_id": applicant.pk,
        "partnership_id": partnership.pk,
        "exchange_id": exchange0.pk if exchange0 else None,
        "interest_id": interest.pk,
    }


def counts() -> dict[str, int]:
    """Rows of each table the benchmark fills."""
    models = [
        Partnership,
        Organisation,
        ClusterMembership,
        EasmePreApproval,
        ExpressionOfInterest,
        Match,
        Exchange,
        Activity,
        AuditEvent,
        Notification,
        Payment,
        Document,
        Signature,
        FinalReport,
    ]
    return {m._meta.label: m.objects.count() for m in models}
