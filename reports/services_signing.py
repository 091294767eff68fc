"""Writes of the signing (R-DOC-2, R-DOC-3, R-DOC-5, R-ELIG-10, R-EXC-2).

- :func:`signature_add`: one party signs the newest version of one document; under the
  exchange's row lock, every rule re-checked (``signing.signature_refusals``), audited; when the
  document then has all its signatures its sealing is queued on commit; when it was the last
  signature the exchange needs and every other condition of "contract" holds, the exchange is
  contracted in the same transaction (``exchanges.services.exchange_contract_if_ready``); on a
  contracted exchange under an amendment (R-DOC-8), the amendment closes once every document it
  touched is signed again (``services_amendments.amendment_sign_off``).
- :func:`signatures_void`: a new version of a document voids the earlier version's signatures
  (called by ``services.document_refresh``), audited, and tells those who had signed.
- :func:`signature_reminders`: the daily reminder of the signatories who have not signed a
  version ready for ``CXC_SIGNATURE_REMINDER_DAYS`` days, once per version and person.

The re-authentication (R-DOC-5: the signer proves it is them) is the view's
(``views_signing``, allauth's ``reauthentication_required``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.core.queue import enqueue
from cxc_portal.core.refusals import raise_if_refused
from cxc_portal.notifications.services import notification_send_many
from exchanges.guards import plan_blockers
from exchanges.models import Amendment, AmendmentStatus, Exchange, ExchangeStatus, Party
from exchanges.services import exchange_contract_if_ready

from . import signing
from .models import Document, DocumentKind, Signature
from .selectors_signing import (
    is_fully_signed,
    live_signatures,
    party_signatories,
    reminder_documents,
    signed_parties,
    signer_facts,
)
from .services_amendments import amendment_sign_off

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

VOIDED = "reports.signature.voided"
REMINDER = "reports.signature.reminder"


def _queue_seal(document_id: int) -> None:
    """R-DOC-7: seal a fully signed document (Celery task ``tasks.seal_document_task``, imported
    lazily: the tasks module imports the services)."""
    from .tasks import seal_document_task

    enqueue(seal_document_task, document_id=document_id)


def _exchange_url(exchange_id: int) -> str:
    return reverse("exchanges:detail", kwargs={"pk": exchange_id}) + "#documents"


def signature_add(
    *,
    actor: User,
    document: Document | int,
    party: str,
    typed_name: str,
    ip: str | None,
    user_agent: str,
    now: datetime | None = None,
) -> Signature:
    """``actor`` signs ``document`` for ``party`` (R-DOC-2, R-DOC-3, R-DOC-5, R-ELIG-10,
    R-EXC-2).

    Refused (``ValidationError``, the name's refusal keyed ``typed_name``; nothing recorded):
    a party the document does not need; an exchange that is not a draft — unless it is
    contracted with an amendment in progress (R-DOC-8), whose amended plan must then meet
    R-EXC-4 again; a version that is not
    the newest or is void; a version still being rendered; a party that already signed this
    version; a person who does not sign for that party (the organisation's active signatory
    representative, aged 18 or over, for HO and VO; the partnership's staff with the "may sign"
    flag for HOP and VOP); a typed name that is not the signer's full name (case and spacing
    aside). The signature keeps the SHA-256 of the version's PDF bytes, the time, the IP and the
    user agent. Then: sealing queued on commit once the document has all its signatures; the
    exchange contracted by itself when every condition of "contract" holds (``actor`` as the
    actor, R-EXC-2); an amendment closed by itself once every document it touched is fully
    signed again, the payment following the newly signed FA (R-DOC-8).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    document_id = document.pk if isinstance(document, Document) else document
    with transaction.atomic():
        exchange_id = (
            Document.objects.filter(pk=document_id).values_list("exchange_id", flat=True).first()
        )
        if exchange_id is None:
            raise ValidationError(_("This document does not exist."))
        # The exchange row is the lock: two signatures, a refresh and a contracting of one
        # exchange run one after the other, each seeing what the other did.
        exchange = Exchange.objects.select_for_update().get(pk=exchange_id)
        locked = Document.objects.get(pk=document_id)
        newest = (
            Document.objects.filter(exchange_id=exchange_id, kind=locked.kind)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        signatures = live_signatures(exchange_id)
        amendment_open = (
            exchange.status == ExchangeStatus.CONTRACTED
            and Amendment.objects.filter(
                exchange_id=exchange_id, status=AmendmentStatus.OPEN
            ).exists()
        )
        version = signing.VersionFacts(
            kind=locked.kind,
            version=locked.version,
            status=locked.status,
            newest_version=newest or locked.version,
            exchange_status=exchange.status,
            signed_parties=signed_parties(locked, signatures),
            amendment_open=amendment_open,
            plan_refusals=tuple(plan_blockers(exchange)) if amendment_open else (),
        )
        raise_if_refused(
            signing.signature_refusals(
                version=version,
                party=party,
                signer=signer_facts(actor, exchange, party),
                typed_name=typed_name,
                today=today,
            )
        )
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    document=locked,
                    party=party,
                    signer=actor,
                    typed_name=" ".join(typed_name.split())[:200],
                    signed_at=now,
                    ip=ip or None,
                    user_agent=(user_agent or "")[:500],
                    signed_sha256=locked.sha256,
                )
        except IntegrityError:  # the unique constraint: signed a moment ago
            raise ValidationError(
                _("The %(party)s has already signed this version.")
                % {"party": signing.party_short(party)}
            ) from None
        document_signed_by(locked, party)
        record(
            actor=actor,
            action="reports.signature.added",
            subject=exchange,
            data={
                "document": locked.kind,
                "version": locked.version,
                "party": party,
                "sha256": locked.sha256,
            },
        )
        if is_fully_signed(locked, [*signatures, signature]):
            transaction.on_commit(lambda: _queue_seal(locked.pk))
        if amendment_open:
            amendment_sign_off(exchange=exchange, actor=actor)
        else:
            exchange_contract_if_ready(exchange=exchange, actor=actor, today=today)
    return signature


