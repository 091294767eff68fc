"""Helpers for the exchanges tests, on top of tests/factories.py.

The shared ``ExchangeFactory`` builds a Belgian cluster visiting a Portuguese cluster from Monday
8 to Friday 12 March 2027 (no Portuguese holiday that week); services are called with
``today=TODAY`` (before the stay) unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from exchanges.calendar import working_days
from exchanges.models import ExchangeStatus
from partnerships.models import Match, MatchStatus
from tests.factories import (
    ActivityFactory,
    ExchangeFactory,
    ExpressionOfInterestFactory,
    PartnershipStaffFactory,
    RepresentativeFactory,
    UserFactory,
    give_totp,
)

#: "Today" for service calls: well before the factory's stay (8–12 March 2027).
TODAY = date(2027, 1, 15)


def approver(partnership, *, totp: bool = True, can_approve: bool = True):
    """A staff user of ``partnership`` (with ``can_approve_exchanges`` unless told not)."""
    staff = PartnershipStaffFactory(partnership=partnership, can_approve_exchanges=can_approve)
    if totp:
        give_totp(staff.user)
    return staff.user


def representative(organisation):
    """An active representative (applicant) of ``organisation``."""
    return RepresentativeFactory(organisation=organisation).user


def support_office_user():
    user = UserFactory(is_support_office=True)
    give_totp(user)
    return user


def fill_plan(exchange, *, hours_per_day=Decimal("6.0"), days: int = 4):
    """Activities of ``hours_per_day`` on the first ``days`` days of the stay (default 24 h)."""
    for offset in range(days):
        ActivityFactory(
            exchange=exchange,
            date=exchange.start_date + timedelta(days=offset),
            hours=hours_per_day,
        )


def signatories(exchange):
    """R-DOC-2, R-DOC-3, R-ELIG-10: who signs for each party of ``exchange``: an existing active,
    adult signatory representative (HO, VO) or staff member with the "may sign" flag (HOP, VOP)
    when there is one, else a new one. Made *before* the documents: they are in the CTQ."""
    from django.db.models import Q

    from organisations.models import Representative
    from partnerships.models import PartnershipStaff

    def rep(organisation):
        found = (
            Representative.objects.filter(
                organisation=organisation, status="active", is_signatory=True
            )
            .filter(
                Q(date_of_birth__lte=date(2000, 1, 1))
                | Q(date_of_birth__isnull=True, declares_adult=True)
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return found.user if found else RepresentativeFactory(organisation=organisation).user

    def staff(partnership):
        found = (
            PartnershipStaff.objects.filter(partnership=partnership, can_sign=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found:
            return found.user
        made = PartnershipStaffFactory(
            partnership=partnership, can_sign=True, can_approve_exchanges=False, can_pay=False
        )
        give_totp(made.user)
        return made.user

    return {
        "ho": rep(exchange.host),
        "vo": rep(exchange.visitor),
        "hop": staff(exchange.hop),
        "vop": staff(exchange.vop),
    }


def prepare_documents(exchange):
    """The documents of ``exchange`` made and rendered now (the Celery task's work, inline)."""
    from reports.models import DocumentStatus
    from reports.selectors import latest_documents
    from reports.services import document_refresh, document_render

    document_refresh(actor=None, exchange=exchange.pk)
    for document in latest_documents(exchange.pk).values():
        if document.status == DocumentStatus.RENDERING:
            document_render(document_id=document.pk)
    return latest_documents(exchange.pk)


def sign_all(exchange, *, except_: tuple[tuple[str, str], ...] = (), contract: bool = False):
    """R-DOC-2, R-DOC-3: the CTQ signed by HO, HOP, VO, VOP and the FA by VO, VOP — real
    signatures through ``reports.services_signing.signature_add`` on freshly prepared documents,
    but for the (kind, party) pairs in ``except_`` (e.g. ``("CTQ", "ho")``).

    The last signature would contract the exchange by itself (R-EXC-2); unless ``contract``,
    a temporary condition on "contract" holds that back, so a test contracts it when it wants.
    Returns the signatories by party."""
    from cxc_portal.core.refusals import Refusal
    from exchanges import gates
    from reports.services_signing import signature_add
    from reports.signing import required_parties

    people = signatories(exchange)
    documents = prepare_documents(exchange)

    def held(exchange, today):
        return [Refusal("R-EXC-2", "held back by the test helper sign_all")]

    with gates.temporary_gate("contract", condition=None if contract else held):
        for kind, document in documents.items():
            for party in required_parties(kind):
                if (kind, party) in except_ or document.signatures.filter(
                    party=party, voided_at__isnull=True
                ):
                    continue
                signer = people[party]
                signature_add(
                    actor=signer,
                    document=document.pk,
                    party=party,
                    typed_name=signer.get_full_name(),
                    ip="127.0.0.1",
                    user_agent="pytest",
                )
    exchange.refresh_from_db()
    return people


def ready_exchange(**kwargs):
    """A draft that passes every contract guard (24 h of activities, all six signatures on the
    current documents); not contracted yet."""
    exchange = ExchangeFactory(**kwargs)
    fill_plan(exchange)
    sign_all(exchange)
    return exchange


def contracted_exchange(**kwargs):
    kwargs.setdefault("contracted_at", timezone.now())
    return ExchangeFactory(status=ExchangeStatus.CONTRACTED, **kwargs)


def executed_exchange(**kwargs):
    return ExchangeFactory(status=ExchangeStatus.EXECUTED, **kwargs)


def clean_week(country: str, *, after: date) -> tuple[date, date]:
    """The first Monday–Friday on or after ``after`` with five working days in ``country``
    (so page tests relative to the real today never trip over a holiday)."""
    monday = after + timedelta(days=(7 - after.weekday()) % 7)
    while working_days(monday, monday + timedelta(days=4), country).count < 5:
        monday += timedelta(days=7)
    return monday, monday + timedelta(days=4)


def future_exchange(**kwargs):
    """A draft whose stay is a clean week about five weeks after the real today (for pages
    whose views read the clock)."""
    start, end = clean_week("PT", after=timezone.localdate() + timedelta(days=35))
    kwargs.setdefault("start_date", start)
    kwargs.setdefault("end_date", end)
    return ExchangeFactory(**kwargs)


def link_to_accepted_match(exchange):
    """Make ``exchange`` one encoded from an ACCEPTED match of its own parties."""
    interest = ExpressionOfInterestFactory(organisation=exchange.visitor, partnership=exchange.vop)
    exchange.match = Match.objects.create(
        visitor=exchange.visitor,
        host=exchange.host,
        visitor_interest=interest,
        vop=exchange.vop,
        hop=exchange.hop,
        score=50,
        proposed_by_role="visitor",
        status=MatchStatus.ACCEPTED,
        encoded=True,  # as exchange_create leaves it
    )
    exchange.save(update_fields=["match"])
    return exchange
