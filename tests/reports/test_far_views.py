"""The Final Activity Report pages: who may read, fill in, validate, return and download, per
role and by guessing URLs (R-DOC-4, R-DOC-6); the exchange page's section with due dates and
"late"; bad input in the browser (R-DOC-4)."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ExchangeStatus
from reports.models import FinalReport, FinalReportStatus
from tests.exchanges.factories import approver, fill_plan, representative, support_office_user
from tests.factories import OrganisationFactory, PartnershipFactory, RepresentativeFactory
from tests.reports.helpers import far_form_answers, far_submit

pytestmark = pytest.mark.django_db


def _ended(days_ago: int = 3, **kwargs):
    """An executed exchange whose stay ended ``days_ago`` days before the real today."""
    from tests.factories import ExchangeFactory

    end = timezone.localdate() - timedelta(days=days_ago)
    exchange = ExchangeFactory(
        status=ExchangeStatus.EXECUTED, start_date=end - timedelta(days=4), end_date=end, **kwargs
    )
    fill_plan(exchange)
    return exchange


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    exchange = _ended()
    visitor = representative(exchange.visitor)
    host = representative(exchange.host)
    with django_capture_on_commit_callbacks(execute=True):
        far_submit(exchange, "visitor", author=visitor)
    users = {
        "visitor": visitor,
        "host": host,
        "vop": approver(exchange.vop),
        "hop": approver(exchange.hop),
        "support": support_office_user(),
        "applicant": RepresentativeFactory(organisation=OrganisationFactory()).user,
        "other_staff": approver(PartnershipFactory()),
    }
    return exchange, users


def _url(name, exchange, side="visitor"):
    return reverse(f"reports:{name}", kwargs={"exchange_id": exchange.pk, "side": side})


READERS = ["visitor", "host", "vop", "hop", "support"]
OUTSIDERS = ["applicant", "other_staff"]


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_r_doc_6_only_the_parties_their_partnerships_and_the_support_office_read(
    client, scene, who
):
    """R-DOC-6, R-DOC-4: the submitted report's answers and PDF: the parties (both sides), their
    partnerships' staff and the Support Office; a 404 for anyone else."""
    exchange, users = scene
    client.force_login(users[who])
    read = client.get(_url("far_detail", exchange))
    download = client.get(_url("far_download", exchange))
    if who in READERS:
        assert read.status_code == 200
        assert "A joint application next spring." in read.content.decode()
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert download["Content-Disposition"].startswith("attachment")
    else:
        assert read.status_code == 404 and download.status_code == 404


def test_anonymous_users_are_sent_to_sign_in_for_every_report_url(client, scene):
    exchange, _users = scene
    for name in ("far_detail", "far_edit", "far_return", "far_download"):
        response = client.get(_url(name, exchange))
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(_url("far_validate", exchange))
    assert response.status_code == 302 and "login" in response["Location"]
    assert FinalReport.objects.get().status == FinalReportStatus.SUBMITTED


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_r_doc_6_only_the_vop_validates_the_visitors_report(client, scene, who):
    """R-DOC-6: validate and return are for the VOP's approvers; other readers get a 403,
    outsiders a 404, and nothing changes."""
    exchange, users = scene
    client.force_login(users[who])
    returned = client.get(_url("far_return", exchange))
    validated = client.post(_url("far_validate", exchange))
    report = FinalReport.objects.get()
    if who == "vop":
        assert returned.status_code == 200
        assert validated.status_code == 302
        assert report.status == FinalReportStatus.VALIDATED
    else:
        expected = 404 if who in OUTSIDERS else 403
        assert returned.status_code == expected and validated.status_code == expected
        assert report.status == FinalReportStatus.SUBMITTED


@pytest.mark.parametrize("who", READERS + OUTSIDERS)
def test_r_doc_4_only_the_hosts_representatives_fill_in_annex_2(client, scene, who):
    exchange, users = scene
    client.force_login(users[who])
    response = client.get(_url("far_edit", exchange, "host"))
    expected = 200 if who == "host" else (404 if who in OUTSIDERS else 403)
    assert response.status_code == expected
    if who == "host":
        assert "Satisfaction with the visitor" in response.content.decode()


