"""Interim records entered by hand until the reports and evidence capabilities land.

- Closing report (R-PAY-4 (b)): VOP staff record that they validated the visitor's closing
  report; the interim gate ``interim_gates.closing_documents_missing`` reads it.

Each record is audited and shows on the exchange's timeline.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cxc_portal.core.refusals import raise_if_refused

from ..guards import closing_report_blockers
from ..models import Exchange
from ..permissions import DENIALS, can_close_exchange
from ._common import lock_exchange, record
from .transitions import exchange_close_if_ready

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def exchange_closing_report_validate(
    *, exchange: Exchange, actor: User, today: date | None = None
) -> Exchange:
    """R-PAY-4 (b): the VOP records that it validated the visitor's closing report (interim,
    until the reports capability brings the report itself). VOP staff only, once, executed.

    R-PAY-7: when this was the last of R-PAY-4 (a)–(c), the exchange closes by itself in the
    same transaction (``exchange_close_if_ready``), ``actor`` as the closer."""
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_close_exchange(actor, locked):
            raise PermissionDenied(DENIALS["close"])
        # Re-checked under the lock: a colleague may have recorded it a moment ago.
        raise_if_refused(closing_report_blockers(locked))
        locked.closing_report_validated_at = timezone.now()
        locked.closing_report_validated_by = actor
        locked.save(
            update_fields=[
                "closing_report_validated_at",
                "closing_report_validated_by",
                "updated_at",
            ]
        )
        record(actor=actor, action="exchanges.closing_report.validated", subject=locked)
        exchange_close_if_ready(exchange=locked, actor=actor, today=today)
    locked.refresh_from_db(fields=["status", "closed_at"])
    return locked