def document_signed_by(document: Document, party: str) -> None:
    """R-DOC-2, R-DOC-3: a partnership's signature is on ``document`` — it no longer waits for
    it (``Document.awaits_hop``/``awaits_vop``, what the work queue reads). Inside the
    signature's transaction; a void version is never listed, so nothing sets them back."""
    if party in (Party.HOP, Party.VOP):
        field = f"awaits_{party}"
        Document.objects.filter(pk=document.pk).update(**{field: False})
        setattr(document, field, False)


def signatures_void(*, document: Document, actor: Any, now: datetime | None = None) -> int:
    """R-DOC-5: ``document`` was replaced by a newer version: its live signatures become void
    (``voided_at``), audited on the exchange's timeline, and those who had signed are told by
    e-mail (after commit). Called inside ``document_refresh``'s transaction. Returns how many."""
    now = now or timezone.now()
    signatures = list(
        Signature.objects.filter(document=document, voided_at__isnull=True).select_related("signer")
    )
    if not signatures:
        return 0
    Signature.objects.filter(pk__in=[s.pk for s in signatures]).update(voided_at=now)
    exchange = Exchange.objects.get(pk=document.exchange_id)
    record(
        actor=actor,
        action=VOIDED,
        subject=exchange,
        data={
            "document": document.kind,
            "version": document.version,
            "signatures": [f"{document.kind} v{document.version}:{s.party}" for s in signatures],
        },
    )
    notification_send_many(
        recipients=[s.signer for s in signatures],
        kind=VOIDED,
        about=exchange,
        occasion=f"document-{document.pk}",
        template="reports/email/signatures_voided",
        context={
            "exchange": exchange,
            "document": str(DocumentKind(document.kind).label),
            "version": document.version,
            "url": _exchange_url(exchange.pk),
        },
    )
    return len(signatures)


def signature_remind(*, document_id: int, now: datetime) -> int:
    """R-DOC-2, R-DOC-3, R-DL-3: remind each person who may sign for a party still missing on
    this version, once per (version, person) whatever the retries (the notification key holds
    the version). Re-checked on the fresh rows; returns how many notices were created."""
    document = Document.objects.select_related("exchange").filter(pk=document_id).first()
    if document is None or not document.is_ready:
        return 0
    exchange = document.exchange
    signatures = live_signatures(exchange.pk)
    missing = signing.missing_parties(document.kind, signed_parties(document, signatures))
    # R-DOC-8: a contracted exchange's versions are signed (and reminded) only under an open
    # amendment; an unamended contract's versions are all signed.
    signable = exchange.status == ExchangeStatus.DRAFT or (
        exchange.status == ExchangeStatus.CONTRACTED
        and Amendment.objects.filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN).exists()
    )
    if not missing or not signable:
        return 0
    by_party = party_signatories(exchange, today=timezone.localdate(now))
    recipients = [user for party in missing for user in by_party[party]]
    created = notification_send_many(
        recipients=recipients,
        kind=REMINDER,
        about=exchange,
        occasion=f"document-{document.pk}",
        template="reports/email/signature_reminder",
        context={
            "exchange": exchange,
            "document": str(DocumentKind(document.kind).label),
            "version": document.version,
            "missing": ", ".join(signing.party_short(p) for p in missing),
            "url": _exchange_url(exchange.pk),
        },
    )
    return len(created)


def signature_reminders(*, now: datetime | None = None) -> int:
    """The daily scan: every newest READY version of a draft's document (or of an amended
    contracted exchange's, R-DOC-8), ready for at least
    ``CXC_SIGNATURE_REMINDER_DAYS`` days, reminds its missing signatories (once each)."""
    now = now or timezone.now()
    ready_before = now - timedelta(days=settings.CXC_SIGNATURE_REMINDER_DAYS)
    return sum(
        signature_remind(document_id=pk, now=now)
        for pk in reminder_documents(ready_before=ready_before).values_list("pk", flat=True)
    )
