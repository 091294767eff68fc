"""Benchmark: how long WeasyPrint takes to render the documents (R-DOC-5). Not a timed test.

    uv run python benchmarks/documents.py              # 7 renderings of each, median and max
    uv run python benchmarks/documents.py --repeat 15

It builds a throw-away SQLite database in a temporary folder, one exchange with a plan of 10
activities, representatives and a bank account, and times ``reports.rendering.render_pdf`` on
the CTQ and the FA data (the work of the Celery task, without the storage write). Target: at
most 0.5 s for a CTQ of 10 activities.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    exchange = build_exchange()
    contents = document_data(exchange)
    print(f"{'document':<30} {'median ms':>10} {'max ms':>8} {'KiB':>6}")
    for kind, label in (("CTQ", "CTQ, 10 activities"), ("FA", "FA")):
        data = contents[kind]
        digest = data_hash(data)
        render_pdf(kind=kind, data=data, version=1, generated_at=timezone.now(), data_hash=digest)
        times, size = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            pdf = render_pdf(
                kind=kind, data=data, version=1, generated_at=timezone.now(), data_hash=digest
            )
            times.append((time.perf_counter() - start) * 1000)
            size = len(pdf)
        print(
            f"{label:<30} {statistics.median(times):>10.0f} {max(times):>8.0f} {size / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
