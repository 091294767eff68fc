"""The VOP's review of the evidence that a stay took place (R-PAY-4 (c)).

Accepting the last missing piece closes the exchange by itself when everything else of
R-PAY-4 is in (R-PAY-7, ``exchanges.services.exchange_close_if_ready``). The upload of the
files and their pages belong to the evidence UI; this is the review's service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from exchanges.models import ExchangeStatus
from exchanges.permissions import DENIALS, can_close_exchange
from exchanges.services import exchange_close_if_ready

from .models import Evidence, EvidenceStatus


def evidence_review(
    *,
    evidence: Evidence,
    actor: Any,
    accept: bool,
    comment: str = "",
    today: date | None = None,
) -> Evidence:
    """R-PAY-4 (c): VOP staff accept or reject (with a comment) one pending piece of evidence
    of an executed exchange, once (locked and re-checked). Audited on the exchange. R-PAY-7: an
    acceptance that completes R-PAY-4 closes the exchange in the same transaction, ``actor`` as
    the closer."""
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"review_comment": _("Say why the evidence is rejected.")})
    with transaction.atomic():
        locked = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("exchange")
            .get(pk=evidence.pk)
        )
        exchange = locked.exchange
        if not can_close_exchange(actor, exchange):
            raise PermissionDenied(DENIALS["close"])
        if locked.status != EvidenceStatus.PENDING:
            raise ValidationError(_("This evidence is already reviewed."))
        if exchange.status != ExchangeStatus.EXECUTED:
            raise ValidationError(
                _("Evidence is reviewed once the exchange is executed and before it is closed.")
            )
        locked.status = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.REJECTED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        record(
            actor=actor,
            action=f"payments.evidence.{locked.status}",
            subject=exchange,
            data={"evidence": locked.pk, "kind": locked.kind, "comment": comment},
        )
        if accept:
            exchange_close_if_ready(exchange=exchange, actor=actor, today=today)
    return locked
