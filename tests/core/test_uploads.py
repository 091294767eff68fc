"""Private files: the upload validator sniffs the type from the bytes, refuses empty, oversize
and disallowed files, and stores accepted ones under MEDIA_ROOT with random names; downloads
go out as attachments with nosniff and no-store."""

import io
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image
from weasyprint import HTML

from cxc_portal.core.downloads import private_file_response, safe_download_name
from cxc_portal.core.uploads import (
    PrivateFileField,
    UploadValidator,
    private_file_save,
    sniff_content_type,
)


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return HTML(string="<h1>Signed Financial Agreement</h1><p>Exchange 42</p>").write_pdf()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def _upload(content: bytes, name: str, content_type: str = "application/pdf"):
    # The browser's Content-Type and the name are the attacker's: the tests lie with both.
    return SimpleUploadedFile(name, content, content_type=content_type)


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _refusal(use: str, file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        UploadValidator(use)(file)
    return caught.value


@pytest.mark.parametrize("content", [EXE, ELF], ids=["windows-exe", "linux-elf"])
def test_a_renamed_executable_is_refused_whatever_its_name_and_browser_type(content):
    error = _refusal("evidence", _upload(content, "receipt.pdf"))
    assert error.code == "file_type"
    assert "not a PDF, JPEG or PNG file" in error.messages[0]


def test_a_text_file_named_pdf_is_refused():
    error = _refusal("document", _upload(b"just some text, honestly a PDF", "fa.pdf"))
    assert error.code == "file_type"
    assert error.messages == ["This file is not a PDF file, whatever its name says."]


def test_an_empty_file_is_refused(pdf_bytes):
    error = _refusal("evidence", _upload(b"", "empty.pdf"))
    assert error.code == "empty"
    assert error.messages == ["The file is empty."]


def test_an_oversize_file_is_refused(settings, pdf_bytes):
    settings.CXC_UPLOAD_MAX_BYTES = len(pdf_bytes) - 1
    error = _refusal("document", _upload(pdf_bytes, "fa.pdf"))
    assert error.code == "too_large"
    assert "the limit is" in error.messages[0]
    settings.CXC_UPLOAD_MAX_BYTES = len(pdf_bytes)
    UploadValidator("document")(_upload(pdf_bytes, "fa.pdf"))  # exactly the limit is fine


def test_a_type_not_allowed_for_that_use_is_refused():
    """A PNG is fine as evidence, not as a signed document."""
    png = _image("PNG")
    UploadValidator("evidence")(_upload(png, "ticket.png", "image/png"))
    error = _refusal("document", _upload(png, "signed.pdf"))
    assert error.code == "file_type"


def test_real_pdf_jpeg_and_png_are_accepted_for_evidence(pdf_bytes):
    for content, expected in (
        (pdf_bytes, "application/pdf"),
        (_image("JPEG"), "image/jpeg"),
        (_image("PNG"), "image/png"),
    ):
        # Even under a misleading name and browser type, the bytes decide.
        upload = _upload(content, "scan.txt", "text/plain")
        UploadValidator("evidence")(upload)
        assert sniff_content_type(upload) == expected


def test_unknown_use_is_a_programming_error():
    with pytest.raises(ValueError):
        UploadValidator("avatar")


class EvidenceForm(forms.Form):
    evidence = PrivateFileField(use="evidence")


def test_form_field_puts_the_message_next_to_the_field(pdf_bytes):
    form = EvidenceForm(data={}, files={"evidence": _upload(EXE, "receipt.pdf")})
    assert not form.is_valid()
    assert form.errors["evidence"] == [
        "This file is not a PDF, JPEG or PNG file, whatever its name says."
    ]
    good = EvidenceForm(data={}, files={"evidence": _upload(pdf_bytes, "receipt.pdf")})
    assert good.is_valid(), good.errors
    assert 'accept=".pdf,.jpg,.png"' in str(good["evidence"])


def test_stored_under_media_root_with_a_random_name_and_the_sniffed_extension():
    jpeg = _image("JPEG")
    first = private_file_save(
        file=_upload(jpeg, "../../My passport.png", "image/png"), use="evidence"
    )
    second = private_file_save(file=_upload(jpeg, "../../My passport.png"), use="evidence")
    assert first.name != second.name
    assert first.name.startswith("evidence/") and first.name.endswith(".jpg")
    assert "passport" not in first.name and ".." not in first.name
    assert first.content_type == "image/jpeg" and first.size == len(jpeg)
    path = Path(settings.MEDIA_ROOT) / first.name
    assert path.read_bytes() == jpeg
    static = Path(settings.BASE_DIR) / "static"
    assert static not in path.resolve().parents


def test_saving_revalidates_the_file():
    with pytest.raises(ValidationError):
        private_file_save(file=_upload(ELF, "x.pdf"), use="document")
    assert not (Path(settings.MEDIA_ROOT) / "document").exists()


# --- downloads -------------------------------------------------------------------------------


@pytest.mark.django_db  # closing a response fires request_finished, which checks connections
def test_download_is_an_attachment_with_nosniff_and_no_store(pdf_bytes):
    stored = private_file_save(file=_upload(pdf_bytes, "fa.pdf"), use="document")
    response = private_file_response(
        allowed=True,
        name=stored.name,
        content_type=stored.content_type,
        download_name='Financial "Agreement"\r\nX-Evil: 1 ../été.exe',
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert disposition.endswith('.pdf"')
    assert b"".join(response.streaming_content) == pdf_bytes
    response.close()


def test_download_refuses_without_permission_and_outside_media_root():
    with pytest.raises(PermissionDenied):
        private_file_response(allowed=False, name="document/x.pdf", content_type="application/pdf")
    with pytest.raises((SuspiciousFileOperation, Http404)):
        private_file_response(allowed=True, name="../../etc/passwd", content_type="application/pdf")
    with pytest.raises(Http404):
        private_file_response(
            allowed=True, name="document/missing.pdf", content_type="application/pdf"
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("report.exe", "report.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("..", "download.pdf"),
        ("Rapport d'activité final", "Rapport_dactivite_final.pdf"),
    ],
)
def test_safe_download_name(name, expected):
    assert safe_download_name(name, "application/pdf") == expected
