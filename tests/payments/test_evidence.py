"""Evidence that the stay took place (R-PAY-4 (c)): uploaded by the visitor's representatives
while the exchange is contracted or executed, checked by the kernel's upload validator, accepted
or rejected file by file by the VOP's approving staff."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from exchanges.models import ExchangeStatus
from exchanges.services import transitions as exchange_transitions
from payments.models import Evidence, EvidenceStatus
from payments.services_evidence import evidence_accept, evidence_reject, evidence_upload
from tests.payments.files_helpers import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    evidence_row,
    pdf,
    scene,
)

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _page(exchange) -> str:
    return reverse("payments:evidence", kwargs={"exchange_id": exchange.pk})


# --- upload -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED])
def test_r_pay_4_visitor_uploads_evidence(status, settings, django_capture_on_commit_callbacks):
    """R-PAY-4 (c): the visitor's representative uploads a PDF or PNG; its type is sniffed, its
    hash kept, the upload audited and the VOP's approvers told."""
    s = scene(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_upload(
            actor=s.visitor_rep, exchange=s.exchange, file=pdf(), kind="boarding_pass"
        )
        image = evidence_upload(
            actor=s.visitor_rep,
            exchange=s.exchange,
            file=pdf("hotel.pdf", PNG_BYTES),  # named .pdf, really a PNG: stored as PNG
            kind="accommodation_invoice",
        )
    assert evidence.status == EvidenceStatus.PENDING
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF_BYTES))
    assert len(evidence.sha256) == 64
    assert image.content_type == "image/png" and image.file.endswith(".png")
    assert len(_stored_files(settings)) == 2
    assert AuditEvent.objects.filter(action="payments.evidence.uploaded").count() == 2
    assert s.vop_approver.email in [m.to[0] for m in mail.outbox]
    assert s.hop_approver.email not in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize(
    "status", [ExchangeStatus.DRAFT, ExchangeStatus.CLOSED, ExchangeStatus.CANCELLED]
)
def test_r_pay_4_no_upload_outside_contracted_or_executed(status, settings):
    """R-PAY-4 (c): nothing to prove on a draft or a cancelled exchange; a closed one's evidence
    is complete. Nothing is stored."""
    s = scene(status=status)
    with pytest.raises(ValidationError) as refused:
        evidence_upload(actor=s.visitor_rep, exchange=s.exchange, file=pdf(), kind="other")
    assert refused.value.messages
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_r_pay_4_only_the_visitor_uploads():
    """R-PAY-4 (c): the host, the VOP's staff and the Support Office do not upload the visitor's
    evidence."""
    s = scene()
    for user in (s.host_rep, s.vop_approver, s.support, s.other_applicant):
        with pytest.raises(PermissionDenied):
            evidence_upload(actor=user, exchange=s.exchange, file=pdf(), kind="other")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("empty.pdf", b""), "The submitted file is empty."),
        (pdf("big.pdf", PDF_BYTES + b"0" * 2048), "too large"),
        (pdf("invoice.pdf", EXE_BYTES), "not a PDF, JPEG or PNG file"),
    ],
    ids=["0-byte", "over-the-limit", "renamed-exe"],
)
def test_r_pay_4_bad_file_next_to_the_field_nothing_saved(client, settings, upload, message):
    """R-PAY-4 (c): a 0-byte file, a file over the size limit (50 MB in life; the limit is set
    low here) and a renamed .exe "PDF": a clear message next to the file field, the kind chosen
    kept, no row, no stored file."""
    settings.CXC_UPLOAD_MAX_BYTES = 1024
    s = scene()
    client.force_login(s.visitor_rep)
    response = client.post(_page(s.exchange), {"kind": "travel_invoice", "file": upload})
    assert response.status_code == 400
    form = response.context["upload_form"]
    assert list(form.errors) == ["file"]
    assert message in " ".join(form.errors["file"])
    assert '<option value="travel_invoice" selected>' in response.content.decode()
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_r_pay_4_the_service_revalidates_the_file(settings):
    """R-PAY-4 (c): the service refuses a renamed .exe whatever its caller checked, keyed by
    the file field."""
    s = scene()
    with pytest.raises(ValidationError) as refused:
        evidence_upload(
            actor=s.visitor_rep, exchange=s.exchange, file=pdf("a.pdf", EXE_BYTES), kind="other"
        )
    assert "file" in refused.value.message_dict
    assert _stored_files(settings) == []


def test_r_pay_4_upload_through_the_page(client):
    s = scene()
    client.force_login(s.visitor_rep)
    response = client.post(_page(s.exchange), {"kind": "boarding_pass", "file": pdf()})
    assert response.status_code == 302
    assert Evidence.objects.get().uploaded_by == s.visitor_rep


# --- review -------------------------------------------------------------------------------------


def test_r_pay_4_vop_accepts_and_the_close_hook_runs(monkeypatch):
    """R-PAY-4 (c), R-PAY-7: the VOP's approver accepts a file; then the exchange is offered to
    ``exchange_close_if_ready`` with the accepting user as actor (the merge point with the
    closing flow)."""
    calls = []
    monkeypatch.setattr(
        exchange_transitions,
        "exchange_close_if_ready",
        lambda **kwargs: calls.append(kwargs),
        raising=False,
    )
    s = scene(status=ExchangeStatus.EXECUTED)
    evidence = evidence_row(s.exchange)
    accepted = evidence_accept(actor=s.vop_approver, evidence=evidence, comment="Fine.")
    assert (accepted.status, accepted.reviewed_by, accepted.review_comment) == (
        EvidenceStatus.ACCEPTED,
        s.vop_approver,
        "Fine.",
    )
    assert AuditEvent.objects.filter(action="payments.evidence.accepted").count() == 1
    assert [(c["exchange"].pk, c["actor"]) for c in calls] == [(s.exchange.pk, s.vop_approver)]


