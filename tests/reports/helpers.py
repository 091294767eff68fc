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
