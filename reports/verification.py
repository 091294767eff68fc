"""The public verify page's answer (R-DOC-7): is this file, or this SHA-256, a document the
portal issued — which one, is it fully signed and sealed, and is the seal intact?

- A **SHA-256** is matched against every version's rendered file and sealed file. The answer
  names the document (kind, version, exchange reference) and whether it is signed and sealed,
  never who signed: a bare hash proves nobody holds the file.
- An **uploaded PDF** is hashed and matched the same way, and its seal is checked with pyHanko
  (:func:`reports.sealing.seal_check`). Whoever holds the file reads its signature page anyway,
  so the answer adds the parties and the signatories' names. A sealed file with a single byte
  changed matches no hash and its seal is broken: it is *not* a document the portal issued.
- A **Final Activity Report**'s PDF (R-DOC-4: rendered on submission, not signed nor sealed)
  is matched by its SHA-256 too: the answer says which report (Annex 2 of the host, Annex 3 of
  the visitor), the exchange reference and when it was submitted — no names, whether a bare
  hash or an uploaded file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .models import Document, FinalReport
from .sealing import SealCheck, seal_check
from .selectors import documents_by_file_hash, party_names
from .selectors_far import far_by_file_hash


@dataclass(frozen=True)
class Verification:
    sha256: str
    document: Document | None
    uploaded: bool
    #: the hash is the sealed file's (else the rendering's, without signatures)
    sealed_copy: bool = False
    #: the uploaded file's seal (None for a bare hash)
    seal: SealCheck | None = None
    #: names, for an uploaded file only
    parties: list[str] = field(default_factory=list)
    signatories: list[dict[str, Any]] = field(default_factory=list)
    #: a submitted final activity report whose PDF has this hash (when no document has it)
    final_report: FinalReport | None = None

    @property
    def issued(self) -> bool:
        return self.document is not None or self.final_report is not None

    @property
    def seal_state(self) -> str:
        """``intact``, ``broken``, ``foreign`` (someone else's signature), ``none`` or
        ``unchecked`` (no certificate to check against); ``""`` for a bare hash."""
        if self.seal is None:
            return ""
        if not self.seal.checked:
            return "unchecked"
        if self.seal.valid:
            return "intact"
        if self.seal.by_portal:
            return "broken"
        return "foreign" if self.seal.sealed else "none"


def document_verify(*, sha256: str = "", pdf_bytes: bytes | None = None) -> Verification:
    """R-DOC-7: the verify page's answer for a SHA-256, or for an uploaded PDF's bytes."""
    if pdf_bytes is not None:
        sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    sha256 = sha256.lower()
    document = documents_by_file_hash(sha256).first()
    sealed_copy = bool(document and document.sealed_sha256 == sha256)
    final_report = None if document else far_by_file_hash(sha256).first()
    if pdf_bytes is None:
        return Verification(
            sha256=sha256,
            document=document,
            uploaded=False,
            sealed_copy=sealed_copy,
            final_report=final_report,
        )
    return Verification(
        sha256=sha256,
        document=document,
        uploaded=True,
        sealed_copy=sealed_copy,
        final_report=final_report,
        seal=seal_check(pdf_bytes),
        parties=party_names(document.data) if document else [],
        signatories=list(document.sealed_lines) if (document and sealed_copy) else [],
    )
