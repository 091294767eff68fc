"""Helpers of the documents tests: an exchange with a plan, representatives and a bank account,
its documents rendered (Celery runs eagerly in tests; on-commit callbacks are run by hand)."""

from __future__ import annotations

import shutil
import subprocess

from reports.models import Document
from reports.services import document_refresh
from tests.exchanges.factories import fill_plan
from tests.factories import ExchangeFactory, RepresentativeFactory, UserFactory
from tests.payments.factories import bank_account


def documented_exchange(**kwargs):
    exchange = ExchangeFactory(**kwargs)
    fill_plan(exchange)
    host_rep = RepresentativeFactory(
        organisation=exchange.host, user=UserFactory(first_name="Helena", last_name="Hostess")
    )
    visitor_rep = RepresentativeFactory(
        organisation=exchange.visitor, user=UserFactory(first_name="Victor", last_name="Visitor")
    )
    bank_account(exchange.visitor, iban="BE71096123456769")
    return exchange, host_rep.user, visitor_rep.user


def refresh(exchange, capture, actor=None) -> list[Document]:
    """``document_refresh`` with its on-commit rendering run (``capture`` is pytest-django's
    ``django_capture_on_commit_callbacks``)."""
    with capture(execute=True):
        created = document_refresh(actor=actor, exchange=exchange)
    return created


def pdf_text(path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is required"
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# --- Final Activity Reports (helper "far") --------------------------------------------------------


def far_answers(exchange, **overrides):
    """A complete set of answers for ``exchange``'s report (every objective scored 4)."""
    from reports.far_rules import Answers, objective_list

    values = {
        "objective_scores": [4] * len(objective_list(exchange.objectives)),
        "activities_done": list(exchange.activities.values_list("pk", flat=True)),
        "results_achieved": True,
        "results_text": "A shared prototype test bench.",
        "collaborations": False,
        "collaborations_text": "",
        "follow_up": "A joint application next spring.",
        "satisfaction_counterpart": 5,
        "satisfaction_partnership": 4,
        "satisfaction_overall": 5,
        "would_recommend": True,
        "comments": "",
    }
    values.update(overrides)
    return Answers(**values)


def far_submit(exchange, side="visitor", *, author=None, today=None, **overrides):
    """``side``'s report submitted through the service by one of its representatives."""
    from django.utils import timezone

    from reports.services_far import far_save
    from tests.exchanges.factories import representative

    organisation = exchange.visitor if side == "visitor" else exchange.host
    author = author or representative(organisation)
    return far_save(
        actor=author,
        exchange=exchange,
        side=side,
        answers=far_answers(exchange, **overrides),
        submit=True,
        today=today or max(exchange.end_date, timezone.localdate()),
    )


def far_validate(exchange, side="visitor", *, today=None):
    """R-PAY-4 (a)+(b): ``side``'s report submitted and validated through the services (the
    visitor's by a VOP approver, the host's by a HOP approver). May close the exchange
    (R-PAY-7) when it was the last closing condition missing."""
    from reports.services_far import far_validate as validate
    from tests.exchanges.factories import approver

    far_submit(exchange, side, today=today)
    reviewer = approver(exchange.vop if side == "visitor" else exchange.hop)
    return validate(actor=reviewer, exchange=exchange, side=side, today=today)


def far_row(exchange, side, *, status, first_submitted_at=None, **fields):
    """A final report written straight to the database (no service), with the exchange's
    "report first submitted" fact kept as ``far_save`` keeps it (R-DOC-4): what the work
    queues and the dashboards read."""
    from exchanges.services import exchange_report_submitted
    from reports.models import FinalReport

    report = FinalReport.objects.create(
        exchange=exchange,
        side=side,
        status=status,
        first_submitted_at=first_submitted_at,
        **fields,
    )
    if first_submitted_at is not None:
        exchange_report_submitted(exchange=exchange, side=side, at=first_submitted_at)
    return report


def validated_visitor_far(exchange):
    """A validated visitor's report written straight to the database, without the services
    that would close the exchange (for tests of the close transition itself)."""
    from django.utils import timezone

    from reports.models import FinalReportStatus

    now = timezone.now()
    return far_row(
        exchange,
        "visitor",
        status=FinalReportStatus.VALIDATED,
        first_submitted_at=now,
        submitted_at=now,
        decided_at=now,
    )


def far_form_answers(exchange) -> dict:
    """A complete final report as the browser posts it (every question answered)."""
    return {
        "submit": "1",
        "objective_0": "5",
        "activities": [str(a.pk) for a in exchange.activities.all()],
        "results_achieved": "yes",
        "results_text": "Two pilots.",
        "collaborations": "no",
        "follow_up": "A joint call.",
        "satisfaction_counterpart": "5",
        "satisfaction_partnership": "4",
        "satisfaction_overall": "5",
        "would_recommend": "yes",
    }
