"""End-to-end tests: a real Chromium drives the portal served by pytest-django's ``live_server``.

Chromium is the Debian package (``apt-get install chromium``; ``.ci/run`` installs it), never a
browser build downloaded by Playwright: ``CXC_CHROMIUM`` names the executable (default
``/usr/bin/chromium``). Without it the tests fail in CI (``CI=true``) and are skipped, with the
reason, on a developer's machine.

Every page a test opens is watched: a console error (a CSP violation, a static file that does
not load, a JavaScript exception) fails the test, since the strict Content-Security-Policy
makes such mistakes silent for users — a button that does nothing.

Every page also carries axe-core (vendored from npm in ``tests/e2e/vendor/``, injected as an
init script, which the page's CSP does not apply to). ``check_page(page, name)`` is called on
each page a journey visits: at 1366 px and at 390 px (a phone) axe must find no critical or
serious violation (WCAG 2.1 AA, issue 14), the phone width must not scroll sideways, and
screenshots of both widths are saved as artefacts (``CXC_E2E_ARTEFACTS``, default
``var/e2e-artefacts/``).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connections

from tests.factories import TEST_TOTP_SECRET

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: How long a locator waits for what a person would see (the server runs in this process).
TIMEOUT_MS = 15_000
#: The password tests.factories.UserFactory gives every user.
PASSWORD = "correct-horse-battery"
#: axe-core, vendored from npm (see tests/e2e/vendor/README.md).
AXE_PATH = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
#: Where the screenshots of the checked pages go (kept by CI as artefacts).
ARTEFACTS = Path(
    os.environ.get("CXC_E2E_ARTEFACTS")
    or Path(__file__).resolve().parents[2] / "var" / "e2e-artefacts"
)
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: The impacts that fail a test (axe's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = {"serious", "critical"}


def chromium_path() -> str | None:
    path = os.environ.get("CXC_CHROMIUM", "/usr/bin/chromium")
    return shutil.which(path)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's ``live_server`` (static files served, transactional database, the host
    allowed), without Django's media-files handler: the portal has no ``MEDIA_URL`` (private
    files are only served through permission-checked views), and that handler cannot work
    without one (every request failed with a TypeError on ``MEDIA_URL = None``)."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    serve_static = server.thread.static_handler
    # The thread wraps ``_MediaFilesHandler(WSGIHandler())``: serve static files around the
    # WSGI handler inside it instead.
    server.thread.static_handler = lambda media_handler: serve_static(media_handler.application)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(monkeypatch) -> Iterator[object]:
    path = chromium_path()
    if path is None:
        reason = (
            f"Chromium not found at {os.environ.get('CXC_CHROMIUM', '/usr/bin/chromium')!r}: "
            "install it (apt-get install chromium) or set CXC_CHROMIUM to its executable."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"The end-to-end tests need Chromium in CI. {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (a loaded CI machine runs two workers at once).
    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API runs an asyncio event loop in this thread, and Django refuses ORM
    # calls from a thread with a running loop (SynchronousOnlyOperation) — yet the tests must
    # build their data with the factories and read it back. The calls really are synchronous
    # (the loop only waits for the browser), so the check is lifted, for these tests only:
    # monkeypatch restores the environment afterwards, so the rest of the suite keeps it.
    # Playwright is started per test for the same reason: a loop left running would change
    # the database access of every test that runs after an e2e one in the same process.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            # While the loop runs, asgiref gives this thread's code its own database
            # connection (context-local, not the one pytest-django manages and closes): close
            # it here, or it stays open and PostgreSQL refuses to drop the test database.
            connections.close_all()
            chromium.close()


class Browsing:
    """Opens pages (one browser context per person) and collects what went wrong in them."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.errors: list[str] = []
        self.contexts = []

    def new_page(self):
        """A fresh browser (own cookies) for one person, watched for errors."""
        # Reduced motion: Bootstrap then skips its transitions, so axe and the screenshots see
        # the colours a person settles on, not a button half-way through its hover fade.
        context = self.browser.new_context(
            base_url=self.base_url, viewport=DESKTOP, reduced_motion="reduce"
        )
        context.set_default_timeout(TIMEOUT_MS)
        # axe-core in every page, for check_page (an init script: not subject to the page's CSP).
        context.add_init_script(path=str(AXE_PATH))
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        # data-confirm asks with window.confirm: the person says yes (Playwright would
        # otherwise dismiss it, and nothing would be submitted).
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def _on_console(self, message) -> None:
        # CSP violations, failed static files and script errors are reported as errors.
        if message.type == "error":
            self.errors.append(f"console error on {message.location.get('url')}: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, live_server) -> Iterator[Browsing]:
    session = Browsing(browser, live_server.url)
    yield session
    session.close()
    assert session.errors == [], "the browser reported errors:\n" + "\n".join(session.errors)


def assert_assets_loaded(page) -> None:
    """The stylesheets and scripts of the layout loaded and run (served by the live server).

    Waits for the page's load event first: right after a click the navigation may still be
    under way (on a busy machine), and the old or half-parsed page has no scripts yet."""
    page.wait_for_load_state("load")
    loaded = page.evaluate(
        """() => ({
            htmx: typeof window.htmx === "object" && typeof window.htmx.ajax === "function",
            bootstrap: typeof window.bootstrap === "object",
            sheets: [...document.styleSheets].map(s => s.cssRules.length),
        })"""
    )
    assert loaded["htmx"], "htmx did not load"
    assert loaded["bootstrap"], "Bootstrap's script did not load"
    assert loaded["sheets"] and all(loaded["sheets"]), f"a stylesheet is empty: {loaded}"


def check_accessibility(page) -> None:
    """axe-core on the page as it is now: fails on any critical or serious violation, listing
    each rule with its help text and the elements it found (WCAG 2.1 AA, issue 14)."""
    page.wait_for_load_state("load")
    violations = page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary
                    .replace(/\\s+/g, " ")),
            }));
        }"""
    )
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    width = page.viewport_size["width"] if page.viewport_size else "?"
    report = "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in failing
    )
    assert not failing, f"axe-core at {width} px on {page.url}:\n{report}"


def check_page(page, name: str) -> None:
    """The checks every page a journey visits must pass (issue 14), at 1366 px and at 390 px:

    axe-core finds no critical or serious violation at either width; on a phone the document is
    no wider than the screen (no sideways scrolling); a screenshot of each width is saved as an
    artefact. The page is left at 1366 px, as the journey found it.
    """
    test = os.environ.get("PYTEST_CURRENT_TEST", "e2e").split(" ")[0].split("::")[-1]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{test}--{name}")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    check_accessibility(page)
    page.screenshot(path=str(ARTEFACTS / f"{stem}-1366.png"), full_page=True)
    page.set_viewport_size(PHONE)
    try:
        # Let the layout (and portal.js's resize handler) settle at the new width.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        widths = page.evaluate(
            "() => ({document: document.documentElement.scrollWidth, viewport: window.innerWidth})"
        )
        assert widths["document"] <= widths["viewport"], (
            f"{page.url} scrolls sideways at {PHONE['width']} px: the document is "
            f"{widths['document']} px wide"
        )
        check_accessibility(page)
        page.screenshot(path=str(ARTEFACTS / f"{stem}-390.png"), full_page=True)
    finally:
        page.set_viewport_size(DESKTOP)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
    check_accessibility(page)


def current_totp_code() -> str:
    """The code an authenticator app shows now for tests.factories.give_totp's secret.

    Near the end of a 30-second period it waits for the next one, as a person would: a code
    typed just before it expires could reach the server after (allauth has no tolerance).
    """
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


def log_in(page, email: str, *, totp: bool = False) -> None:
    """Log in through the login form (and the two-factor prompt for staff), as a person does.

    allauth refuses a code used twice within its period for the same user: log each user in
    once per test.
    """
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    if totp:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.locator("input[name=code]").fill(current_totp_code())
        page.locator("input[name=code]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)
