"""Benchmark: time and SQL queries of the busiest pages as the data grows.

    uv run python benchmarks/pages.py                 # sizes 10 200 1000, 15 requests each
    uv run python benchmarks/pages.py --sizes 50 500 --repeat 30

It builds a throw-away database in a temporary folder (SQLite; or the database of
``BENCH_DATABASE_URL`` if you set it — never point it at real data), fills it to each size with
the test factories, and requests each page as the user who would open it. One line per
(page, size): median and 95th-percentile milliseconds and the number of SQL queries. The query
count must not grow with the size (the tests pin it); the milliseconds are for comparing runs on
the same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
_tmp = tempfile.mkdtemp(prefix="cxc-bench-")
os.environ["CXC_VAR_DIR"] = _tmp
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.pop("REDIS_URL", None)
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxc_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from exchanges.models import Exchange  # noqa: E402
from organisations.choices import OrganisationSize, OrganisationType, ProfileStatus  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from tests import factories  # noqa: E402


def grow_to(size: int, world: dict) -> None:
    """Add organisations and exchanges until the staff's partnership has ``size`` of each."""
    partnership = world["partnership"]
    have = Exchange.objects.filter(vop=partnership).count()
    missing = size - have
    if missing <= 0:
        return
    common = {
        "org_type": OrganisationType.CLUSTER,
        "size": OrganisationSize.SMALL,
        "validating_partnership": partnership,
    }
    visitors = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Visitor {have + i}",
            country="BE",
            city_name="Brussels",
            status=ProfileStatus.VALIDATED,
            **common,
        )
        for i in range(missing)
    )
    # Hosts in another country: candidates of the matching page; half wait for validation.
    Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Host {have + i}",
            country="DE",
            city_name="Berlin",
            status=ProfileStatus.VALIDATED if i % 2 else ProfileStatus.SUBMITTED,
            keywords=["robotics", f"k{i % 7}"],
            **common,
        )
        for i in range(missing)
    )
    host = world["host"]
    Exchange.objects.bulk_create(
        Exchange(
            reference=f"CXC-2027-{9_000_000 + have + i}",
            visitor=visitor,
            host=host,
            vop=partnership,
            hop=host.validating_partnership,
            start_date=world["start"],
            end_date=world["end"],
        )
        for i, visitor in enumerate(visitors)
    )


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    client.get(url)  # warm the caches (templates, content types)
    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(ctx.captured_queries)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200, 1000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    setup_test_environment()
    call_command("migrate", verbosity=0)
    staff = factories.PartnershipStaffFactory()
    factories.give_totp(staff.user)
    partnership = staff.partnership
    visitor_rep = factories.RepresentativeFactory(
        organisation=factories.OrganisationFactory(validating_partnership=partnership, country="FR")
    )
    interest = factories.ExpressionOfInterestFactory(
        organisation=visitor_rep.organisation, partnership=partnership, role="visitor"
    )
    start = date(2027, 3, 1)  # a Monday: a clean Monday-to-Friday stay
    world = {
        "partnership": partnership,
        "host": factories.OrganisationFactory(country="PT"),
        "start": start,
        "end": start + timedelta(days=4),
    }
    staff_client, applicant_client, anonymous = Client(), Client(), Client()
    staff_client.force_login(staff.user)
    applicant_client.force_login(visitor_rep.user)
    pages = [
        ("home (staff dashboard)", staff_client, reverse("home")),
        ("staff exchange list", staff_client, reverse("exchanges:list")),
        ("staff profile queue", staff_client, reverse("organisations:staff_queue")),
        (
            "matching page (visitor)",
            applicant_client,
            reverse("partnerships:matching", kwargs={"pk": interest.pk}),
        ),
        (
            "eligibility checker JSON",
            anonymous,
            reverse("eligibility") + "?format=json&org_type=sme&country=PT&cluster_member=on"
            "&representative_age=30&nationality=PT",
        ),
    ]
    print(f"{'page':<28}{'rows':>7}{'median ms':>12}{'p95 ms':>10}{'queries':>9}")
    for size in sorted(args.sizes):
        grow_to(size, world)
        for name, client, url in pages:
            median, p95, queries = measure(client, url, args.repeat)
            print(f"{name:<28}{size:>7}{median:>12.1f}{p95:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
