"""The speed harness at programme scale (issue 12): ``make bench SCALE=100000``.

    uv run python benchmarks/harness.py --scale 2000              # build, serve, measure, explain
    uv run python benchmarks/harness.py --scale 2000 --reuse      # measure the database built last
    uv run python benchmarks/harness.py --scale 2000 --seconds 3  # shorter measurements
    uv run python benchmarks/harness.py --scale 2000 --reuse --soak-seconds 20  # a quick soak
    uv run python benchmarks/harness.py --scale 100000 --build-only  # build now, measure later

1. (Re)creates the PostgreSQL database ``cxc_bench`` (``--db``; role cxc/cxc on 127.0.0.1, or
   ``BENCH_ADMIN_URL``), migrates it and fills it with ``benchmarks.data.build(SCALE)``.
2. Serves the portal with gunicorn (2 workers) under ``benchmarks.settings`` — production-like:
   DEBUG off, hashed static files — on 127.0.0.1 only, with signed-in sessions for the Support
   Office, one partnership's staff (second factor recorded) and an applicant.
3. Measures every key page with wrk (one Lua script sends the session cookie): median, p95 and
   requests/s at 1 and 8 connections, ``--seconds`` each, pages interleaved in one loop with the
   bare view (``benchmarks.urls``) and the Django admin's changelist, so each figure is also a
   ratio that holds on a noisy machine.
   Then the soak: 8 connections for ``--soak-seconds`` (120 by default; 0: none) going round
   every page, counting answers 5xx, timeouts and socket errors (all must be 0).
4. Captures the SQL of one request per page (test Client, in-process, same database) and runs
   ``EXPLAIN (ANALYZE, BUFFERS)`` on each query: flags sequential scans on the big tables and
   sorts that spill to disk.
5. Writes ``benchmarks/results/latest.md``. It stops by itself (bounded measurements) and stops
   gunicorn on the way out, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "benchmarks" / "results"
VAR = BASE_DIR / "var" / "bench"
HOST = "127.0.0.1"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
CONNECTIONS = (1, 8)

LUA = r"""
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "text/html"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, " ..
    "\"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""

#: The soak (issue 12): every connection goes round the pages of ``BENCH_MIX`` (one
#: "cookie<TAB>accept<TAB>path" a line), counting the answers 5xx and 4xx per thread.
SOAK_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  c5xx, c4xx, c3xx = 0, 0, 0
  mix, at = {}, 0
  for line in string.gmatch(os.getenv("BENCH_MIX") or "", "[^\n]+") do
    local cookie, accept, path = string.match(line, "^([^\t]*)\t([^\t]*)\t(.*)$")
    table.insert(mix, {cookie = cookie, accept = accept, path = path})
  end
end
function request()
  at = at % #mix + 1
  local page = mix[at]
  return wrk.format("GET", page.path,
    {["Cookie"] = page.cookie, ["Accept"] = page.accept, ["Host"] = "localhost"})
end
function response(status, headers, body)
  if status >= 500 then c5xx = c5xx + 1
  elseif status >= 400 then c4xx = c4xx + 1
  elseif status >= 300 then c3xx = c3xx + 1 end
end
function done(summary, latency, requests)
  local s5, s4, s3 = 0, 0, 0
  for _, t in ipairs(threads) do
    s5 = s5 + t:get("c5xx"); s4 = s4 + t:get("c4xx"); s3 = s3 + t:get("c3xx")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, " ..
    "\"max_us\": %d, \"s5xx\": %d, \"s4xx\": %d, \"s3xx\": %d, \"connect\": %d, " ..
    "\"read\": %d, \"write\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.max, s5, s4, s3, e.connect, e.read, e.write, e.timeout))
