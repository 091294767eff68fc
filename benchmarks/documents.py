"""Benchmark: how long WeasyPrint takes to render the documents (R-DOC-5), and how long sealing a
fully signed one takes (R-DOC-7). Not a timed test.

    uv run python benchmarks/documents.py              # 7 renderings of each, median and max
    uv run python benchmarks/documents.py --repeat 15

It builds a throw-away SQLite database in a temporary folder, one exchange with a plan of 10
activities, representatives and a bank account, and times ``reports.rendering.render_pdf`` on
the CTQ and the FA data (the work of the Celery task, without the storage write). Target: at
most 0.5 s for a CTQ of 10 activities. Then, for each kind, the signature page alone
(``reports.sealing.render_signature_page``), the whole seal (``seal_pdf``: that page, appended
in an incremental update, and the PAdES signature) and the check of the sealed file
(``seal_check``, what the verify page does for an upload), with the development certificate.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
_tmp = tempfile.mkdtemp(prefix="cxc-bench-docs-")
os.environ["CXC_VAR_DIR"] = _tmp
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxc_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports.rendering import render_pdf  # noqa: E402
from reports.seal_certificate import portal_seal  # noqa: E402
from reports.sealing import (  # noqa: E402
    SignatureLine,
    render_signature_page,
    seal_check,
    seal_pdf,
)
from reports.selectors import data_hash, document_data  # noqa: E402
from tests import factories  # noqa: E402
from tests.payments.factories import bank_account  # noqa: E402


def build_exchange():
    exchange = factories.ExchangeFactory()
    for i in range(10):
        factories.ActivityFactory(
            exchange=exchange,
            date=exchange.start_date + timedelta(days=i % 5),
            hours=Decimal("2.5"),
            title=f"Activity {i + 1}: workshop with the host's members",
            description="Presentation, discussion and a visit of a member company.",
        )
    for organisation in (exchange.host, exchange.visitor):
        factories.RepresentativeFactory(organisation=organisation)
    for partnership in (exchange.hop, exchange.vop):
        factories.PartnershipStaffFactory(partnership=partnership)
    bank_account(exchange.visitor)
    return exchange


def _timed(repeat: int, work) -> tuple[list[float], object]:
    work()  # warm-up (fonts, templates)
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def _row(label: str, times: list[float], size: int | None = None) -> None:
    kib = f"{size / 1024:>6.0f}" if size is not None else f"{'':>6}"
    print(f"{label:<30} {statistics.median(times):>10.0f} {max(times):>8.0f} {kib}")


def _lines(data: dict, digest: str) -> list[SignatureLine]:
    now = timezone.now()
    return [
        SignatureLine(
            party_label=f"{party['role']} — {party['name']}",
            signatory=f"Signatory of {party['role']}",
            typed_name=f"Signatory of {party['role']}",
            signed_at=now,
            signed_sha256=digest,
        )
        for party in data["parties"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    exchange = build_exchange()
    contents = document_data(exchange)
    seal = portal_seal()
    print(f"{'document':<30} {'median ms':>10} {'max ms':>8} {'KiB':>6}")
    rendered = {}
    for kind, label in (("CTQ", "CTQ, 10 activities"), ("FA", "FA")):
        data = contents[kind]
        digest = data_hash(data)
        times, pdf = _timed(
            args.repeat,
            lambda data=data, digest=digest, kind=kind: render_pdf(
                kind=kind, data=data, version=1, generated_at=timezone.now(), data_hash=digest
            ),
        )
        rendered[kind] = pdf
        _row(label, times, len(pdf))
    for kind in ("CTQ", "FA"):
        pdf = rendered[kind]
        lines = _lines(contents[kind], hashlib.sha256(pdf).hexdigest())
        times, page = _timed(
            args.repeat,
            lambda kind=kind, pdf=pdf, lines=lines: render_signature_page(
                reference=exchange.reference,
                kind=kind,
                version=1,
                document_sha256=hashlib.sha256(pdf).hexdigest(),
                lines=lines,
                sealed_at=timezone.now(),
                fingerprint=seal.fingerprint,
            ),
        )
        _row(f"{kind} signature page ({len(lines)} lines)", times, len(page))
        times, sealed = _timed(
            args.repeat,
            lambda kind=kind, pdf=pdf, lines=lines: seal_pdf(
                pdf, lines, reference=exchange.reference, kind=kind, version=1, seal=seal
            ),
        )
        _row(f"{kind} sealed (page + PAdES)", times, len(sealed))
        times, check = _timed(args.repeat, lambda sealed=sealed: seal_check(sealed, seal=seal))
        assert check.valid, check
        _row(f"{kind} seal check (verify)", times)


if __name__ == "__main__":
    main()
