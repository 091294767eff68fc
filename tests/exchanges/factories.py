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
from exchanges.guards import REQUIRED_SIGNATURES
from exchanges.models import ExchangeStatus, SignatureRecord
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


def sign_all(exchange, *, except_: tuple[tuple[str, str], ...] = ()):
    for document, party in REQUIRED_SIGNATURES:
        if (document, party) not in except_:
            SignatureRecord.objects.create(exchange=exchange, document=document, party=party)


def ready_exchange(**kwargs):
    """A draft that passes every contract guard (24 h of activities, all six signatures)."""
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
    )
    exchange.save(update_fields=["match"])
    return exchange