def test_r_pay_4_reject_needs_a_comment_and_tells_the_visitor(
    monkeypatch, django_capture_on_commit_callbacks
):
    """R-PAY-4 (c): a rejection says why (required) and is e-mailed to the visitor's
    representatives; it never closes the exchange."""
    calls = []
    monkeypatch.setattr(
        exchange_transitions,
        "exchange_close_if_ready",
        lambda **kwargs: calls.append(kwargs),
        raising=False,
    )
    s = scene()
    evidence = evidence_row(s.exchange)
    with pytest.raises(ValidationError) as refused:
        evidence_reject(actor=s.vop_approver, evidence=evidence, comment="   ")
    assert "comment" in refused.value.message_dict
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        evidence_reject(actor=s.vop_approver, evidence=evidence, comment="Unreadable scan.")
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.REJECTED
    assert [m.to[0] for m in mail.outbox] == [s.visitor_rep.email]
    assert "Unreadable scan." in mail.outbox[0].body
    assert calls == []


def test_r_pay_4_a_file_is_decided_once():
    """R-PAY-4 (c): a second decision (a double submit, a colleague) is refused: one audit event."""
    s = scene()
    evidence = evidence_row(s.exchange)
    evidence_accept(actor=s.vop_approver, evidence=evidence)
    for decide in (
        lambda: evidence_accept(actor=s.vop_approver, evidence=evidence),
        lambda: evidence_reject(actor=s.vop_approver, evidence=evidence, comment="No."),
    ):
        with pytest.raises(ValidationError, match="already accepted"):
            decide()
    assert AuditEvent.objects.filter(action__startswith="payments.evidence.").count() == 1


def test_r_pay_4_only_the_vop_approvers_review():
    """R-PAY-4 (c): the HOP, the visitor, VOP staff who may not approve and the Support Office
    do not decide on evidence."""
    s = scene()
    evidence = evidence_row(s.exchange)
    for user in (s.hop_approver, s.visitor_rep, s.vop_finance, s.support, s.host_rep):
        with pytest.raises(PermissionDenied):
            evidence_accept(actor=user, evidence=evidence)
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


def test_r_pay_4_reject_without_comment_on_the_page(client):
    """R-PAY-4 (c): the page puts "say why" next to that file's comment; nothing changes."""
    s = scene()
    evidence = evidence_row(s.exchange)
    client.force_login(s.vop_approver)
    url = reverse("payments:evidence_reject", kwargs={"pk": evidence.pk})
    response = client.post(url, {f"r{evidence.pk}-comment": ""})
    assert response.status_code == 400
    row = next(r for r in response.context["rows"] if r["evidence"].pk == evidence.pk)
    assert row["reject_form"].errors["comment"] == [
        "Say why the file is rejected: the visitor reads it (R-PAY-4)."
    ]  # not the generic "This field is required."
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING
    ok = client.post(url, {f"r{evidence.pk}-comment": "Wrong dates."})
    assert ok.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.status, evidence.review_comment) == (EvidenceStatus.REJECTED, "Wrong dates.")


def test_r_pay_4_a_reviewer_s_rights_come_before_the_form(client):
    """R-PAY-4 (c): the visitor and the Support Office, who see the evidence but do not decide
    on it, are refused (403) even with an empty comment — not told the comment is missing."""
    s = scene()
    evidence = evidence_row(s.exchange)
    url = reverse("payments:evidence_reject", kwargs={"pk": evidence.pk})
    for user in (s.visitor_rep, s.support):
        client.force_login(user)
        assert client.post(url, {f"r{evidence.pk}-comment": ""}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


def test_r_pay_4_accept_on_the_page_twice(client):
    """R-PAY-4 (c): the second click says the file is already accepted; no second event."""
    s = scene()
    evidence = evidence_row(s.exchange)
    client.force_login(s.vop_approver)
    url = reverse("payments:evidence_accept", kwargs={"pk": evidence.pk})
    assert client.post(url, {}).status_code == 302
    second = client.post(url, {}, follow=True)
    assert "already accepted" in second.content.decode()
    assert AuditEvent.objects.filter(action="payments.evidence.accepted").count() == 1


# --- queries ------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_evidence_page_queries_do_not_grow_with_the_files(client):
    """The evidence page costs the same number of queries with 1 and 20 files (pending, for the
    reviewer who sees a form per file)."""
    s = scene(status=ExchangeStatus.EXECUTED)
    evidence_row(s.exchange, uploaded_by=s.visitor_rep)
    client.force_login(s.vop_approver)
    url = _page(s.exchange)
    client.get(url)  # warm the session
    one = _queries(client, url)
    for n in range(19):
        evidence_row(
            s.exchange,
            name=f"evidence/2027/03/f{n}.pdf",
            uploaded_by=s.visitor_rep,
            status=EvidenceStatus.REJECTED if n % 2 else EvidenceStatus.PENDING,
            reviewed_by=s.vop_approver if n % 2 else None,
        )
    twenty = _queries(client, url)
    assert one == twenty


def test_r_pay_4_the_evidence_table_scrolls_inside_its_box_on_a_phone(client):
    """R-PAY-4: at 390 px the evidence table pushed the page sideways (425 px); it now scrolls
    inside a ``table-responsive`` box."""
    s = scene()
    client.force_login(s.visitor_rep)
    body = client.get(_page(s.exchange)).content.decode()
    box = body.index('<div class="table-responsive">')
    table = body.index("data-evidence-table")
    assert box < table and "</div>" not in body[box:table]