def test_r_doc_4_a_draft_is_read_by_its_authors_only(client, scene):
    exchange, users = scene
    client.force_login(users["host"])
    client.post(_url("far_edit", exchange, "host"), {"draft": "1", "follow_up": "Soon."})
    assert FinalReport.objects.get(side="host").status == FinalReportStatus.DRAFT
    assert client.get(_url("far_detail", exchange, "host")).status_code == 200
    for who in ("visitor", "hop", "support"):
        client.force_login(users[who])
        assert client.get(_url("far_detail", exchange, "host")).status_code == 404


def test_guessing_urls_and_file_paths_gets_nothing(client, scene):
    exchange, users = scene
    report = FinalReport.objects.get()
    assert default_storage.exists(report.file)
    client.force_login(users["visitor"])
    for path in (f"/media/{report.file}", f"/{report.file}", f"/documents/{report.file}"):
        assert client.get(path).status_code == 404
    assert client.get(_url("far_detail", exchange, "nobody")).status_code == 404
    missing = reverse(
        "reports:far_detail", kwargs={"exchange_id": exchange.pk + 999, "side": "visitor"}
    )
    assert client.get(missing).status_code == 404


def test_r_doc_4_bad_input_in_the_browser_keeps_the_input_and_saves_nothing(client):
    """R-DOC-4: a score of 7, an over-long comment and an empty follow-up at submission: each
    message next to its field, the typed text kept, nothing saved."""
    exchange = _ended()
    client.force_login(representative(exchange.visitor))
    response = client.post(
        _url("far_edit", exchange),
        {
            "submit": "1",
            "objective_0": "4",
            "results_achieved": "no",
            "collaborations": "no",
            "follow_up": "",
            "satisfaction_counterpart": "7",
            "satisfaction_partnership": "4",
            "satisfaction_overall": "4",
            "would_recommend": "yes",
            "comments": "kept words " + "z" * 2000,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "A score is a whole number from 1 (poor) to 5 (excellent)." in body
    assert "At most 2000 characters, please" in body
    assert "Answer this question before submitting the report." in body
    assert "kept words " in body
    assert not FinalReport.objects.exists()


def test_r_doc_4_draft_then_submit_in_the_browser(client, django_capture_on_commit_callbacks):
    exchange = _ended()
    client.force_login(representative(exchange.visitor))
    response = client.post(_url("far_edit", exchange), {"draft": "1", "follow_up": "Half done"})
    assert response.status_code == 302
    report = FinalReport.objects.get()
    assert report.status == FinalReportStatus.DRAFT and report.follow_up == "Half done"
    page = client.get(_url("far_edit", exchange)).content.decode()
    assert "Half done" in page and "data-confirm=" in page
    answers = far_form_answers(exchange)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("far_edit", exchange), answers)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FinalReportStatus.SUBMITTED and report.objective_scores[0]["score"] == 5
    assert len(report.activities_done) == 4


def test_r_doc_4_the_exchange_page_shows_both_reports_and_late_in_red(client):
    """R-DOC-4: due on end + 7; a report not submitted after that shows "late" in red."""
    exchange = _ended(days_ago=8)  # due yesterday
    client.force_login(representative(exchange.visitor))
    body = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert "Final activity reports" in body
    due = exchange.end_date + timedelta(days=7)
    assert f'class="text-danger">{due.day} {due:%b %Y}' in body
    assert body.count("data-far-late") == 2 and ">late<" in body
    assert _url("far_edit", exchange) in body  # the visitor's own report to fill in
    assert _url("far_edit", exchange, "host") not in body


def test_r_doc_4_on_time_reports_are_not_late(client):
    exchange = _ended(days_ago=7)  # due today
    client.force_login(approver(exchange.vop))
    body = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert "Final activity reports" in body and "data-far-late" not in body


def test_r_doc_6_the_reviewer_returns_with_a_required_comment_in_the_browser(client, scene):
    exchange, users = scene
    client.force_login(users["vop"])
    response = client.post(_url("far_return", exchange), {"comment": ""})
    assert response.status_code == 200 and "Say what the author should correct." in (
        response.content.decode()
    )
    assert FinalReport.objects.get().status == FinalReportStatus.SUBMITTED
    response = client.post(_url("far_return", exchange), {"comment": "Add the results."})
    assert response.status_code == 302
    assert FinalReport.objects.get().status == FinalReportStatus.RETURNED
    client.force_login(users["visitor"])
    page = client.get(_url("far_edit", exchange)).content.decode()
    assert "Add the results." in page
