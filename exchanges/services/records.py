"""Interim records entered by hand until the documents, reports and evidence capabilities land.

- Signatures (R-DOC-2, R-DOC-3): each party records that it signed the CTQ or the FA, for
  itself only (``permissions.signing_parties``): the VOP's and the HOP's approving staff for
  their partnership, the visitor's and the host's active representatives for their
  organisation; the interim gate ``interim_gates.contract_signatures_missing`` reads them.

Each record is audited and shows on the exchange's timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import raise_if_refused

from ..guards import REQUIRED_SIGNATURES, draft_edit_blockers
from ..models import ContractDocument, Exchange, Party, SignatureRecord
from ..permissions import SIGNATURE_DENIALS, can_record_signature
from ._common import lock_exchange, record

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def _check_pair(document: str, party: str) -> None:
    if (document, party) not in REQUIRED_SIGNATURES:
        raise ValidationError(
            {
                "party": _("The %(document)s is signed only by %(parties)s.")
                % {
                    "document": ContractDocument(document).label
                    if document in ContractDocument.values
                    else document,
                    "parties": ", ".join(
                        str(Party(p).label) for d, p in REQUIRED_SIGNATURES if d == document
                    )
                    or "—",
                }
            }
        )


def exchange_signature_record(
    *, exchange: Exchange, actor: User, document: str, party: str
) -> SignatureRecord:
    """Record that ``party`` signed ``document`` (interim, R-DOC-2, R-DOC-3): by that party's
    own side only (``permissions.can_record_signature``), on a draft, once per party and
    document."""
    _check_pair(document, party)
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_record_signature(actor, locked, party):
            raise PermissionDenied(SIGNATURE_DENIALS[party])
        raise_if_refused(draft_edit_blockers(locked))
        # Re-checked under the lock (and by the unique constraint): a colleague may have
        # recorded the same signature a moment ago.
        if locked.signatures.filter(document=document, party=party).exists():
            raise ValidationError(_("This signature is already recorded."))
        try:
            with transaction.atomic():
                signature = SignatureRecord.objects.create(
                    exchange=locked, document=document, party=party, recorded_by=actor
                )
        except IntegrityError:
            raise ValidationError(_("This signature is already recorded.")) from None
        record(
            actor=actor,
            action="exchanges.signature.recorded",
            subject=locked,
            data={"document": document, "party": party},
        )
    return signature


def exchange_signature_withdraw(
    *, exchange: Exchange, actor: User, document: str, party: str
) -> None:
    """Withdraw a signature recorded by mistake (draft only, audited), by that party's own
    side only (R-DOC-2, R-DOC-3: ``permissions.can_record_signature``)."""
    _check_pair(document, party)
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_record_signature(actor, locked, party):
            raise PermissionDenied(SIGNATURE_DENIALS[party])
        raise_if_refused(draft_edit_blockers(locked))
        deleted, _details = locked.signatures.filter(document=document, party=party).delete()
        if not deleted:
            raise ValidationError(_("This signature is not recorded."))
        record(
            actor=actor,
            action="exchanges.signature.withdrawn",
            subject=locked,
            data={"document": document, "party": party},
        )
