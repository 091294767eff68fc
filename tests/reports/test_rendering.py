"""R-DOC-2, R-DOC-3, R-DOC-4, R-DOC-5: the CTQ and the FA as PDFs, rendered from the exchange's
data in the Celery task, versioned by the hash of their data."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Activity
from payments.models import Payment
from reports.models import Document, DocumentKind, DocumentStatus, Signature
from reports.rendering import LocalOnlyFetcher
from reports.selectors import data_hash, document_data
from reports.services import document_refresh
from tests.reports.helpers import documented_exchange, pdf_text, refresh

pytestmark = pytest.mark.django_db


def _ready(exchange, kind):
    return Document.objects.get(exchange=exchange, kind=kind, status=DocumentStatus.READY)


def test_r_doc_5_refresh_renders_both_documents_in_the_task(django_capture_on_commit_callbacks):
    exchange, _, _ = documented_exchange()
    created = refresh(exchange, django_capture_on_commit_callbacks)
    assert sorted(d.kind for d in created) == ["CTQ", "FA"]
    for kind in DocumentKind.values:
        document = _ready(exchange, kind)
        assert document.version == 1
        content = default_storage.open(document.file, "rb").read()
        assert content.startswith(b"%PDF")
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.file.startswith(f"documents/{exchange.reference}/")
        assert document.data_hash == data_hash(document_data(exchange)[kind])


def test_r_doc_5_rendering_waits_for_the_commit(django_capture_on_commit_callbacks):
    """Before the commit, the version exists and is "being prepared"; nothing is rendered."""
    exchange, _, _ = documented_exchange()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refresh_created = document_refresh(actor=None, exchange=exchange)
    assert len(callbacks) == 2
    assert {d.status for d in refresh_created} == {DocumentStatus.RENDERING}
    assert not Document.objects.filter(status=DocumentStatus.READY).exists()


def test_r_doc_2_r_doc_4_the_ctq_text_holds_parties_dates_hours_and_hash(
    django_capture_on_commit_callbacks, tmp_path
):
    exchange, host_user, visitor_user = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    document = _ready(exchange, "CTQ")
    path = Path(default_storage.path(document.file))
    text = pdf_text(path)
    flat = " ".join(text.split())
    for name in (
        exchange.host.legal_name,
        exchange.visitor.legal_name,
        exchange.vop.name,
        exchange.hop.name,
        "Helena Hostess",
        "Victor Visitor",
    ):
        assert name in flat
    assert exchange.start_date.isoformat() in flat
    assert exchange.end_date.isoformat() in flat
    assert "Counted hours 24" in flat
    assert "Workshop" in flat
    assert "within 7 days" in flat  # R-DOC-4
    assert "version 1" in flat
    assert "Page 1 of" in flat
    # The data hash is in the footer (it may wrap: compare without spaces).
    assert document.data_hash in "".join(text.split())


def test_r_doc_3_r_pay_4_r_pay_6_the_fa_text_holds_the_amount_terms_and_masked_iban(
    django_capture_on_commit_callbacks,
):
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    document = _ready(exchange, "FA")
    flat = " ".join(pdf_text(default_storage.path(document.file)).split())
    assert exchange.vop.name in flat and exchange.visitor.legal_name in flat
    assert "780.00 EUR" in flat  # Portugal, 5 working days, > 200 km: the full rate
    assert "within 10 days" in flat  # R-PAY-4
    assert "6769" in flat and "BE71096123456769" not in flat.replace(" ", "")  # R-PAY-6
    assert document.data_hash in "".join(flat.split())


def test_r_doc_5_the_first_page_renders_to_png(django_capture_on_commit_callbacks, tmp_path):
    """The layout renders: pdftoppm draws page 1 as a non-trivial PNG."""
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is required"
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    document = _ready(exchange, "CTQ")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            default_storage.path(document.file),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_r_doc_5_unchanged_data_make_no_new_version(django_capture_on_commit_callbacks):
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    assert refresh(exchange, django_capture_on_commit_callbacks) == []
    assert Document.objects.filter(exchange=exchange).count() == 2


def test_r_doc_5_a_plan_change_makes_version_2_and_voids_version_1(
    django_capture_on_commit_callbacks,
):
    exchange, _, _ = documented_exchange()
    refresh(exchange, django_capture_on_commit_callbacks)
    first_ctq = _ready(exchange, "CTQ")
    first_fa = _ready(exchange, "FA")
    activity = Activity.objects.filter(exchange=exchange).first()
    activity.title = "Factory visit"
    activity.save(update_fields=["title"])
    created = refresh(exchange, django_capture_on_commit_callbacks)
    assert [(d.kind, d.version) for d in created] == [("CTQ", 2)]  # the FA did not change
    first_ctq.refresh_from_db()
    assert first_ctq.status == DocumentStatus.VOID
    assert _ready(exchange, "CTQ").version == 2
    assert _ready(exchange, "FA").pk == first_fa.pk
    assert AuditEvent.objects.filter(action="reports.document.voided").count() == 1
    text = pdf_text(default_storage.path(_ready(exchange, "CTQ").file))
    assert "Factory visit" in text


def test_r_doc_5_a_voided_version_still_waiting_is_never_rendered(
    django_capture_on_commit_callbacks,
):
    """Two refreshes before the worker runs: only the newest version is rendered."""
    exchange, _, _ = documented_exchange()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_refresh(actor=None, exchange=exchange)
        Activity.objects.filter(exchange=exchange).update(title="Changed")
        document_refresh(actor=None, exchange=exchange)
    for callback in callbacks:
        callback()
    statuses = dict(
        Document.objects.filter(exchange=exchange, kind="CTQ").values_list("version", "status")
    )
    assert statuses == {1: DocumentStatus.VOID, 2: DocumentStatus.READY}
    assert Document.objects.get(exchange=exchange, kind="CTQ", version=1).file == ""


@pytest.mark.parametrize(
    "url",
    ["https://example.com/x.css", "http://127.0.0.1/x", "file:///etc/passwd", "data:text/css,a{}"],
)
def test_the_renderer_fetches_nothing_but_the_bundled_fonts(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch(url)


def test_the_bundled_font_is_fetched():
    from reports.rendering import fonts_dir

    response = LocalOnlyFetcher().fetch((fonts_dir() / "dejavu" / "DejaVuSans.ttf").as_uri())
    assert response is not None


def test_r_pay_5_contracting_refreshes_the_documents_with_the_fixed_amount(
    django_capture_on_commit_callbacks,
):
    """The contract consequence makes the documents (after payments fixed the amount, R-PAY-5);
    an FA prepared before contracting, with the same figures, is not replaced."""
    from exchanges.services import exchange_contract
    from tests.exchanges.factories import TODAY, approver, sign_all

    exchange, _, _ = documented_exchange()
    sign_all(exchange)
    with django_capture_on_commit_callbacks(execute=True):
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)
    fa = _ready(exchange, "FA")
    assert fa.data["lump_sum"]["amount"] == "780.00"
    assert Payment.objects.get(exchange=exchange).amount == Decimal("780.00")
    assert refresh(exchange, django_capture_on_commit_callbacks) == []


def test_r_pay_5_an_fa_prepared_before_contracting_is_kept(django_capture_on_commit_callbacks):
    from exchanges.services import exchange_contract
    from tests.exchanges.factories import TODAY, approver, sign_all

    """R-PAY-5, R-DOC-5: the FA signed in the draft states the amount payments fixes at
    contracting: contracting makes no new version and voids no signature."""
    exchange, _, _ = documented_exchange()
    staff = approver(exchange.vop)
    sign_all(exchange)  # versions 1, prepared and signed before contracting
    with django_capture_on_commit_callbacks(execute=True):
        exchange_contract(exchange=exchange, actor=staff, today=TODAY)
    assert list(Document.objects.filter(exchange=exchange).values_list("version", flat=True)) == [
        1,
        1,
    ]
    assert not Signature.objects.filter(voided_at__isnull=False).exists()


def test_r_pay_2_the_fa_explains_a_halved_lump_sum(django_capture_on_commit_callbacks):
    """A 3-working-day stay in Portugal: half of 780 EUR, with the reason (R-PAY-2)."""
    from datetime import timedelta

    from tests.factories import ExchangeFactory

    start = ExchangeFactory.start_date.function()
    exchange, _, _ = documented_exchange(start_date=start, end_date=start + timedelta(days=2))
    refresh(exchange, django_capture_on_commit_callbacks)
    fa = _ready(exchange, "FA")
    assert fa.data["lump_sum"]["amount"] == "390.00" and fa.data["lump_sum"]["halved"]
    flat = " ".join(pdf_text(default_storage.path(fa.file)).split())
    assert "390.00 EUR" in flat and "fewer than 5" in flat and "halved" in flat


def test_r_exc_8_a_virtual_exchange_fa_says_no_lump_sum(django_capture_on_commit_callbacks):
    exchange, _, _ = documented_exchange(mode="virtual")
    refresh(exchange, django_capture_on_commit_callbacks)
    fa = _ready(exchange, "FA")
    assert fa.data["lump_sum"]["amount"] == "0.00"
    assert "virtual exchange gets no lump sum" in pdf_text(default_storage.path(fa.file))


def test_the_same_data_hash_whatever_the_key_order():
    assert data_hash({"a": 1, "b": [1, 2]}) == data_hash({"b": [1, 2], "a": 1})
    assert data_hash({"a": 1}) != data_hash({"a": 2})


def test_a_refused_contracting_leaves_no_version(django_capture_on_commit_callbacks):
    """The refresh runs inside the transition: when a later consequence fails, nothing stays —
    no new version, no queued rendering, the signatures live."""
    from django.core.exceptions import ValidationError

    from exchanges import gates
    from exchanges.services import exchange_contract
    from tests.exchanges.factories import TODAY, approver, sign_all

    def boom(exchange, actor):
        raise ValidationError("no")

    exchange, _, _ = documented_exchange()
    sign_all(exchange)
    staff = approver(exchange.vop)
    with (
        gates.temporary_gate("contract", consequence=boom),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        exchange_contract(exchange=exchange, actor=staff, today=TODAY)
    assert list(Document.objects.values_list("version", flat=True)) == [1, 1]
    assert callbacks == []
    assert Signature.objects.filter(voided_at__isnull=True).count() == 6
