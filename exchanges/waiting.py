"""What an exchange is waiting for next, in a few words for the staff list (R-EXC-2).

Pure: reads only what the list has already loaded — the status, the dates, the counted hours
(annotated by ``selectors.exchange_list``) — so a page of 25 rows costs no query per
row. The detail page stays the place for the full reasons
(``panel``/``gates``); this is the officer's one-line "what next".

In the order of the lifecycle:

* draft: the action plan while it holds fewer than 24 counted hours (R-EXC-4), then the
  signatures of the documents and contracting (R-DOC-2, R-DOC-3; the document cards of the
  exchange page say who is still to sign, and the last signature contracts it);
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

from .guards import MIN_PLAN_HOURS, format_hours
from .models import ExchangeStatus


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
        # R-DOC-2, R-DOC-3: who still signs is on the exchange page's document cards (the
        # documents room's, above this one); the list says only what comes next.
        return _("signatures and contracting")
    if status == ExchangeStatus.CONTRACTED:
        if today <= exchange.end_date:
            return _("stay to end (%(day)s)") % {"day": date_format(exchange.end_date, "j M Y")}
        return _("recording as executed")
    if status == ExchangeStatus.EXECUTED:
        return _("final report and evidence")
    return ""
