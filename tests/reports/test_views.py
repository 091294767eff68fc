"""R-DOC-5, R-DOC-7: the document cards on the exchange page, who may download a document (every
role, and by guessing file paths), the "Prepare documents" button, and the public verify page."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Document, DocumentStatus
from tests.exchanges.factories import approver, support_office_user
from tests.factories import OrganisationFactory, PartnershipFactory, RepresentativeFactory
from tests.reports.helpers import documented_exchange, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(django_capture_on_commit_callbacks):
    exchange, host_user, visitor_user = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    ctq = Document.objects.get(exchange=exchange, kind="CTQ")
    return exchange, host_user, visitor_user, ctq


def _user(who: str, ready):
    """The user of ``who`` for the ``ready`` fixture's exchange (the VOP's without approval)."""
    exchange, host_user, visitor_user, _ = ready
    return {
        "host": lambda: host_user,
        "visitor": lambda: visitor_user,
        "vop": lambda: approver(exchange.vop, can_approve=False),
        "hop": lambda: approver(exchange.hop),
        "support": support_office_user,
    }[who]()


def _download(client, document):
    return client.get(reverse("reports:download", kwargs={"pk": document.pk}))


def test_anonymous_users_are_sent_to_sign_in(client, ready):
    _, _, _, ctq = ready
    response = _download(client, ctq)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["host", "visitor", "vop", "hop", "support"])
def test_r_doc_1_the_parties_their_partnerships_and_the_support_office_download(client, ready, who):
    exchange, host_user, visitor_user, ctq = ready
    client.force_login(_user(who, ready))
    response = _download(client, ctq)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{exchange.reference}-CTQ-v1.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["applicant", "other_staff"])
def test_r_doc_1_others_may_not_download(client, ready, who):
    """R-DOC-1: 404 to outsiders — the answer an unknown id gets, and the exchange page's to
    them — so a guessed id does not even tell that the exchange or document exists."""
    _, _, _, ctq = ready
    if who == "applicant":
        user = RepresentativeFactory(organisation=OrganisationFactory()).user
    else:
        user = approver(PartnershipFactory())
    client.force_login(user)
    assert _download(client, ctq).status_code == 404
    preview = client.get(reverse("reports:preview", kwargs={"pk": ctq.pk}))
    assert preview.status_code == 404
    cards = client.get(reverse("reports:cards", kwargs={"exchange_id": ctq.exchange_id}))
    assert cards.status_code == 404


@pytest.mark.parametrize(
    ("who", "reads"),
    [("visitor", True), ("vop", True), ("support", True), ("host", False), ("hop", False)],
)
def test_r_doc_3_the_fa_is_read_by_its_parties_only(client, ready, who, reads):
    """R-DOC-3: the FA is between the VOP and the visitor: they and the Support Office read it
    (card, download, preview); the host and the HOP see the CTQ only, and get a 403 that says
    why for the FA."""
    exchange = ready[0]
    fa = Document.objects.get(exchange=exchange, kind="FA")
    client.force_login(_user(who, ready))
    download = _download(client, fa)
    preview = client.get(reverse("reports:preview", kwargs={"pk": fa.pk}))
    cards = client.get(reverse("reports:cards", kwargs={"exchange_id": exchange.pk}))
    fa_link = reverse("reports:download", kwargs={"pk": fa.pk})
    if reads:
        assert (download.status_code, preview.status_code) == (200, 200)
        assert fa_link in cards.content.decode()
    else:
        assert (download.status_code, preview.status_code) == (403, 403)
        assert "between the visitor and its partnership" in download.content.decode()
        html = cards.content.decode()
        assert fa_link not in html and "Financial Agreement" not in html
        assert "Commitment to Quality" in html


def test_guessing_the_file_path_or_an_id_gets_nothing(client, ready):
    """There is no media URL; the storage name is random; an unknown id is 404."""
    exchange, host_user, _, ctq = ready
    assert default_storage.exists(ctq.file)
    client.force_login(host_user)
    for path in (f"/media/{ctq.file}", f"/{ctq.file}", f"/documents/{ctq.file}"):
        assert client.get(path).status_code == 404
    assert client.get(reverse("reports:download", kwargs={"pk": ctq.pk + 1000})).status_code == 404


def test_a_version_being_prepared_cannot_be_downloaded(client, ready):
    exchange, host_user, _, ctq = ready
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.VOID)
    client.force_login(host_user)
    assert _download(client, ctq).status_code == 404


def test_the_exchange_page_shows_the_cards(client, ready):
    exchange, host_user, visitor_user, ctq = ready
    client.force_login(visitor_user)
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert 'data-document="CTQ"' in html and 'data-document="FA"' in html
    client.force_login(host_user)  # R-DOC-3: the host's side sees the CTQ only
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert 'data-document="CTQ"' in html and 'data-document="FA"' not in html
    assert reverse("reports:download", kwargs={"pk": ctq.pk}) in html
    assert "hx-trigger" not in html.split('id="documents"')[1].split(">")[0]
    assert "Prepare documents" not in html  # applicants do not prepare documents


def test_the_cards_poll_while_a_version_is_being_prepared(client, ready):
    exchange, host_user, _, ctq = ready
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.RENDERING)
    client.force_login(host_user)
    url = reverse("reports:cards", kwargs={"exchange_id": exchange.pk})
    html = client.get(url).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert "Being prepared" in html
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.READY)
    assert "hx-trigger" not in client.get(url).content.decode()


def test_staff_prepare_documents_and_unchanged_data_are_a_no_op(
    client, django_capture_on_commit_callbacks
):
    exchange, host_user, _ = documented_exchange()
    staff = approver(exchange.vop)
    url = reverse("reports:prepare", kwargs={"exchange_id": exchange.pk})
    client.force_login(host_user)
    assert client.post(url).status_code == 403
    assert not Document.objects.exists()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "being prepared" in response.content.decode()
    assert Document.objects.filter(status=DocumentStatus.READY).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "up to date" in response.content.decode()
    assert Document.objects.count() == 2


# --- the public verify page (R-DOC-7) ---------------------------------------------------------


def _verify(client, **data):
    return client.post(reverse("reports:verify"), data)


def test_r_doc_7_a_known_hash_is_issued_without_names(client, ready):
    exchange, _, _, ctq = ready
    html = _verify(client, sha256=ctq.sha256.upper()).content.decode()
    assert 'data-verify="issued"' in html
    assert exchange.reference in html and "version 1" in html
    assert exchange.host.legal_name not in html and exchange.visitor.legal_name not in html


def test_r_doc_7_an_unknown_hash_is_not_issued(client, ready):
    html = _verify(client, sha256="ab" * 32).content.decode()
    assert 'data-verify="unknown"' in html


def test_r_doc_7_a_non_hex_string_is_refused_next_to_the_field(client, ready):
    response = _verify(client, sha256="not-a-hash")
    html = response.content.decode()
    assert response.status_code == 200
    assert "64 hexadecimal characters" in html and 'value="not-a-hash"' in html
    assert "data-verify" not in html


def test_r_doc_7_an_uploaded_issued_pdf_is_issued_with_the_parties(client, ready):
    exchange, _, _, ctq = ready
    content = default_storage.open(ctq.file, "rb").read()
    upload = SimpleUploadedFile("ctq.pdf", content, content_type="application/pdf")
    html = client.post(reverse("reports:verify"), {"file": upload}).content.decode()
    assert 'data-verify="issued"' in html
    assert exchange.host.legal_name in html and exchange.vop.name in html


def test_r_doc_7_a_changed_pdf_is_not_issued(client, ready):
    _, _, _, ctq = ready
    content = bytearray(default_storage.open(ctq.file, "rb").read())
    content[-20] ^= 1
    upload = SimpleUploadedFile("ctq.pdf", bytes(content), content_type="application/pdf")
    html = client.post(reverse("reports:verify"), {"file": upload}).content.decode()
    assert 'data-verify="unknown"' in html


def test_r_doc_7_a_non_pdf_upload_is_refused_next_to_the_field(client, ready):
    upload = SimpleUploadedFile("ctq.pdf", b"GIF89a" + b"x" * 100, content_type="application/pdf")
    response = client.post(reverse("reports:verify"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a PDF file" in html and "data-verify" not in html


def test_r_doc_7_an_empty_form_says_what_to_give(client, db):
    html = client.post(reverse("reports:verify"), {}).content.decode()
    assert "Give a SHA-256 or choose a PDF file." in html


def test_the_verify_page_opens_for_anyone(client, db):
    assert client.get(reverse("reports:verify")).status_code == 200


def test_the_documents_section_costs_a_constant_number_of_queries(
    client, django_capture_on_commit_callbacks
):
    """The exchange page costs the same with no document and with several versions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exchanges.models import Activity

    exchange, host_user, _ = documented_exchange()
    client.force_login(host_user)
    url = reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    for title in ("One", "Two", "Three"):
        Activity.objects.filter(exchange=exchange).update(title=title)
        refresh(exchange, django_capture_on_commit_callbacks)
    assert Document.objects.count() == 4
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(none)