end
"""
SOAK_CONNECTIONS = 8


@dataclass
class Page:
    name: str
    role: str  # support | staff | applicant | public
    path: str
    accept: str = "text/html"
    runs: dict[int, list[dict]] = field(default_factory=dict)
    explain: dict = field(default_factory=dict)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=2000, help="number of exchanges")
    parser.add_argument("--seconds", type=int, default=5, help="duration of one measurement")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds of all pages")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="cxc_bench", help="database name (dropped, recreated)")
    parser.add_argument("--reuse", action="store_true", help="keep the database built last")
    parser.add_argument("--out", default=str(RESULTS / "latest.md"))
    parser.add_argument("--note", default="", help="a line for the report (why this run)")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build (or migrate, with --reuse) the database and stop: measure later with --reuse"
        " on a quiet machine",
    )
    parser.add_argument(
        "--soak-seconds",
        type=int,
        default=120,
        help="the soak: 8 clients over a mix of the pages for this long (0: no soak)",
    )
    return parser.parse_args()


# --- 1. the database --------------------------------------------------------------------------


def prepare_environment(args: argparse.Namespace) -> str:
    """Point Django at the bench database and settings; (re)create the database unless reused."""
    admin_url = os.environ.get("BENCH_ADMIN_URL", f"postgres://cxc:cxc@{HOST}:5432/postgres")
    db_url = admin_url.rsplit("/", 1)[0] + f"/{args.db}"
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=db_url,
        CXC_VAR_DIR=str(VAR),
        STATIC_ROOT=str(VAR / "static"),
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.pop("REDIS_URL", None)  # sessions in the database: both workers see them
    if not args.reuse:
        import psycopg

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db):
            raise SystemExit(f"unsafe database name: {args.db!r}")
        with psycopg.connect(
            admin_url.replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            c.execute(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {args.db}")
    return db_url


def build_database(args: argparse.Namespace) -> dict:
    from django.core.management import call_command
    from django.db import connection

    state = VAR / f"{args.db}.json"
    if args.reuse:
        # The database built last, brought up to the code's migrations (new indexes included).
        call_command("migrate", verbosity=0, interactive=False)
        if state.exists():
            return json.loads(state.read_text())
        from benchmarks import data

        built = {**data.recover(args.scale), "scale": args.scale}
        state.write_text(json.dumps(built, indent=1))
        return built
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic()
    from benchmarks import data

    built = data.build(args.scale)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    built["migrate_s"] = round(migrated - started, 1)
    built["build_s"] = round(time.monotonic() - migrated, 1)
    built["scale"] = args.scale
    state.write_text(json.dumps(built, indent=1))
    return built


def sessions(built: dict) -> dict[str, str]:
    """A complete sign-in (password, and TOTP for staff) per role: the session keys."""
    from django.test import Client

    from cxc_portal.accounts.models import User
    from tests.auth import force_login_with_second_factor

    keys = {"public": ""}
    for role in ("support", "staff", "applicant"):
        client = Client()
        force_login_with_second_factor(client, User.objects.get(pk=built[f"{role}_id"]))
        keys[role] = client.cookies["sessionid"].value
    return keys


def pages(built: dict) -> list[Page]:
    exchange, interest = built["exchange_id"], built["interest_id"]
    later = "?status=closed&sort=-visitor&page=3"
    eligibility = "?org_type=cluster&country=BE&format=json"
    lump_sum = "?host_country=PT&start=2026-03-09&end=2026-03-13&mode=physical&distance_km=1450"
    return [
        Page("bare view", "public", "/__bench__/bare/"),
        Page("admin changelist", "support", "/admin/exchanges/exchange/"),
        Page("exchange list", "support", "/exchanges/"),
        Page("exchange list, closed, by visitor, p3", "support", "/exchanges/" + later),
        Page("exchange list", "staff", "/exchanges/"),
        Page(
            "exchange list, closed, by visitor, p2",
            "staff",
            "/exchanges/" + later.replace("page=3", "page=2"),
        ),
        Page("exchange detail", "staff", f"/exchanges/{exchange}/"),
        Page("exchange detail", "support", f"/exchanges/{exchange}/"),
        Page("home", "support", "/"),
        Page("home", "staff", "/"),
        Page("home", "applicant", "/"),
        Page("matching", "staff", f"/partnerships/interests/{interest}/matching/"),
        Page("programme dashboard", "support", "/dashboards/"),
        Page("partnership dashboard", "staff", "/dashboards/partnership/bp0/"),
        Page("partnership dashboard", "support", "/dashboards/partnership/bp0/"),
        Page("eligibility JSON", "public", "/eligibility/" + eligibility, "application/json"),
        Page("lump-sum JSON", "public", "/lump-sum/" + lump_sum + "&format=json"),
    ]


# --- 2. gunicorn --------------------------------------------------------------------------------


def start_gunicorn(port: int) -> subprocess.Popen:
    log = open(VAR / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cxc_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_until_answering(port, limit=60, process=process)
    return process


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port: int, page_path: str, cookie: str = "", accept: str = "text/html") -> int:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{page_path}",
        headers={"Cookie": cookie, "Accept": accept, "Host": "localhost"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_answering(port: int, limit: float, process: subprocess.Popen | None = None) -> None:
    """Until the bare view answers twice in a row (both workers free), at most ``limit`` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {VAR / 'gunicorn.log'}")
        try:
            if fetch(port, "/__bench__/bare/") == 200 and fetch(port, "/__bench__/bare/") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {limit} s")


