"""The facts the reports room keeps on the exchange (it may import this room, not the reverse).

``exchange_report_submitted``: R-DOC-4 — the moment a side's final report was first submitted,
copied onto ``Exchange.visitor_report_at`` / ``host_report_at`` so the overdue reports (the work
queues, the dashboards' drill-downs) are read from partial indexes, not by an anti-join over
every ended exchange (issue 12, issue 13).
"""

from __future__ import annotations

from datetime import datetime

from ..models import REPORT_FACTS, Exchange


def exchange_report_submitted(*, exchange: Exchange | int, side: str, at: datetime) -> bool:
    """R-DOC-4, R-DOC-6: record that ``side``'s final report ("visitor" or "host") was first
    submitted at ``at``. Called by the reports room's submission service in its transaction
    (the exchange row already locked there); the first submission wins and the fact is never
    unset — a report returned for a correction stays "in" (it was reported in time or not by
    its first submission). Returns whether the fact was new. One UPDATE, no audit event of its
    own: the submission is audited by its service."""
    field = REPORT_FACTS[side]
    pk = exchange.pk if isinstance(exchange, Exchange) else exchange
    changed = Exchange.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: at})
    if changed and isinstance(exchange, Exchange):
        setattr(exchange, field, at)
    return bool(changed)
