"""Sealing fully signed documents and checking a seal (R-DOC-7).

Once every required party has signed a version, the portal appends a **signature page** (each
party, its signatory, the name typed, the time and the SHA-256 of the exact bytes signed) and
applies a **PAdES signature** under its own certificate (``reports.seal_certificate``) covering
the whole file, so that any PDF reader shows whether the file was altered since.

- :func:`seal_pdf` is pure but for the clock and the key: bytes in, sealed bytes out. The page is
  added in an *incremental update* (pyHanko): the original file's bytes are the sealed file's
  first bytes, untouched, and the same update carries the signature (a certification signature
  that allows no change at all).
- :func:`seal_check` reads a PDF and tells whether it carries the portal's seal, intact and
  covering the whole file, using pyHanko's own validation with the portal's certificate as the
  only trust root (no network: no timestamp server, no revocation fetching).
- :func:`document_seal` is the service: stores the sealed file in private storage, stamps the
  ``Document`` (``sealed_file``, ``sealed_sha256``, ``sealed_at``, ``sealed_lines``), audits;
  a second call on a sealed version does nothing.
- :func:`signature_lines` reads a version's signatures (the signing room's ``Signature`` rows)
  into :class:`SignatureLine` values; the Celery task ``seal_document_task`` joins the two.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from cxc_portal.audit.services import record
from exchanges.models import Party

from .models import Document, DocumentKind, DocumentStatus
from .rendering import LocalOnlyFetcher, fonts_dir
from .seal_certificate import PortalSeal, SealNotConfigured, portal_seal

T = TypeVar("T")

if TYPE_CHECKING:
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

logger = logging.getLogger(__name__)

SIGNATURE_PAGE_TEMPLATE = "reports/pdf/signature_page.html"
SEAL_FIELD = "PortalSeal"


@dataclass(frozen=True)
class SignatureLine:
    """One line of the signature page: who signed for which party, and what (R-DOC-7)."""

    party_label: str
    signatory: str
    typed_name: str
    signed_at: datetime
    signed_sha256: str

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat()
        return data


@dataclass(frozen=True)
class SealCheck:
    """What a PDF's seal says (R-DOC-7).

    ``checked`` is False when the portal has no certificate to check against (production not
    configured); ``sealed`` when the file carries a signature at all; ``by_portal`` when one is
    made with the portal's certificate; ``trusted`` when pyHanko validates that certificate with
    the portal's as the only trust root; ``intact`` when the bytes are those signed;
    ``whole_file`` when the seal covers the entire file (nothing added after sealing).
    """

    checked: bool = True
    sealed: bool = False
    by_portal: bool = False
    trusted: bool = False
    intact: bool = False
    whole_file: bool = False
    signed_at: datetime | None = None

    @property
    def valid(self) -> bool:
        """The portal's seal, intact, over the whole file: the file is exactly as sealed."""
        return self.by_portal and self.trusted and self.intact and self.whole_file

    @property
    def broken(self) -> bool:
        """The portal's seal is there, but the file was changed after sealing."""
        return self.by_portal and not (self.intact and self.whole_file)


# --- the signature page and the seal ---------------------------------------------------------


def _outside_event_loop(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run one of pyHanko's synchronous calls, which wrap ``asyncio.run``: in a thread of its own
    when this thread already runs an event loop (a caller driven by asyncio, e.g. a browser test
    or an async view), directly otherwise (the Celery worker, the web request)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def render_signature_page(
    *,
    reference: str,
    kind: str,
    version: int,
    document_sha256: str,
    lines: list[SignatureLine],
    sealed_at: datetime,
    fingerprint: str,
) -> bytes:
    """The signature page alone, as PDF bytes (WeasyPrint, bundled fonts, nothing remote)."""
    html = render_to_string(
        SIGNATURE_PAGE_TEMPLATE,
        {
            "reference": reference,
            "kind": kind,
            "title": str(DocumentKind(kind).label),
            "version": version,
            "document_sha256": document_sha256,
            "lines": lines,
            "sealed_at": sealed_at,
            "fingerprint": fingerprint,
            "fonts_url": fonts_dir().as_uri(),
        },
    )
    return HTML(
        string=html, base_url=fonts_dir().as_uri() + "/", url_fetcher=LocalOnlyFetcher()
    ).write_pdf()


def _append_pages(writer: IncrementalPdfFileWriter, pdf_bytes: bytes) -> None:
    """Add every page of ``pdf_bytes`` after the last page of ``writer``'s document."""
    source = PdfFileReader(BytesIO(pdf_bytes))
    for page_ref in source.root["/Pages"]["/Kids"]:
        page = page_ref.get_object()
        # Copy the page without its /Parent (the other file's page tree) and import it with
        # everything it references (contents, fonts) in one go, so shared objects stay shared.
        # ``container_ref`` tells pyHanko which file the copy's references point into.
        copy = generic.DictionaryObject({k: page.raw_get(k) for k in page if k != "/Parent"})
        copy.container_ref = page.container_ref
        writer.insert_page(writer.import_object(copy))


def seal_pdf(
    pdf_bytes: bytes,
    lines: list[SignatureLine],
    *,
    reference: str,
    kind: str,
    version: int,
    sealed_at: datetime | None = None,
    seal: PortalSeal | None = None,
) -> bytes:
    """R-DOC-7: ``pdf_bytes`` with a signature page appended, PAdES-sealed by the portal.

    The original bytes are kept as they are (the page and the signature come in one
    incremental update); the seal is a certification signature forbidding any later change,
    under the portal's certificate, without a timestamp server (the portal works offline).
    """
    if not lines:
        raise ValueError("A seal needs at least one signature line.")
    seal = seal or portal_seal()
    sealed_at = sealed_at or timezone.now()
    page = render_signature_page(
        reference=reference,
        kind=kind,
        version=version,
        document_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        lines=lines,
        sealed_at=sealed_at,
        fingerprint=seal.fingerprint,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes))
    _append_pages(writer, page)
    signer = signers.SimpleSigner.load_pkcs12_data(seal.pkcs12, [], passphrase=seal.passphrase)
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        name="ClusterXchange portal",
        reason=f"Sealed after all signatures of {reference} {kind} version {version}",
        location="ClusterXchange portal",
    )
    output = BytesIO()
    _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer, output=output)
    return output.getvalue()