# --- 3. wrk ------------------------------------------------------------------------------------


def run_wrk(port: int, page: Page, cookie: str, connections: int, seconds: int, lua: Path) -> dict:
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_ACCEPT": page.accept}
    command = [
        WRK, f"-c{connections}", f"-t{min(connections, 2)}", f"-d{seconds}s", "--timeout", "30s",
        "-H", "Host: localhost", "-s", str(lua), f"http://{HOST}:{port}{page.path}",
    ]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for {page.path}: {out.stdout}\n{out.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure(args, port: int, all_pages: list[Page], keys: dict[str, str]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA)
        lua = Path(f.name)
    try:
        for round_no in range(args.rounds):
            for page in all_pages:
                cookie = f"sessionid={keys[page.role]}" if keys[page.role] else ""
                for connections in CONNECTIONS:
                    result = run_wrk(port, page, cookie, connections, args.seconds, lua)
                    page.runs.setdefault(connections, []).append(result)
                    print(
                        f"  r{round_no + 1} {page.name} [{page.role}] c={connections}: "
                        f"p50 {result['p50_us'] / 1000:.1f} ms, {result['rps']:.1f} req/s",
                        flush=True,
                    )
                    # Requests still running after wrk stopped must not slow the next page.
                    wait_until_answering(port, limit=90)
    finally:
        lua.unlink()


def soak(args, port: int, all_pages: list[Page], keys: dict[str, str]) -> dict:
    """8 clients for ``--soak-seconds`` going round every page but the bare view: the count
    of answers 5xx and of timeouts and socket errors must be 0 (issue 12)."""
    mix = "\n".join(
        f"{'sessionid=' + keys[p.role] if keys[p.role] else ''}\t{p.accept}\t{p.path}"
        for p in all_pages
        if p.name != "bare view"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(SOAK_LUA)
        lua = Path(f.name)
    try:
        command = [
            WRK, f"-c{SOAK_CONNECTIONS}", "-t2", f"-d{args.soak_seconds}s", "--timeout", "30s",
            "-s", str(lua), f"http://{HOST}:{port}/",
        ]  # fmt: skip
        out = subprocess.run(
            command,
            env={**os.environ, "BENCH_MIX": mix},
            capture_output=True,
            text=True,
            timeout=args.soak_seconds + 90,
        )
    finally:
        lua.unlink()
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for the soak: {out.stdout}\n{out.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["seconds"] = args.soak_seconds
    result["pages"] = len(mix.splitlines())
    return result


def soak_lines(result: dict | None) -> list[str]:
    if not result:
        return []
    failed = result["connect"] + result["read"] + result["write"]
    verdict = "PASS" if result["s5xx"] == 0 and result["timeout"] == 0 and not failed else "FAIL"
    return [
        "",
        f"## Soak: {SOAK_CONNECTIONS} clients for {result['seconds']} s over {result['pages']}"
        " pages (round robin)",
        "",
        "| requests | req/s | p50 ms | p95 ms | max ms | 5xx | timeouts | socket errors "
        "| 4xx | 3xx | verdict |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        f"| {result['requests']} | {result['rps']:.1f} | {result['p50_us'] / 1000:.1f} "
        f"| {result['p95_us'] / 1000:.1f} | {result['max_us'] / 1000:.1f} | {result['s5xx']} "
        f"| {result['timeout']} | {failed} | {result['s4xx']} | {result['s3xx']} | {verdict} |",
        "",
        "Verdict: PASS when no answer is 5xx and no request timed out (30 s) or failed.",
    ]


# --- 4. EXPLAIN ----------------------------------------------------------------------------------


def big_tables() -> set[str]:
    from cxc_portal.audit.models import AuditEvent
    from cxc_portal.notifications.models import Notification
    from exchanges.models import Activity, Exchange
    from organisations.models import Organisation

    models = (Exchange, Organisation, Activity, AuditEvent, Notification)
    return {m._meta.db_table for m in models}


def plan_flags(node: dict, big: set[str]) -> list[str]:
    flags = []
    kind = node.get("Node Type", "")
    if kind == "Seq Scan" and node.get("Relation Name") in big:
        flags.append(f"Seq Scan on {node['Relation Name']} ({node.get('Actual Rows', '?')} rows)")
    if "Sort" in kind and (
        node.get("Sort Space Type") == "Disk" or "external" in node.get("Sort Method", "")
    ):
        flags.append(f"{kind} spilled to disk ({node.get('Sort Space Used', '?')} kB)")
    for child in node.get("Plans", []):
        flags.extend(plan_flags(child, big))
    return flags


def explain(all_pages: list[Page], keys: dict[str, str]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    big = big_tables()
    for page in all_pages:
        client = Client(HTTP_ACCEPT=page.accept)
        if keys[page.role]:
            client.cookies["sessionid"] = keys[page.role]
        with CaptureQueriesContext(connection) as captured:
            status = client.get(page.path).status_code
        flags, total_ms, explained = [], 0.0, 0
        for query in captured.captured_queries:
            sql = query["sql"]
            # A compound statement (UNION) starts with its first part's parenthesis.
            if not sql.lstrip(" (").upper().startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cursor:
                try:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                except Exception as error:  # noqa: BLE001 (reported, not fatal)
                    flags.append(f"EXPLAIN failed: {type(error).__name__}")
                    continue
                plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            total_ms += plan.get("Execution Time", 0.0)
            explained += 1
            flags.extend(plan_flags(plan["Plan"], big))
        page.explain = {
            "status": status,
            "queries": len(captured.captured_queries),
            "explained": explained,
            "sql_ms": total_ms,
            "flags": sorted(set(flags)),
        }


# --- 5. the report -------------------------------------------------------------------------------


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    load = "load average {:.1f}, {:.1f}, {:.1f} at the end".format(*os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), {memory} memory, {platform.system()}, {pg}; {load}"


def summary(page: Page, connections: int) -> dict:
    """The rounds of one page at one connection count; ``p50``/``p95`` are None when no
    request completed within a measurement (the page is slower than ``--seconds``)."""
    runs = page.runs.get(connections, [])
    errors = sum(r["status"] + r["timeout"] + r["connect"] + r["read"] for r in runs)
    done = [r for r in runs if r["requests"]]
    return {
        "p50": statistics.median(r["p50_us"] for r in done) / 1000 if done else None,
        "p95": statistics.median(r["p95_us"] for r in done) / 1000 if done else None,
        "rps": statistics.mean(r["rps"] for r in runs) if runs else 0.0,
        "requests": sum(r["requests"] for r in runs),
        "errors": errors,
    }


def ms(value: float | None, seconds: int) -> str:
    return f"{value:.1f}" if value is not None else f"> {seconds * 1000} (none done)"


def ratio(value: float | None, base: float | None, digits: int) -> str:
    if value is None or not base:
        return "—"
    return f"{value / base:.{digits}f}"


def report(
    args,
    built: dict,
    all_pages: list[Page],
    preflight: dict[str, int],
    soaked: dict | None = None,
) -> str:
    bare = {c: summary(all_pages[0], c) for c in CONNECTIONS}
    admin = {c: summary(all_pages[1], c) for c in CONNECTIONS}
    lines = [
        f"# Benchmark at {args.scale:,} exchanges",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Scale: {args.scale:,} exchanges; rows: "
        + ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in built["counts"].items()),
        f"- Build: migrate {built.get('migrate_s', '?')} s, data {built.get('build_s', '?')} s",
        *([f"- Note: {args.note}"] if args.note else []),
        f"- Server: gunicorn, 2 workers, `benchmarks.settings` (DEBUG off); wrk, {args.seconds} s"
        f" per measurement, {args.rounds} interleaved round(s), connections {CONNECTIONS}",
        "",
        "Times in ms (median of the rounds' p50 and p95); ×bare and ×admin: the page's p50 at one"
        " connection divided by the bare view's and by the admin changelist's; rps/admin: the"
        " page's requests/s at 8 connections over the admin changelist's (higher is better).",
        "",
        "| page | as | HTTP | p50 c=1 | p95 c=1 | req/s c=1 | p50 c=8 | p95 c=8 | req/s c=8 "
        "| ×bare | ×admin | rps/admin c=8 | errors |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in all_pages:
        one, eight = summary(page, 1), summary(page, 8)
        sec = args.seconds
        lines.append(
            f"| {page.name} | {page.role} | {preflight[page.name + page.role]} "
            f"| {ms(one['p50'], sec)} | {ms(one['p95'], sec)} | {one['rps']:.1f} "
            f"| {ms(eight['p50'], sec)} | {ms(eight['p95'], sec)} | {eight['rps']:.1f} "
            f"| {ratio(one['p50'], bare[1]['p50'], 0)} "
            f"| {ratio(one['p50'], admin[1]['p50'], 2)} "
            f"| {ratio(eight['rps'], admin[8]['rps'], 2)} "
            f"| {one['errors'] + eight['errors']} |"
        )
    lines += [
        "",
        "## EXPLAIN (ANALYZE, BUFFERS) of one request per page",
        "",
        "Sequential scans on the big tables (exchanges, organisations, activities, audit events,"
        " notifications) and sorts spilled to disk. On a small database the planner rightly"
        " prefers a sequential scan of a table of a few pages: the flags that matter are those"
        " at programme scale (100,000 exchanges).",
        "",
        "| page | as | HTTP | queries | explained | SQL ms | flags |",
        "|---|---|---|--:|--:|--:|---|",
    ]
    flagged = 0
    for page in all_pages:
        e = page.explain
        flagged += bool(e["flags"])
        lines.append(
            f"| {page.name} | {page.role} | {e['status']} | {e['queries']} | {e['explained']} "
            f"| {e['sql_ms']:.1f} | {'<br>'.join(e['flags']) or '—'} |"
        )
    lines += ["", f"Pages with a flag: {flagged} of {len(all_pages)}."]
    lines += [*soak_lines(soaked), ""]
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if not Path(WRK).exists():
        raise SystemExit("wrk is missing: apt-get install wrk")
    sys.path.insert(0, str(BASE_DIR))
    prepare_environment(args)
    import django

    django.setup()
    from django.core.management import call_command

    print(f"building {args.scale:,} exchanges in {args.db} …", flush=True)
    built = build_database(args)
    print(f"  rows: {built['counts']}", flush=True)
    if args.build_only:
        print(f"built {args.db}: measure with --db {args.db} --reuse", flush=True)
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    keys = sessions(built)
    all_pages = pages(built)
    print(f"serving on {HOST}:{args.port} (gunicorn, 2 workers) …", flush=True)
    server = start_gunicorn(args.port)
    try:
        preflight = {}
        for page in all_pages:
            cookie = f"sessionid={keys[page.role]}" if keys[page.role] else ""
            preflight[page.name + page.role] = fetch(args.port, page.path, cookie, page.accept)
        print(f"  status of each page: {list(preflight.values())}", flush=True)
        measure(args, args.port, all_pages, keys)
        soaked = None
        if args.soak_seconds > 0:
            print(f"soak: {SOAK_CONNECTIONS} clients for {args.soak_seconds} s …", flush=True)
            soaked = soak(args, args.port, all_pages, keys)
            print(f"  {soaked}", flush=True)
    finally:
        stop_gunicorn(server)
    print("EXPLAIN of each page's queries …", flush=True)
    explain(all_pages, keys)
    text = report(args, built, all_pages, preflight, soaked)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    print(f"written: {out}")


if __name__ == "__main__":
    main()
