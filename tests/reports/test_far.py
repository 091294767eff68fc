"""Final Activity Reports: the due date and lateness (R-DOC-4), saving and submitting (R-DOC-4),
validating and returning once (R-DOC-6), and closing on the visitor's validated report
(R-PAY-4, R-PAY-7)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from reports.far_rules import (
    Answers,
    answer_refusals,
    far_due_date,
    far_is_late,
    far_is_open,
    objective_list,
)
from reports.models import FinalReport, FinalReportStatus
from reports.services_far import far_return, far_save, far_validate
from tests.exchanges.factories import approver, fill_plan, representative
from tests.factories import ExchangeFactory
from tests.payments.factories import accept_evidence
from tests.reports.helpers import far_answers, far_submit
from tests.reports.helpers import far_validate as far_validated

pytestmark = pytest.mark.django_db

END = date(2027, 3, 12)  # the factory's last day of the stay
AFTER = date(2027, 3, 13)


def _executed(**kwargs):
    kwargs.setdefault("objectives", "- Learn the export desk's methods\n- Meet three members")
    exchange = ExchangeFactory(status=ExchangeStatus.EXECUTED, **kwargs)
    fill_plan(exchange)
    return exchange


# --- pure rules -----------------------------------------------------------------------------------


def test_r_doc_4_due_seven_days_after_the_end_date_at_its_boundaries():
    """R-DOC-4: due on end + 7; not late on the due date itself, late the day after."""
    assert far_due_date(END) == date(2027, 3, 19)
    assert far_due_date(date(2027, 12, 28)) == date(2028, 1, 4)  # across a year
    assert not far_is_late(end_date=END, first_submitted_on=None, today=date(2027, 3, 19))
    assert far_is_late(end_date=END, first_submitted_on=None, today=date(2027, 3, 20))
    # Submitted on the due date: on time, whenever read; the day after: late for good.
    assert not far_is_late(
        end_date=END, first_submitted_on=date(2027, 3, 19), today=AFTER.replace(month=6)
    )
    assert far_is_late(end_date=END, first_submitted_on=date(2027, 3, 20), today=date(2027, 3, 20))


def test_r_doc_4_the_questionnaire_opens_on_the_last_day_of_a_contracted_stay():
    """R-DOC-4: from the end date on; contracted, executed or closed; never a draft or a
    cancelled exchange."""
    assert not far_is_open(status="executed", end_date=END, today=END - timedelta(days=1))
    assert far_is_open(status="executed", end_date=END, today=END)
    assert far_is_open(status="contracted", end_date=END, today=AFTER)
    assert far_is_open(status="closed", end_date=END, today=AFTER)
    assert not far_is_open(status="draft", end_date=END, today=AFTER)
    assert not far_is_open(status="cancelled", end_date=END, today=AFTER)


def test_r_doc_4_one_objective_per_line_of_the_exchange_objectives():
    assert objective_list("- Learn A\n\n* Meet B\n1. Plan C\n2) Sign D") == [
        "Learn A",
        "Meet B",
        "Plan C",
        "Sign D",
    ]
    assert objective_list("One paragraph.") == ["One paragraph."]
    assert objective_list("") == []


def test_r_doc_4_a_draft_may_be_incomplete_a_submission_not():
    """R-DOC-4: a draft is checked for ranges and lengths only; a submission for every answer."""
    empty = Answers()
    assert answer_refusals(empty, objectives=["A"], activity_ids=set(), complete=False) == []
    fields = {
        r.field for r in answer_refusals(empty, objectives=["A"], activity_ids=set(), complete=True)
    }
    assert fields == {
        "objective_0",
        "results_achieved",
        "collaborations",
        "would_recommend",
        "follow_up",
        "satisfaction_counterpart",
        "satisfaction_partnership",
        "satisfaction_overall",
    }
    bad = Answers(objective_scores=[7], satisfaction_overall=0, comments="x" * 2001)
    refusals = answer_refusals(bad, objectives=["A"], activity_ids=set(), complete=False)
    assert {r.field for r in refusals} == {"objective_0", "satisfaction_overall", "comments"}
    yes = Answers(results_achieved=True, results_text="  ")
    refusals = answer_refusals(yes, objectives=[], activity_ids=set(), complete=True)
    assert "results_text" in {r.field for r in refusals}


# --- save, submit ---------------------------------------------------------------------------------


def test_r_doc_4_save_a_draft_then_submit(django_capture_on_commit_callbacks):
    """R-DOC-4: a draft is kept (not submitted, nobody told); submitting stamps it, tells the
    VOP's approvers, queues the PDF, and it can no longer be changed by its authors."""
    exchange = _executed()
    author = representative(exchange.visitor)
    reviewer = approver(exchange.vop)
    draft = far_save(
        actor=author,
        exchange=exchange,
        side="visitor",
        answers=Answers(objective_scores=[3], follow_up="Later."),
        submit=False,
        today=AFTER,
    )
    assert draft.status == FinalReportStatus.DRAFT and draft.submitted_at is None
    assert draft.objective_scores == [
        {"objective": "Learn the export desk's methods", "score": 3},
        {"objective": "Meet three members", "score": None},
    ]
    assert not Notification.objects.filter(kind="reports.far.submitted").exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = far_save(
            actor=author,
            exchange=exchange,
            side="visitor",
            answers=far_answers(exchange),
            submit=True,
            today=AFTER,
        )
    assert report.pk == draft.pk and report.status == FinalReportStatus.SUBMITTED
    assert report.submitted_by == author and report.first_submitted_at
    note = Notification.objects.get(kind="reports.far.submitted")
    assert note.recipient == reviewer and note.about_id == str(exchange.pk)
    report.refresh_from_db()
    assert report.file and len(report.sha256) == 64  # rendered (Celery runs eagerly in tests)
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reports.far.drafted", "reports.far.submitted"} <= codes
    with pytest.raises(ValidationError, match="already submitted"):
        far_save(
            actor=author,
            exchange=exchange,
            side="visitor",
            answers=far_answers(exchange),
            submit=False,
            today=AFTER,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"follow_up": ""}, "follow_up"),
        ({"satisfaction_overall": 7}, "satisfaction_overall"),
        ({"comments": "x" * 2001}, "comments"),
        ({"results_text": "y" * 1001}, "results_text"),
        ({"objective_scores": [4, None]}, "objective_1"),
    ],
)
def test_r_doc_4_bad_answers_are_refused_and_nothing_is_saved(overrides, field):
    """R-DOC-4: an empty required answer, a score of 7, an over-long text — refused at
    submission with the message keyed to the field; no report row, no event, no e-mail."""
    exchange = _executed()
    with pytest.raises(ValidationError) as error:
        far_submit(exchange, today=AFTER, **overrides)
    assert field in error.value.message_dict
    assert not FinalReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reports.far").exists()
    assert not Notification.objects.exists()