def _portal_signatures(reader: PdfFileReader, seal: PortalSeal) -> list[EmbeddedPdfSignature]:
    ours = []
    for signature in reader.embedded_signatures:
        try:
            certificate = signature.signer_cert
        except Exception:  # a damaged signature: not one we can call ours
            continue
        if hashlib.sha256(certificate.dump()).hexdigest() == seal.fingerprint:
            ours.append(signature)
    return ours


def seal_check(pdf_bytes: bytes, *, seal: PortalSeal | None = None) -> SealCheck:
    """R-DOC-7: does ``pdf_bytes`` carry the portal's seal, intact, over the whole file?

    Never raises on a bad file (an upload is anyone's bytes): an unreadable PDF is "not sealed".
    """
    try:
        seal = seal or portal_seal()
    except SealNotConfigured:
        logger.warning("The verify page cannot check seals: no sealing certificate.")
        return SealCheck(checked=False)
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        present = bool(reader.embedded_signatures)
        ours = _portal_signatures(reader, seal)
    except Exception:  # not a PDF pyHanko can read: no seal to speak of
        return SealCheck(sealed=False)
    if not ours:
        return SealCheck(sealed=present)
    context = ValidationContext(trust_roots=[seal.certificate], allow_fetching=False)
    try:
        status = _outside_event_loop(validate_pdf_signature, ours[-1], context)
    except Exception:  # a damaged signature is a broken seal
        return SealCheck(sealed=True, by_portal=True)
    return SealCheck(
        sealed=True,
        by_portal=True,
        trusted=bool(status.trusted),
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signed_at=status.signer_reported_dt,
    )


# --- the service and the reading of signatures ------------------------------------------------


def document_seal(*, document_id: int, lines: list[SignatureLine]) -> Document:
    """R-DOC-7: seal one fully signed version: store the sealed PDF in private storage, stamp
    ``sealed_file``/``sealed_sha256``/``sealed_at``/``sealed_lines`` and audit.

    Idempotent: a sealed version is returned as it is, and so is one that is not ready (still
    being prepared, or voided by a newer version: a replaced version is never sealed). The PDF
    work runs outside the transaction; the stamp is made under the row lock after a re-check
    (a second worker may have sealed it meanwhile: its file wins, ours is removed).
    """
    document = Document.objects.select_related("exchange").get(pk=document_id)
    if document.is_sealed or document.status != DocumentStatus.READY:
        return document
    with default_storage.open(document.file, "rb") as handle:
        original = handle.read()
    if hashlib.sha256(original).hexdigest() != document.sha256:
        raise ValueError(f"The stored file of document {document_id} does not match its hash.")
    sealed_at = timezone.now()
    sealed = seal_pdf(
        original,
        lines,
        reference=document.exchange.reference,
        kind=document.kind,
        version=document.version,
        sealed_at=sealed_at,
    )
    name = default_storage.save(
        f"documents/{document.exchange.reference}/"
        f"{document.kind}-v{document.version}-signed-{secrets.token_urlsafe(12)}.pdf",
        ContentFile(sealed),
    )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.is_sealed or locked.status != DocumentStatus.READY:
            transaction.on_commit(lambda: default_storage.delete(name))
            return locked
        locked.sealed_file = name
        locked.sealed_sha256 = hashlib.sha256(sealed).hexdigest()
        locked.sealed_at = sealed_at
        locked.sealed_lines = [line.as_json() for line in lines]
        reset = locked.pdf_work_reset()
        locked.save(
            update_fields=["sealed_file", "sealed_sha256", "sealed_at", "sealed_lines", *reset]
        )
        record(
            actor=None,
            action="reports.document.sealed",
            subject=locked,
            data={
                "kind": locked.kind,
                "version": locked.version,
                "sealed_sha256": locked.sealed_sha256,
                "signatures": len(lines),
            },
        )
    return locked


def signature_lines(document: Document) -> list[SignatureLine]:
    """The version's standing signatures (not voided) as signature-page lines, in the order of
    the parties in the document (HO, HOP, VO, VOP for a CTQ; VOP, VO for an FA)."""
    roles = [party["role"] for party in document.data.get("parties", [])]
    names = {party["role"]: party["name"] for party in document.data.get("parties", [])}
    related: Any = document  # ``signatures``: the signing room's Signature rows
    rows = related.signatures.filter(voided_at__isnull=True).select_related("signer")

    def order(row: Any) -> tuple[int, str]:
        role = row.party.upper()
        return (roles.index(role) if role in roles else len(roles), role)

    return [
        SignatureLine(
            party_label=f"{Party(row.party).label} — {names.get(row.party.upper(), '')}",
            signatory=row.signer.get_full_name() or row.signer.email,
            typed_name=row.typed_name,
            signed_at=row.signed_at,
            signed_sha256=row.signed_sha256,
        )
        for row in sorted(rows, key=order)
    ]
