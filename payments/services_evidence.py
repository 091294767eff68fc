"""Evidence that the stay took place (R-PAY-4 (c)): the visitor uploads, the VOP reviews.

- ``evidence_upload``: the visitor's active representatives upload a PDF, JPEG or PNG (boarding
  pass, travel or accommodation invoice) once the exchange is **contracted or executed** — not
  on a draft (nothing is agreed yet), nor once closed or cancelled (the payment clock has
  started, or there is nothing to pay). The type is sniffed from the bytes by the kernel's
  upload validator (use ``"evidence"``), never taken from the name.
- ``evidence_accept`` / ``evidence_reject``: the VOP's staff who may approve exchanges decide on
  each file, once; a rejection says why (the comment is required) and is e-mailed to the
  visitor's representatives, who may upload another file.

Every decision runs with the exchange and the file locked and re-checked, is audited
(``payments.evidence.*``, subject the file: its name and comment stay off the exchange's
timeline, which the host reads) and notifies after commit.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.core.refusals import Refusal, raise_if_refused
from cxc_portal.core.uploads import private_file_save
from cxc_portal.notifications.services import notification_send_many
from exchanges.models import Exchange, ExchangeStatus
from exchanges.services import transitions as exchange_transitions

from .models import Evidence, EvidenceKind, EvidenceStatus
from .permissions_files import DENIALS, can_review_evidence, can_upload_evidence
from .selectors_files import exchange_visitor_users, exchange_vop_reviewers

#: R-PAY-4 (c): the states in which evidence is uploaded and reviewed.
EVIDENCE_OPEN_STATES = (ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED)
COMMENT_MAX = 2000


def evidence_state_refusals(exchange: Exchange) -> list[Refusal]:
    """R-PAY-4 (c): evidence is taken and reviewed while the exchange is contracted or executed."""
    if exchange.status in EVIDENCE_OPEN_STATES:
        return []
    if exchange.status == ExchangeStatus.DRAFT:
        text = _("Evidence of the stay is uploaded once the exchange is contracted.")
    elif exchange.status == ExchangeStatus.CLOSED:
        text = _("The exchange is closed: its evidence is complete and can no longer change.")
    else:
        text = _("The exchange is cancelled: there is no stay to prove.")
    return [Refusal("R-PAY-4", text)]


def _lock_exchange(pk: int) -> Exchange:
    return (
        Exchange.objects.select_related("visitor", "vop").select_for_update(of=("self",)).get(pk=pk)
    )


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _evidence_url(exchange: Exchange) -> str:
    return reverse("payments:evidence", kwargs={"exchange_id": exchange.pk})


def evidence_upload(*, actor, exchange: Exchange, file, kind: str) -> Evidence:
    """R-PAY-4 (c): store one proof of the stay for ``exchange`` and queue it for the VOP.

    Refused (``ValidationError`` keyed ``file``/``kind``, nothing stored) when the file is empty,
    over ``CXC_UPLOAD_MAX_BYTES`` or not really a PDF, JPEG or PNG, and (not keyed) when the
    exchange is not contracted or executed. The file is written before the row; if the row is
    then refused (the exchange changed meanwhile), the file is deleted again.
    """
    if not can_upload_evidence(actor, exchange):
        raise PermissionDenied(DENIALS["evidence_upload"])
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Say what this file proves.")})
    raise_if_refused(evidence_state_refusals(exchange))
    try:
        stored = private_file_save(file=file, use="evidence")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    sha256 = _sha256(file)  # of the bytes just stored (the upload stays open and readable)
    try:
        with transaction.atomic():
            locked = _lock_exchange(exchange.pk)
            # Re-checked under the lock: the exchange may have been closed or cancelled since.
            raise_if_refused(evidence_state_refusals(locked))
            evidence = Evidence.objects.create(
                exchange=locked,
                file=stored.name,
                original_name=stored.original_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=sha256,
                kind=kind,
                uploaded_by=actor,
            )
            record(
                actor=actor,
                action="payments.evidence.uploaded",
                subject=evidence,
                data={
                    "exchange": locked.reference,
                    "kind": kind,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": sha256,
                },
            )
            notification_send_many(
                recipients=exchange_vop_reviewers(exchange=locked),
                kind="payments.evidence.uploaded",
                about=evidence,
                template="payments/email/evidence_uploaded",
                context={"exchange": locked, "evidence": evidence, "url": _evidence_url(locked)},
            )
    except BaseException:
        default_storage.delete(stored.name)
        raise
    return evidence


def _lock_for_review(actor, evidence: Evidence) -> tuple[Exchange, Evidence]:
    """Lock the exchange, then the file (always in that order), and re-check both."""
    if not can_review_evidence(actor, evidence.exchange):
        raise PermissionDenied(DENIALS["evidence_review"])
    exchange = _lock_exchange(evidence.exchange_id)
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    raise_if_refused(evidence_state_refusals(exchange))
    # Re-checked under the lock: a colleague may have decided on this file a moment ago.
    if locked.status != EvidenceStatus.PENDING:
        raise_if_refused(
            [
                Refusal(
                    "R-PAY-4",
                    _("This file was already %(decision)s.")
                    % {"decision": locked.get_status_display().lower()},
                )
            ]
        )
    return exchange, locked


def _decide(*, actor, evidence: Evidence, status: str, comment: str) -> None:
    evidence.status = status
    evidence.reviewed_by = actor
    evidence.reviewed_at = timezone.now()
    evidence.review_comment = comment
    evidence.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])


def _clean_comment(comment: str) -> str:
    comment = str(comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": _("At most %(max)s characters, please.") % {"max": COMMENT_MAX}}
        )
    return comment


def evidence_accept(
    *, actor, evidence: Evidence, comment: str = "", today: date | None = None
) -> Evidence:
    """R-PAY-4 (c): the VOP accepts one file (comment optional). If that was the last missing
    item of R-PAY-4, the exchange closes itself, the accepting user as actor (R-PAY-7): see
    ``_after_accept``."""
    comment = _clean_comment(comment)
    with transaction.atomic():
        exchange, locked = _lock_for_review(actor, evidence)
        _decide(actor=actor, evidence=locked, status=EvidenceStatus.ACCEPTED, comment=comment)
        record(
            actor=actor,
            action="payments.evidence.accepted",
            subject=locked,
            data={"exchange": exchange.reference, "comment": comment},
        )
        _after_accept(
            exchange=exchange, actor=actor, today=today if today else timezone.localdate()
        )
    return locked


def _after_accept(*, exchange: Exchange, actor, today: date) -> None:
    """R-PAY-7: after an accepted file, close the exchange if nothing of R-PAY-4 is missing any
    more (in the same transaction, the exchange row already locked)."""
    exchange_transitions.exchange_close_if_ready(exchange=exchange, actor=actor, today=today)


def evidence_reject(*, actor, evidence: Evidence, comment: str) -> Evidence:
    """R-PAY-4 (c): the VOP rejects one file and says why (required: the visitor must know what
    to send instead); the visitor's representatives are e-mailed after commit."""
    comment = _clean_comment(comment)
    if not comment:
        raise ValidationError({"comment": _("Say why the file is rejected: the visitor reads it.")})
    with transaction.atomic():
        exchange, locked = _lock_for_review(actor, evidence)
        _decide(actor=actor, evidence=locked, status=EvidenceStatus.REJECTED, comment=comment)
        record(
            actor=actor,
            action="payments.evidence.rejected",
            subject=locked,
            data={"exchange": exchange.reference, "comment": comment},
        )
        notification_send_many(
            recipients=exchange_visitor_users(exchange=exchange),
            kind="payments.evidence.rejected",
            about=locked,
            template="payments/email/evidence_rejected",
            context={
                "exchange": exchange,
                "evidence": locked,
                "comment": comment,
                "url": _evidence_url(exchange),
            },
        )
    return locked