def test_r_doc_4_before_the_last_day_or_on_a_draft_exchange_nothing_is_saved():
    exchange = _executed()
    with pytest.raises(ValidationError, match="from the last day of the stay"):
        far_submit(exchange, today=END - timedelta(days=1))
    draft = ExchangeFactory()
    with pytest.raises(ValidationError, match="from the last day of the stay"):
        far_submit(draft, today=AFTER)
    assert not FinalReport.objects.exists()


def test_r_doc_4_only_the_sides_own_representatives_write_it():
    exchange = _executed()
    for outsider in (
        representative(exchange.host),  # the other side
        approver(exchange.vop),  # its partnership reviews, does not write
    ):
        with pytest.raises(PermissionDenied):
            far_submit(exchange, "visitor", author=outsider, today=AFTER)
    far_submit(exchange, "host", today=AFTER)  # the host writes Annex 2
    assert FinalReport.objects.get().side == "host"


# --- validate, return once (R-DOC-6) --------------------------------------------------------------


def test_r_doc_6_return_once_with_a_comment_then_a_second_return_is_refused(
    django_capture_on_commit_callbacks,
):
    """R-DOC-6: the HOP returns the host's report once with a comment (required); the author
    corrects and resubmits; a second return is refused; validating still works."""
    exchange = _executed()
    author = representative(exchange.host)
    hop = approver(exchange.hop)
    far_submit(exchange, "host", author=author, today=AFTER)
    with pytest.raises(ValidationError) as error:
        far_return(actor=hop, exchange=exchange, side="host", comment="  ")
    assert "comment" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # the VOP reviews the visitor's only
        far_return(actor=approver(exchange.vop), exchange=exchange, side="host", comment="No")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returned = far_return(actor=hop, exchange=exchange, side="host", comment="More detail.")
    assert returned.status == FinalReportStatus.RETURNED and returned.returned_count == 1
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "More detail." in mail.outbox[0].body
    far_submit(exchange, "host", author=author, today=AFTER, results_text="Much more detail.")
    with pytest.raises(ValidationError, match="already returned once"):
        far_return(actor=hop, exchange=exchange, side="host", comment="Again")
    validated = far_validate(actor=hop, exchange=exchange, side="host", today=AFTER)
    assert validated.status == FinalReportStatus.VALIDATED and validated.decided_by == hop
    # The host's report never closes the exchange (R-PAY-4 is the visitor's).
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED


