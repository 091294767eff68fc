"""What an exchange is waiting for next, in a few words for the staff list (R-EXC-2).

Pure: reads only what the list has already loaded — the status, the dates, the counted hours
(annotated by ``selectors.exchange_list``), the prefetched signatures — so a page of 25 rows
costs no query per row. The detail page stays the place for the full reasons
(``panel``/``gates``); this is the officer's one-line "what next".

In the order of the lifecycle:

* draft: the action plan while it holds fewer than 24 counted hours (R-EXC-4), then the
  parties whose signatures are missing (R-DOC-2: CTQ by HO, HOP, VO, VOP; R-DOC-3: FA by VO
  and VOP), then the partnership's "Contract";
* contracted: the stay to end, then its recording as executed;
* executed: closing, which waits for the visitor's validated final activity report and the
  accepted evidence (R-PAY-4; both read by the rooms above, not here);
* closed and cancelled: nothing in this room.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .guards import MIN_PLAN_HOURS, REQUIRED_SIGNATURES, format_hours
from .models import ExchangeStatus


def _short_party(party: str) -> str:
    return str(party).upper()  # "ho" → "HO": the abbreviations the parties are known by


def missing_signatories(exchange) -> list[str]:
    """R-DOC-2, R-DOC-3: the parties (HO, HOP, VO, VOP, in that order) that still have a
    contract document to sign. Reads ``exchange.signatures.all()`` (prefetch it)."""
    signed = {(s.document, s.party) for s in exchange.signatures.all()}
    missing: list[str] = []
    for document, party in REQUIRED_SIGNATURES:
        label = _short_party(party)
        if (document, party) not in signed and label not in missing:
            missing.append(label)
    order = ["HO", "HOP", "VO", "VOP"]
    return sorted(missing, key=order.index)


def waiting_for(exchange, *, today: date) -> str:
    """The next thing ``exchange`` waits for, as a short phrase ("" when nothing)."""
    status = exchange.status
    if status == ExchangeStatus.DRAFT:
        hours = getattr(exchange, "counted_hours", None)
        if hours is not None and Decimal(hours) < MIN_PLAN_HOURS:
            return _("action plan (%(hours)s of %(min)s h)") % {
                "hours": format_hours(Decimal(hours)),
                "min": format_hours(MIN_PLAN_HOURS),
            }
        missing = missing_signatories(exchange)
        if missing:
            return _("signatures (%(parties)s)") % {"parties": ", ".join(missing)}
        return _("contracting")
    if status == ExchangeStatus.CONTRACTED:
        if today <= exchange.end_date:
            return _("stay to end (%(day)s)") % {"day": date_format(exchange.end_date, "j M Y")}
        return _("recording as executed")
    if status == ExchangeStatus.EXECUTED:
        return _("final report and evidence")
    return ""