def test_r_doc_7_a_replaced_version_is_issued_but_said_replaced(client, ready):
    _, _, _, ctq = ready
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.VOID)
    html = _verify(client, sha256=ctq.sha256).content.decode()
    assert 'data-verify="issued"' in html and "A later version replaced it." in html


def test_the_web_preview_shows_what_the_pdf_shows(client, ready):
    """The preview renders the version's stored data through the PDF's own template."""
    exchange, host_user, _, ctq = ready
    client.force_login(host_user)
    html = client.get(reverse("reports:preview", kwargs={"pk": ctq.pk})).content.decode()
    assert exchange.host.legal_name in html and ctq.data_hash in html
    assert ctq.data["activities"][0]["title"] in html


def test_other_partnerships_staff_and_cancelled_exchanges_prepare_nothing(client, db):
    from exchanges.models import ExchangeStatus

    exchange, _, _ = documented_exchange()
    url = reverse("reports:prepare", kwargs={"exchange_id": exchange.pk})
    client.force_login(approver(PartnershipFactory()))
    assert client.post(url).status_code == 404  # not theirs: as if it did not exist
    type(exchange).objects.filter(pk=exchange.pk).update(status=ExchangeStatus.CANCELLED)
    client.force_login(approver(exchange.vop))
    assert client.post(url).status_code == 403
    assert not Document.objects.exists()
