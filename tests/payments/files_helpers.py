"""Shared pieces of the bank-details and evidence tests: one exchange and a person in every role.

``Scene``: a Belgian visitor at a Portuguese host (``ExchangeFactory``), contracted; the
visitor's active representative, the VOP's finance staff (``can_pay``), a VOP staff member
without it, the VOP's approver, the host's representative, the HOP's approver, another
applicant, and the Support Office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from exchanges.models import Exchange, ExchangeStatus
from payments.models import Evidence
from tests.exchanges.factories import approver, representative, support_office_user
from tests.factories import ExchangeFactory, PartnershipStaffFactory, give_totp

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

#: Valid IBANs: a Belgian one (schwifty's registry gives no BIC) and a German one (BIC derived).
IBAN_BE = "BE68539007547034"
IBAN_DE = "DE89370400440532013000"
BIC_DE = "COBADEFFXXX"
#: The Belgian IBAN with its last digit mistyped: the checksum fails.
IBAN_BAD_CHECKSUM = "BE68539007547035"


def pdf(name: str = "boarding-pass.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Scene:
    exchange: Exchange
    visitor_rep: object
    vop_finance: object
    vop_staff: object
    vop_approver: object
    host_rep: object
    hop_approver: object
    other_applicant: object
    support: object


def scene(*, status: str = ExchangeStatus.CONTRACTED, **kwargs) -> Scene:
    exchange = ExchangeFactory(status=status, **kwargs)
    finance = PartnershipStaffFactory(
        partnership=exchange.vop, can_pay=True, can_approve_exchanges=False
    ).user
    staff = PartnershipStaffFactory(
        partnership=exchange.vop, can_pay=False, can_approve_exchanges=False
    ).user
    for user in (finance, staff):
        give_totp(user)
    return Scene(
        exchange=exchange,
        visitor_rep=representative(exchange.visitor),
        vop_finance=finance,
        vop_staff=staff,
        vop_approver=approver(exchange.vop),
        host_rep=representative(exchange.host),
        hop_approver=approver(exchange.hop),
        other_applicant=representative(ExchangeFactory().visitor),
        support=support_office_user(),
    )


def evidence_row(exchange: Exchange, *, name: str = "evidence/2027/03/known.pdf", **kwargs):
    """An evidence row whose file is written to the (test) private storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = default_storage.save(name, ContentFile(PDF_BYTES))
    kwargs.setdefault("kind", "boarding_pass")
    return Evidence.objects.create(
        exchange=exchange,
        file=stored,
        original_name="boarding-pass.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        **kwargs,
    )
