"""Where one page spends its time, in-process, on a database the harness built.

    uv run python benchmarks/profile_page.py --db cxc_bench --as support /
    uv run python benchmarks/profile_page.py --db cxc_bench --as staff /exchanges/ --cprofile 25

Signs in as the harness's user of that role (``--as``: support, staff, applicant or public),
requests the path ``--repeat`` times under ``benchmarks.settings`` and prints the median and
worst milliseconds, the number of queries, and the slowest queries of one request with their
time (the rest of the request is Python: templates, forms, model loading). ``--cprofile N``
adds the N functions with the most cumulative time. The database must have been built by
``benchmarks/harness.py`` (its ``var/bench/<db>.json`` names the users). Nothing is written to
the database but the session.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--db", default="cxc_bench")
    parser.add_argument("--as", dest="role", default="support")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile order: cumulative, tottime, ..."
    )
    parser.add_argument("--queries", type=int, default=8, help="slowest queries shown")
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    admin_url = os.environ.get("BENCH_ADMIN_URL", "postgres://cxc:cxc@127.0.0.1:5432/postgres")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=admin_url.rsplit("/", 1)[0] + f"/{args.db}",
        CXC_VAR_DIR=str(VAR),
        STATIC_ROOT=str(VAR / "static"),
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cxc_portal.accounts.models import User
    from tests.auth import force_login_with_second_factor

    # No setup_test_environment(): its instrumented template rendering would double the time
    # templates take. The host is one of benchmarks.settings' ALLOWED_HOSTS instead.
    built = json.loads((VAR / f"{args.db}.json").read_text())
    client = Client(HTTP_ACCEPT="text/html", SERVER_NAME="localhost")
    if args.role != "public":
        force_login_with_second_factor(client, User.objects.get(pk=built[f"{args.role}_id"]))
    first = client.get(args.path)
    print(f"{args.path} as {args.role}: HTTP {first.status_code}, {len(first.content):,} bytes")

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(args.path)
        timings.append((time.perf_counter() - started) * 1000)
    median, worst = statistics.median(timings), max(timings)
    print(f"  {args.repeat} requests: median {median:.1f} ms, worst {worst:.1f} ms")

    connection.force_debug_cursor = True
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(args.path)
        total = (time.perf_counter() - started) * 1000
    sql_ms = sum(float(q["time"]) * 1000 for q in captured.captured_queries)
    print(
        f"  one request: {total:.1f} ms, {len(captured.captured_queries)} queries, "
        f"SQL {sql_ms:.1f} ms, the rest {total - sql_ms:.1f} ms"
    )
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    for query in slowest[: args.queries]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")

    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(3):
            client.get(args.path)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.cprofile)


if __name__ == "__main__":
    main()
