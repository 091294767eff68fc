"""Helpers for the payments tests (and the exchanges tests that close an exchange)."""

from __future__ import annotations

from django.utils import timezone

from payments.models import BankAccount, Evidence, EvidenceKind, EvidenceStatus


def evidence(exchange, *, status=EvidenceStatus.PENDING, kind=EvidenceKind.BOARDING_PASS):
    """A piece of evidence of ``exchange`` (a row only: no file is stored)."""
    return Evidence.objects.create(
        exchange=exchange,
        file=f"evidence/test/{exchange.pk}.pdf",
        original_name="boarding-pass.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
        kind=kind,
        status=status,
        reviewed_at=None if status == EvidenceStatus.PENDING else timezone.now(),
    )


def accept_evidence(exchange):
    """R-PAY-4 (c): an accepted piece of evidence, so that closing waits only for the rest."""
    return evidence(exchange, status=EvidenceStatus.ACCEPTED)


def bank_account(organisation, *, iban="BE71096123456769", bic="GKCCBEBB", holder=None):
    return BankAccount.objects.create(
        organisation=organisation,
        holder=holder or organisation.legal_name,
        iban=iban,
        bic=bic,
    )
