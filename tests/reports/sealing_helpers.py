"""Helpers of the sealing tests: signature lines for a rendered version (no Signature rows
needed), and a version rendered and sealed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from reports.models import Document
from reports.sealing import SignatureLine, document_seal
from tests.reports.helpers import documented_exchange, refresh

SIGNATORIES = {
    "HO": ("Helena Hostess", "Helena M. Hostess"),
    "HOP": ("Hugo Partner", "Hugo Partner"),
    "VO": ("Victor Visitor", "Victor Visitor"),
    "VOP": ("Vera Partner", "Vera A. Partner"),
}


def lines_for(document: Document) -> list[SignatureLine]:
    """One line per party of ``document``, each signing the version's exact hash."""
    start = timezone.now() - timedelta(days=2)
    return [
        SignatureLine(
            party_label=f"{party['role']} — {party['name']}",
            signatory=SIGNATORIES[party["role"]][0],
            typed_name=SIGNATORIES[party["role"]][1],
            signed_at=start + timedelta(hours=index),
            signed_sha256=document.sha256,
        )
        for index, party in enumerate(document.data["parties"])
    ]


def sealed_ctq(capture):
    """An exchange whose CTQ version 1 is rendered and sealed; returns (exchange, ctq)."""
    exchange, host_user, visitor_user = documented_exchange()
    refresh(exchange, capture)
    ctq = Document.objects.get(exchange=exchange, kind="CTQ")
    ctq = document_seal(document_id=ctq.pk, lines=lines_for(ctq))
    return exchange, ctq, host_user