def test_r_doc_6_only_a_submitted_report_is_validated_and_only_once():
    exchange = _executed()
    vop = approver(exchange.vop)
    with pytest.raises(ValidationError, match="not submitted"):
        far_validate(actor=vop, exchange=exchange, side="visitor", today=AFTER)
    far_submit(exchange, today=AFTER)
    with pytest.raises(PermissionDenied):
        far_validate(actor=approver(exchange.hop), exchange=exchange, side="visitor")
    with pytest.raises(PermissionDenied):
        far_validate(
            actor=approver(exchange.vop, can_approve=False), exchange=exchange, side="visitor"
        )
    far_validate(actor=vop, exchange=exchange, side="visitor", today=AFTER)
    with pytest.raises(ValidationError, match="this one is validated"):
        far_validate(actor=vop, exchange=exchange, side="visitor", today=AFTER)
    assert AuditEvent.objects.filter(action="reports.far.validated").count() == 1


# --- closing (R-PAY-4, R-PAY-7) -------------------------------------------------------------------


def test_r_pay_4_the_validated_visitor_report_closes_once_evidence_is_accepted():
    """R-PAY-4 (a)+(b), R-PAY-7: evidence accepted first, the VOP's validation of the visitor's
    report comes last and closes the exchange by itself, the validator as actor."""
    exchange = _executed()
    accept_evidence(exchange)
    far_submit(exchange, today=AFTER)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED  # submitted is not validated
    vop = approver(exchange.vop)
    far_validate(actor=vop, exchange=exchange, side="visitor", today=AFTER)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    closed = AuditEvent.objects.get(action="exchanges.exchange.closed")
    assert closed.actor == vop and closed.data["automatic"] is True


def test_r_pay_4_accepting_evidence_after_the_validation_closes_too():
    """R-PAY-7, R-PAY-4: the other order — the report validated first, the evidence last."""
    from payments.services_evidence import evidence_accept
    from tests.payments.factories import evidence

    exchange = _executed()
    far_validated(exchange, today=AFTER)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED  # no evidence yet
    evidence_accept(evidence=evidence(exchange), actor=approver(exchange.vop))
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED


def test_r_pay_4_a_returned_visitor_report_keeps_the_exchange_open():
    exchange = _executed()
    accept_evidence(exchange)
    far_submit(exchange, today=AFTER)
    far_return(actor=approver(exchange.vop), exchange=exchange, side="visitor", comment="Fix")
    from exchanges import gates

    texts = [r.text for r in gates.transition_refusals("close", exchange, today=AFTER)]
    assert texts == ["The visitor's final activity report was returned for a correction."]
