"""R-DOC-7: the sealed copy on the exchange page and in the download, and the public verify
page's answers about sealed files — issued, fully signed and sealed, seal intact or broken, the
signatories' names for an uploaded file only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Document
from tests.exchanges.factories import support_office_user
from tests.reports.helpers import documented_exchange, refresh
from tests.reports.sealing_helpers import SIGNATORIES, sealed_ctq

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(django_capture_on_commit_callbacks):
    return sealed_ctq(django_capture_on_commit_callbacks)


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _upload(client, content: bytes, name="ctq.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("reports:verify"), {"file": upload})


def _names(html: str) -> list[str]:
    return [name for pair in SIGNATORIES.values() for name in pair if name in html]


# --- the sealed copy on the exchange page -------------------------------------------------------


def test_r_doc_7_the_download_serves_the_sealed_copy_once_there_is_one(client, sealed):
    exchange, ctq, host_user = sealed
    client.force_login(host_user)
    response = client.get(reverse("reports:download", kwargs={"pk": ctq.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _read(ctq.sealed_file)
    assert f"{exchange.reference}-CTQ-v1-signed.pdf" in response["Content-Disposition"]
    fa = Document.objects.get(exchange=exchange, kind="FA")  # not sealed: the rendering
    client.force_login(support_office_user())  # R-DOC-3: not the host's to read
    response = client.get(reverse("reports:download", kwargs={"pk": fa.pk}))
    assert b"".join(response.streaming_content) == _read(fa.file)
    assert "signed" not in response["Content-Disposition"]


def test_r_doc_7_the_card_says_signed_and_sealed_with_the_time(client, sealed):
    exchange, ctq, host_user = sealed
    client.force_login(host_user)
    html = client.get(reverse("reports:cards", kwargs={"exchange_id": exchange.pk})).content
    html = html.decode()
    assert html.count("data-sealed") == 1 and "Signed and sealed on" in html
    assert ctq.sealed_sha256 in html


# --- verify: a bare hash ------------------------------------------------------------------------


def test_r_doc_7_the_sealed_hash_is_issued_fully_signed_without_names(client, sealed):
    exchange, ctq, _ = sealed
    html = client.post(reverse("reports:verify"), {"sha256": ctq.sealed_sha256}).content.decode()
    assert 'data-verify="issued"' in html and 'data-signed="sealed"' in html
    assert "Fully signed and sealed" in html and exchange.reference in html
    assert _names(html) == [] and exchange.host.legal_name not in html
    assert "data-seal" not in html  # no file, no seal to check


def test_r_doc_7_the_rendering_hash_of_a_sealed_version_says_it_has_no_signatures(client, sealed):
    _, ctq, _ = sealed
    html = client.post(reverse("reports:verify"), {"sha256": ctq.sha256}).content.decode()
    assert 'data-verify="issued"' in html and 'data-signed="unsigned-copy"' in html
    assert _names(html) == []


def test_r_doc_7_a_version_not_yet_signed_is_issued_but_not_signed(
    client, django_capture_on_commit_callbacks
):
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    ctq = Document.objects.get(exchange=exchange, kind="CTQ")
    html = client.post(reverse("reports:verify"), {"sha256": ctq.sha256}).content.decode()
    assert 'data-verify="issued"' in html and 'data-signed="no"' in html


# --- verify: an uploaded file -------------------------------------------------------------------


def test_r_doc_7_an_uploaded_sealed_file_is_issued_intact_with_the_signatories(client, sealed):
    exchange, ctq, _ = sealed
    html = _upload(client, _read(ctq.sealed_file)).content.decode()
    assert 'data-verify="issued"' in html and 'data-seal="intact"' in html
    assert "Fully signed and sealed" in html and "The portal's seal is intact" in html
    for signatory, typed in SIGNATORIES.values():
        assert signatory in html and typed in html
    assert exchange.host.legal_name in html


def test_r_doc_7_a_sealed_file_with_a_byte_changed_is_not_issued_and_its_seal_broken(
    client, sealed
):
    _, ctq, _ = sealed
    content = bytearray(_read(ctq.sealed_file))
    content[len(_read(ctq.file)) + 300] ^= 0x01  # inside the signature page
    response = _upload(client, bytes(content))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verify="unknown"' in html and 'data-seal="broken"' in html
    assert "not a document the portal issued" in html and "the seal is broken" in html
    assert _names(html) == []


def test_r_doc_7_a_pdf_that_cannot_be_read_is_not_issued_and_nothing_is_kept(client, sealed):
    media = Path(default_storage.path(""))
    before = sorted(p for p in media.rglob("*") if p.is_file())
    response = _upload(client, b"%PDF-1.7\n" + b"not really a PDF " * 20)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verify="unknown"' in html and 'data-seal="none"' in html
    assert sorted(p for p in media.rglob("*") if p.is_file()) == before


def test_r_doc_7_a_non_pdf_upload_is_refused_next_to_the_field_and_nothing_kept(client, sealed):
    media = Path(default_storage.path(""))
    before = sorted(p for p in media.rglob("*") if p.is_file())
    response = _upload(client, b"\x89PNG\r\n\x1a\n" + b"x" * 100, name="ctq.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a PDF file" in html and "data-verify" not in html
    assert sorted(p for p in media.rglob("*") if p.is_file()) == before


def test_r_doc_7_an_oversize_upload_is_refused_next_to_the_field(client, sealed, settings):
    _, ctq, _ = sealed
    settings.CXC_UPLOAD_MAX_BYTES = 1024
    html = _upload(client, _read(ctq.sealed_file)).content.decode()
    assert "The file is too large" in html and "data-verify" not in html
