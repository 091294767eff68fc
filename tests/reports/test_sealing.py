"""R-DOC-7: sealing a fully signed document — the signature page, the PAdES seal under the
portal's certificate (checked with pyHanko's own validation), a changed byte breaking it, the
sealing service (stored privately, audited, idempotent), the task, and the certificate itself
(generated once in development, refused when production is not configured)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from weasyprint import HTML

from cxc_portal.audit.models import AuditEvent
from reports import seal_certificate
from reports.models import Document, DocumentStatus
from reports.seal_certificate import (
    GENERATED_NAME,
    SealNotConfigured,
    generate_pkcs12,
    load_portal_seal,
    portal_seal,
)
from reports.sealing import SignatureLine, document_seal, seal_check, seal_pdf
from tests.reports.helpers import documented_exchange, pdf_text, refresh
from tests.reports.sealing_helpers import lines_for, sealed_ctq

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def key():
    """One sealing key for the pure tests of this module (generation is cheap, but once is
    enough)."""
    return load_portal_seal(generate_pkcs12(), None)


@pytest.fixture(scope="module")
def original():
    return HTML(string="<h1>Commitment to Quality</h1><p>The original page.</p>").write_pdf()


LINES = [
    SignatureLine(
        party_label="HO — Acme Host Ltd",
        signatory="Helena Hostess",
        typed_name="Helena M. Hostess",
        signed_at=datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
        signed_sha256="a1" * 32,
    ),
    SignatureLine(
        party_label="VO — Beta Visitors SA",
        signatory="Victor Visitor",
        typed_name="Victor Visitor",
        signed_at=datetime(2026, 12, 1, 14, 30, tzinfo=UTC),
        signed_sha256="b2" * 32,
    ),
]


@pytest.fixture(scope="module")
def sealed(key, original):
    return seal_pdf(original, LINES, reference="CXC-2026-000042", kind="CTQ", version=3, seal=key)


# --- the sealed file -----------------------------------------------------------------------------


def test_r_doc_7_the_sealed_pdf_validates_with_pyhanko_intact_over_the_whole_file(key, sealed):
    """pyHanko's own validation, the portal's certificate as trust root: intact, trusted, PAdES,
    covering the entire file with no modification after signing."""
    reader = PdfFileReader(BytesIO(sealed))
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[key.certificate]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert status.signing_cert.subject.native["common_name"] == seal_certificate.COMMON_NAME


def test_r_doc_7_the_original_bytes_are_kept_and_one_page_is_added(original, sealed):
    assert sealed.startswith(original)
    pages = lambda pdf: int(  # noqa: E731
        PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Count"]
    )
    assert pages(sealed) == pages(original) + 1


def test_r_doc_7_the_signature_page_holds_each_line(tmp_path, original, sealed):
    """Each party, signatory, typed name and the hash each one signed, and the document's
    reference, kind and version, read back from the sealed file."""
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    text = pdf_text(path)
    for line in LINES:
        for value in (line.party_label, line.signatory, line.typed_name, line.signed_sha256):
            assert value in text
    assert "30 Nov 2026" in text and "1 Dec 2026" in text
    assert "CXC-2026-000042" in text and "version 3" in text and "Commitment to Quality" in text
    assert hashlib.sha256(original).hexdigest() in text
    assert "The original page." in text


def test_r_doc_7_seal_check_finds_the_portals_intact_seal(key, sealed):
    check = seal_check(sealed, seal=key)
    assert check.valid and check.by_portal and check.intact and check.whole_file
    assert check.signed_at is not None


@pytest.mark.parametrize("where", ["original page", "signature page"])
def test_r_doc_7_a_byte_changed_after_sealing_fails_validation(key, original, sealed, where):
    position = {"original page": len(original) // 2, "signature page": len(original) + 200}[where]
    changed = bytearray(sealed)
    changed[position] ^= 0x01
    check = seal_check(bytes(changed), seal=key)
    assert check.by_portal and not check.intact and not check.valid and check.broken
    # pyHanko's own verdict
    reader = PdfFileReader(BytesIO(bytes(changed)), strict=False)
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=[key.certificate])
    )
    assert not status.intact and not status.bottom_line


def test_r_doc_7_a_byte_changed_in_the_file_structure_leaves_no_valid_seal(key, sealed):
    """A change in the last cross-reference data may leave nothing readable: no valid seal."""
    changed = bytearray(sealed)
    changed[len(sealed) - 40] ^= 0x01
    assert not seal_check(bytes(changed), seal=key).valid


def test_r_doc_7_an_update_appended_after_sealing_is_not_covered(key, sealed):
    writer = IncrementalPdfFileWriter(BytesIO(sealed))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()
    output = BytesIO()
    writer.write(output)
    check = seal_check(output.getvalue(), seal=key)
    assert check.by_portal and check.intact and not check.whole_file
    assert not check.valid and check.broken


def test_r_doc_7_another_certificate_is_not_the_portals_seal(key, original):
    other = load_portal_seal(generate_pkcs12(common_name="Someone else"), None)
    foreign = seal_pdf(original, LINES, reference="X", kind="FA", version=1, seal=other)
    check = seal_check(foreign, seal=key)
    assert check.sealed and not check.by_portal and not check.valid


@pytest.mark.parametrize("content", [b"%PDF-1.7\nnot really a pdf", b"garbage"])
def test_r_doc_7_an_unreadable_file_has_no_seal_and_raises_nothing(key, content):
    check = seal_check(content, seal=key)
    assert not check.sealed and not check.valid


def test_a_seal_needs_lines(key, original):
    with pytest.raises(ValueError):
        seal_pdf(original, [], reference="X", kind="CTQ", version=1, seal=key)


# --- the service ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_doc_7_document_seal_stores_the_sealed_file_privately_and_audits(
    django_capture_on_commit_callbacks, settings
):
    exchange, ctq, _ = sealed_ctq(django_capture_on_commit_callbacks)
    ctq.refresh_from_db()
    assert ctq.is_sealed and ctq.sealed_file.startswith(f"documents/{exchange.reference}/")
    content = default_storage.open(ctq.sealed_file, "rb").read()
    assert hashlib.sha256(content).hexdigest() == ctq.sealed_sha256 != ctq.sha256
    assert content.startswith(default_storage.open(ctq.file, "rb").read())
    assert Path(default_storage.path(ctq.sealed_file)).is_relative_to(settings.MEDIA_ROOT)
    assert seal_check(content).valid
    assert [line["signatory"] for line in ctq.sealed_lines] == [
        "Helena Hostess",
        "Hugo Partner",
        "Victor Visitor",
        "Vera Partner",
    ]
    event = AuditEvent.objects.get(action="reports.document.sealed")
    assert event.data["sealed_sha256"] == ctq.sealed_sha256 and event.data["signatures"] == 4


@pytest.mark.django_db
def test_r_doc_7_document_seal_twice_changes_nothing(django_capture_on_commit_callbacks):
    _, ctq, _ = sealed_ctq(django_capture_on_commit_callbacks)
    files = sorted(p.name for p in Path(default_storage.path(ctq.sealed_file)).parent.iterdir())
    again = document_seal(document_id=ctq.pk, lines=lines_for(ctq))
    assert (again.sealed_file, again.sealed_sha256, again.sealed_at) == (
        ctq.sealed_file,
        ctq.sealed_sha256,
        ctq.sealed_at,
    )
    assert AuditEvent.objects.filter(action="reports.document.sealed").count() == 1
    assert sorted(p.name for p in Path(default_storage.path(ctq.sealed_file)).parent.iterdir()) == (
        files
    )


@pytest.mark.django_db
def test_r_doc_7_a_replaced_version_is_never_sealed(django_capture_on_commit_callbacks):
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    ctq = Document.objects.get(exchange=exchange, kind="CTQ")
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.VOID)
    result = document_seal(document_id=ctq.pk, lines=lines_for(ctq))
    assert not result.is_sealed and not AuditEvent.objects.filter(action__endswith="sealed")


@pytest.mark.django_db
def test_r_doc_7_the_seal_task_seals_with_the_versions_signature_lines(
    django_capture_on_commit_callbacks, monkeypatch
):
    """The task reads the lines (``signature_lines``, over the signing room's rows) and seals;
    run again, it leaves the sealed version alone."""
    from reports import sealing
    from reports.tasks import seal_document_task

    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    fa = Document.objects.get(exchange=exchange, kind="FA")
    monkeypatch.setattr(sealing, "signature_lines", lambda document: lines_for(document))
    assert seal_document_task.delay(fa.pk).get() is True
    fa.refresh_from_db()
    assert fa.is_sealed and [line["party_label"][:3] for line in fa.sealed_lines] == ["VOP", "VO "]
    assert seal_document_task.delay(fa.pk).get() is True
    assert AuditEvent.objects.filter(action="reports.document.sealed").count() == 1


# --- the portal's certificate -------------------------------------------------------------------


def test_r_doc_7_the_development_certificate_is_generated_once_in_private_storage(settings):
    first = portal_seal()
    path = Path(default_storage.path(GENERATED_NAME))
    assert path.is_file() and path.is_relative_to(settings.MEDIA_ROOT)
    assert not path.is_relative_to(BASE_DIR / "static")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert portal_seal().fingerprint == first.fingerprint
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    usage = first.certificate.key_usage_value.native
    assert {"digital_signature", "non_repudiation"} <= set(usage)
    assert first.certificate.subject.native["common_name"] == seal_certificate.COMMON_NAME


def test_r_doc_7_two_workers_generating_at_once_share_the_winners_certificate(monkeypatch):
    """The loser of the race (its hard link to the final name fails) uses the winner's file."""
    path = Path(default_storage.path(GENERATED_NAME))
    winner = generate_pkcs12()
    real = seal_certificate.generate_pkcs12

    def other_worker_wins_meanwhile(**kwargs):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(winner)
        return real(**kwargs)

    monkeypatch.setattr(seal_certificate, "generate_pkcs12", other_worker_wins_meanwhile)
    assert portal_seal().fingerprint == load_portal_seal(winner, None).fingerprint
    assert list(path.parent.iterdir()) == [path]


def test_r_doc_7_production_without_a_certificate_refuses_clearly(settings):
    settings.CXC_SEAL_AUTOGENERATE = False
    settings.CXC_SEAL_PKCS12_PATH = ""
    with pytest.raises(SealNotConfigured, match="set CXC_SEAL_PKCS12_PATH"):
        portal_seal()
    assert not default_storage.exists(GENERATED_NAME)
    assert not seal_check(b"%PDF-1.7").checked  # the verify page is told, not crashed


def test_r_doc_7_production_reads_the_configured_pkcs12(settings, tmp_path):
    file = tmp_path / "seal.p12"
    file.write_bytes(generate_pkcs12(passphrase=b"correct horse"))
    settings.CXC_SEAL_AUTOGENERATE = False
    settings.CXC_SEAL_PKCS12_PATH = str(file)
    settings.CXC_SEAL_PKCS12_PASSPHRASE = "correct horse"
    configured = portal_seal()
    assert (
        configured.fingerprint == load_portal_seal(file.read_bytes(), b"correct horse").fingerprint
    )
    assert not default_storage.exists(GENERATED_NAME)
    settings.CXC_SEAL_PKCS12_PASSPHRASE = "wrong"
    with pytest.raises(SealNotConfigured, match="wrong passphrase"):
        portal_seal()
    settings.CXC_SEAL_PKCS12_PATH = str(tmp_path / "missing.p12")
    with pytest.raises(SealNotConfigured, match="cannot be read"):
        portal_seal()


def test_r_doc_7_production_settings_never_generate_a_certificate():
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}},
        "DJANGO_SETTINGS_MODULE": "cxc_portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-test-only-" + "y" * 20,
        "ALLOWED_HOSTS": "cxc.example.org",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CXC_SEAL_AUTOGENERATE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_r_doc_7_sealing_works_from_a_thread_that_runs_an_event_loop(key, original):
    """R-DOC-7: pyHanko's synchronous calls wrap ``asyncio.run``; a caller already inside an
    event loop (a browser test, an async view) still gets a sealed, valid file."""
    import asyncio

    async def inside_a_loop():
        return seal_pdf(
            original, LINES, reference="CXC-2026-000042", kind="CTQ", version=1, seal=key
        )

    sealed = asyncio.run(inside_a_loop())
    assert seal_check(sealed, seal=key).intact
