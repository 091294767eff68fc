"""Issue 15, the journey: from two sign-ups to the lump sum paid, in a real browser, against the
live server and a real Celery worker (a subprocess on the configured broker: Redis in CI, kombu's
filesystem transport on the embedded default; it shares the test database — a file on SQLite).

Two applicants sign up and confirm their e-mail (the link read from the e-mail the worker
delivered), profile a visitor (an SME in Belgium) and a host (an SME in Portugal), each a member
of a validated cluster, with an adult signatory (R-ELIG-2, R-ELIG-3, R-ELIG-4, R-ELIG-10); the
staff of two partnerships validate them (password + TOTP, R-ELIG-5), accept their expressions of
interest (R-PART-2); the visitor proposes a match and the host accepts it (R-MATCH-2); the VOP's
staff encode the exchange from it (R-EXC-6) and plan 24 hours over five working days (R-EXC-3,
R-EXC-4); the documents are prepared, the CTQ signed by the four parties and the FA by two, each
person re-authenticating through allauth's page and typing their full name (R-DOC-2, R-DOC-3,
R-DOC-5); the last signature contracts the exchange (R-EXC-2) and the worker seals the documents
(R-DOC-7: the downloaded CTQ is verified on the public verify page). The stay then ends (the
server's clock moves past the last day: see ``clock``), the staff record it executed, both final
reports are submitted and validated (R-DOC-4, R-DOC-6), the evidence is uploaded and accepted and
the exchange closes by itself (R-PAY-4, R-PAY-7); the VOP exports the SEPA file and records the
payment, the visitor sees it paid; the Support Office's dashboard counts the exchange for the VOP
only (R-KPI-1, R-KPI-2). Every page on the way passes axe at 1366 and 390 px (check_page).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from exchanges.models import Exchange
from tests import factories as f
from tests.celery_worker import database_url, worker_command
from tests.e2e.conftest import ARTEFACTS, PASSWORD, check_page, log_in
from tests.exchanges.factories import clean_week

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    # The live server and the worker need committed data (a transactional test); the flush
    # keeps the reference data (countries, cities, rates): tests/reference_data.py.
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(__file__).resolve().parents[2]
#: How long the journey waits for the worker (an e-mail, a seal) before failing.
WORKER_WAIT_S = 90
#: The visitor's boarding pass (any PDF will do).
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


# --- the real worker ---------------------------------------------------------------------------


class Worker:
    """A Celery worker subprocess on its own queue, reading the test database; the e-mails it
    delivers are files in ``mail_dir`` (Django's file backend)."""

    def __init__(self, process: subprocess.Popen, mail_dir: Path):
        self.process = process
        self.mail_dir = mail_dir

    def mails_to(self, address: str) -> list[str]:
        found = []
        for path in sorted(self.mail_dir.glob("*")):
            text = path.read_text(errors="replace")
            if re.search(rf"^To: {re.escape(address)}$", text, re.MULTILINE):
                found.append(text)
        return found

    def wait_for_mail(self, address: str, subject_part: str) -> str:
        deadline = time.monotonic() + WORKER_WAIT_S
        while time.monotonic() < deadline:
            for text in self.mails_to(address):
                if subject_part in text:
                    return text
            assert self.process.poll() is None, "the worker stopped"
            time.sleep(0.3)
        raise AssertionError(f"no e-mail to {address} about {subject_part!r} from the worker")


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker (not eager): the tasks the live server queues after commit — e-mails, the
    seal — run in it, on a queue of its own so that no other test's worker takes them."""
    from cxc_portal.celery import app

    queue = f"journey-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            worker_command(queue=queue),
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        # Ready before the journey starts (its start-up would slow the first pages).
        deadline = time.monotonic() + WORKER_WAIT_S
        while " ready." not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.2)
        yield Worker(process, mail_dir)
    finally:
        app.conf.task_default_queue = default_queue
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (ARTEFACTS / "journey-worker.log").write_text(log_path.read_text())


# --- the clock ----------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Moves the portal's clock (``django.utils.timezone.now``, which ``localdate`` and every
    service's "today" read) forward, for the live server (a thread of this process) and the
    test alike: ``clock.move_to(day)`` makes ``day`` today, at the real time of day."""
    from django.utils import timezone

    real_now = timezone.now

    class Clock:
        def move_to(self, day: date) -> None:
            shift = timedelta(days=(day - timezone.localdate(real_now())).days)
            monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)

    return Clock()


# --- helpers -------------------------------------------------------------------------------------


_STARTED = [time.monotonic()]


def _t(label: str) -> None:
    """The journey's progress, with the time since it started, in the test's output."""
    print(f"[journey {time.monotonic() - _STARTED[0]:6.1f}s] {label}", file=sys.stderr)


def alert(page, text: str):
    """The message the page shows about ``text`` (several may show at once)."""
    return page.locator(".alert", has_text=text)


def sign_up(page, worker, *, first: str, last: str, email: str) -> None:
    """R-ELIG-5: the person signs up, reads the e-mail the worker delivered, confirms."""
    page.goto("/accounts/signup/")
    check_page(page, f"signup-{first}")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.wait_for_url("**/accounts/confirm-email/")
    check_page(page, f"verification-sent-{first}")
    mail = worker.wait_for_mail(email, "Please Confirm Your Email Address")
    link = re.search(r"https?://[^\s/]+(/accounts/confirm-email/[^\s]+/)", mail)
    assert link, mail
    page.goto(link.group(1))
    check_page(page, f"confirm-email-{first}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def create_profile(
    page,
    *,
    who: str,
    name: str,
    country: str,
    city: str,
    cluster: str,
    partnership_label: str,
) -> None:
    """R-ELIG-2, R-ELIG-3, R-ELIG-4, R-ELIG-10: an SME, member of a validated cluster, with
    its adult signatory; submitted for validation."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My organisation"
    ).click()
    page.get_by_role("link", name="Create your organisation's profile").click()
    page.get_by_label("Legal name").fill(name)
    page.get_by_label("Organisation type").select_option("sme")
    page.get_by_label("Size").select_option("small")
    page.locator("#profile-form [name=country]").select_option(country)
    page.locator("[data-city-input]").press_sequentially(city[:4], delay=50)
    page.locator(f'#city-suggestions [data-city-pick][data-city-name="{city}"]').first.click()
    expect(page.locator("[data-city-input]")).to_have_value(city)
    page.get_by_label("Description").fill(f"{name}: sensors and software for farms.")
    page.get_by_label("Agri-food").check()
    picker = "Member of these cluster organisations"
    page.get_by_role("combobox", name=picker).fill(cluster[:8])
    page.get_by_role("listbox", name=picker).get_by_role(
        "option", name=re.compile(re.escape(cluster))
    ).click()
    page.get_by_label("Partnership that will validate the profile").select_option(
        label=partnership_label
    )
    page.locator("[name=signatory-role_title]").fill("Managing director")
    page.locator("[name=signatory-date_of_birth]").fill("1979-03-14")
    page.locator("[name=signatory-nationality]").select_option(country)
    check_page(page, f"profile-form-{who}")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    check_page(page, f"profile-draft-{who}")
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.locator(".status-badge")).to_have_text("Submitted for validation")
    check_page(page, f"profile-submitted-{who}")


def validate_profile(page, *, who: str, name: str) -> None:
    """R-ELIG-5: the validating partnership's staff validate the profile from their queue."""
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Profiles", exact=True).click()
    check_page(page, f"staff-profile-queue-{who}")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Validate the profile").click()
    expect(page.get_by_role("alert")).to_contain_text("The profile is validated")
    check_page(page, f"staff-profile-validated-{who}")


def express_interest(page, *, who: str, partnership: str) -> None:
    """R-PART-2: from the partnership's profile, the expression of interest."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Partnerships"
    ).click()
    page.get_by_role("link", name=partnership, exact=True).click()
    check_page(page, f"partnership-{who}")
    page.get_by_role("link", name=f"Express interest as {who}").click()
    page.get_by_label("Objectives").fill("Meet farms that use sensors and share our data tools.")
    check_page(page, f"interest-form-{who}")
    page.get_by_role("button", name="Send the expression of interest").click()
    expect(alert(page, "Your expression of interest was sent")).to_be_visible()
    check_page(page, f"interest-sent-{who}")


def accept_interest(page, *, who: str, name: str) -> None:
    """R-PART-2: the partnership's staff accept it from their inbox."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Interests"
    ).click()
    check_page(page, f"staff-inbox-{who}")
    page.get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(alert(page, "Expression of interest accepted")).to_be_visible()
    check_page(page, f"staff-interest-accepted-{who}")


def sign(page, *, who: str, name: str, parties: list[tuple[str, str]]) -> None:
    """R-DOC-5: sign each (document, party) on the exchange page, typing the full name; the
    first signature goes through allauth's re-authentication page."""
    check_page(page, f"to-sign-{who}")
    for number, (kind, party) in enumerate(parties):
        form = page.locator(f'[data-sign-form="{kind}-{party}"]')
        form.get_by_label("Type your full name to sign").fill(name)
        form.get_by_role("button", name=f"Sign as {party.upper()}").click()
        if number == 0:
            page.wait_for_url("**/reauthenticate/**")
            check_page(page, f"reauthenticate-{who}")
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("input[name=password]").press("Enter")
        expect(alert(page, f"as {party.upper()}")).to_be_visible()
    check_page(page, f"signed-{who}")


def fill_final_report(page, *, who: str, url: str) -> None:
    """R-DOC-4: the final activity report, every question answered, submitted."""
    page.goto(url)
    page.get_by_role("link", name="Fill in").first.click()
    for box in page.locator("input[type=checkbox][name=activities]").all():
        box.check()
    for radio in page.locator("input[type=radio][value='5'], input[type=radio][value=yes]").all():
        radio.check()
    for area in page.locator("textarea").all():
        area.fill("Two pilots agreed; we meet again in spring.")
    check_page(page, f"far-form-{who}")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("main")).to_contain_text("Submitted")
    check_page(page, f"far-submitted-{who}")


def validate_final_report(page, *, who: str, url: str) -> None:
    """R-DOC-6: the side's partnership validates the report."""
    page.goto(url)
    page.get_by_role("link", name="Validate or return").first.click()
    check_page(page, f"far-to-validate-{who}")
    page.get_by_role("button", name="Validate").click()
    expect(page.locator("main")).to_contain_text("Validated")


# --- the journey ---------------------------------------------------------------------------------


def test_journey_from_sign_up_to_the_lump_sum_paid(browsing, worker, clock, settings):
    _STARTED[0] = time.monotonic()
    # Reference data the Support Office keeps (partnerships, their staff with TOTP, the
    # clusters the applicants are members of) — the rest is done in the browser.
    agri = f.PartnershipFactory(
        acronym="AGRI",
        name="Agri-food Partnership",
        slug="agri",
        iban="BE71096123456769",  # the account the lump sums are paid from
        bic="GKCCBEBB",
    )
    digi = f.PartnershipFactory(acronym="DIGI", name="Digital Farming Partnership", slug="digi")
    vop_staff = f.PartnershipStaffFactory(
        partnership=agri,
        can_sign=True,
        user=f.UserFactory(email="vera@agri.example.org", first_name="Vera", last_name="Pauwels"),
    ).user
    hop_staff = f.PartnershipStaffFactory(
        partnership=digi,
        can_sign=True,
        user=f.UserFactory(email="hugo@digi.example.org", first_name="Hugo", last_name="Matos"),
    ).user
    support = f.UserFactory(email="sofia@support.example.org", is_support_office=True)
    for user in (vop_staff, hop_staff, support):
        f.give_totp(user)
    f.OrganisationFactory(
        legal_name="Flanders Food Cluster",
        country="BE",
        city_name="Brussels",
        validating_partnership=agri,
    )
    f.OrganisationFactory(
        legal_name="Portugal Agro Cluster",
        country="PT",
        city_name="Porto",
        validating_partnership=digi,
    )

    # --- 1. Two applicants sign up and confirm their e-mail (delivered by the worker).
    visitor = browsing.new_page()
    visitor.goto("/", timeout=60_000)  # the server's first request loads what it needs
    check_page(visitor, "home")
    sign_up(visitor, worker, first="Anna", last="Peeters", email="anna@gentsensors.example.org")
    host = browsing.new_page()
    sign_up(host, worker, first="Rui", last="Costa", email="rui@portoagro.example.org")

    # --- 2. Each profiles an SME, member of a validated cluster, in a different country.
    create_profile(
        visitor,
        who="visitor",
        name="Gent Greenhouse Sensors BV",
        country="BE",
        city="Gent",
        cluster="Flanders Food Cluster",
        partnership_label="AGRI — Agri-food Partnership",
    )
    create_profile(
        host,
        who="host",
        name="Porto Smart Farming Lda",
        country="PT",
        city="Porto",
        cluster="Portugal Agro Cluster",
        partnership_label="DIGI — Digital Farming Partnership",
    )

    # --- 3. The staff of two partnerships (password + TOTP) validate them.
    vop = browsing.new_page()
    log_in(vop, vop_staff.email, totp=True)
    check_page(vop, "vop-home")
    validate_profile(vop, who="visitor", name="Gent Greenhouse Sensors BV")
    hop = browsing.new_page()
    log_in(hop, hop_staff.email, totp=True)
    validate_profile(hop, who="host", name="Porto Smart Farming Lda")
    _t("signed up, profiled, validated")

    # --- 4. Expressions of interest: the visitor's to AGRI, the host's to DIGI; accepted.
    express_interest(visitor, who="visitor", partnership="AGRI")
    express_interest(host, who="host", partnership="DIGI")
    accept_interest(vop, who="visitor", name="Gent Greenhouse Sensors BV")
    accept_interest(hop, who="host", name="Porto Smart Farming Lda")
    _t("interests accepted")

    # --- 5. The visitor proposes a match to the host, which accepts it (R-MATCH-2).
    visitor.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My interests"
    ).click()
    check_page(visitor, "my-interests")
    visitor.get_by_role("link", name="Find a host").click()
    check_page(visitor, "matching")
    visitor.locator("li[id^=candidate-]", has_text="Porto Smart Farming Lda").get_by_role(
        "link", name="Propose a match"
    ).click()
    check_page(visitor, "match-propose")
    visitor.get_by_role("button", name="Send the proposal").click()
    expect(alert(visitor, "Your proposal was sent to Porto Smart Farming Lda.")).to_be_visible()
    host.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Matches"
    ).click()
    check_page(host, "host-matches")
    host.get_by_role("link", name=re.compile("Gent Greenhouse Sensors BV")).first.click()
    check_page(host, "host-match")
    host.get_by_role("button", name="Accept the match").click()
    expect(host.locator(".status-badge").first).to_have_text("Accepted")
    _t("match accepted")

    # --- 6. The VOP's staff encode the exchange from the match (R-EXC-6): a clean week in
    # Portugal (five working days, R-EXC-3), starting tomorrow at the earliest.
    start, end = clean_week("PT", after=date.today() + timedelta(days=1))
    vop.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Matches"
    ).click()
    vop.get_by_role("link", name=re.compile(r"^Match #\d+$")).first.click()
    vop.get_by_role("link", name="Encode an exchange draft").click()
    check_page(vop, "exchange-create")
    vop.get_by_label("First day of the stay").fill(start.isoformat())
    vop.get_by_label("Last day of the stay").fill(end.isoformat())
    vop.get_by_role("button", name="Create the draft").click()
    expect(alert(vop, "encoded as a draft")).to_be_visible()
    exchange = Exchange.objects.get()
    _t("encoded")

    # --- 7. The plan: 24 hours over the five working days (R-EXC-4), added in place (htmx).
    plan = vop.locator("#plan")
    for day, hours in enumerate((5, 5, 5, 5, 4)):
        form = vop.locator("[data-activity-form]")
        form.get_by_label("Date").fill((start + timedelta(days=day)).isoformat())
        form.get_by_label("Hours").fill(str(hours))
        form.get_by_label("Title").fill(f"Field visit, day {day + 1}")
        form.get_by_role("button", name="Add to the plan").click()
        expect(plan.locator("table[data-plan-rows]")).to_have_attribute(
            "data-plan-rows", str(day + 1)
        )
    expect(plan.locator("[data-counted-hours]")).to_contain_text("24 h / 24 h needed")
    check_page(vop, "exchange-plan-24-hours")
    _t("planned")

    # --- 8. The documents are prepared (rendered by the worker; the cards poll until ready).
    vop.get_by_role("button", name="Prepare documents").click()
    expect(vop.locator('#documents [data-document][data-signing="awaiting"]')).to_have_count(
        2, timeout=WORKER_WAIT_S * 1000
    )
    check_page(vop, "documents-prepared")
    _t("prepared")

    # --- 9. The CTQ is signed by HO, HOP, VO and VOP, the FA by VO and VOP (R-DOC-2, R-DOC-3):
    # each person types their full name; the first POST sends them through allauth's
    # re-authentication page (their password), which replays the signature (R-DOC-5).
    url = f"/exchanges/{exchange.pk}/"
    host.goto(url)
    sign(host, who="host", name="Rui Costa", parties=[("CTQ", "ho")])
    hop.goto(url)
    sign(hop, who="hop", name="Hugo Matos", parties=[("CTQ", "hop")])
    visitor.goto(url)
    sign(visitor, who="visitor", name="Anna Peeters", parties=[("CTQ", "vo"), ("FA", "vo")])
    vop.goto(url)
    sign(vop, who="vop", name="Vera Pauwels", parties=[("CTQ", "vop"), ("FA", "vop")])
    # The last signature contracted the exchange by itself (R-EXC-2).
    expect(alert(vop, f"the exchange {exchange.reference} is now contracted")).to_be_visible()
    expect(vop.locator("h1 + .status-badge")).to_have_text("Contracted")
    _t("signed")

    # --- 10. The worker seals both documents (R-DOC-7); the visitor downloads the sealed CTQ
    # and the public verify page recognises it, seal intact.
    deadline = time.monotonic() + WORKER_WAIT_S
    while visitor.locator("#documents [data-sealed]").count() < 2:
        assert time.monotonic() < deadline, "the worker did not seal the documents"
        time.sleep(1)
        visitor.reload()
    check_page(visitor, "documents-sealed")
    ctq_card = visitor.locator('#documents [data-document="CTQ"]')
    with visitor.expect_download() as download:
        ctq_card.get_by_role("link", name="Download the PDF").click()
    ctq_path = Path(settings.MEDIA_ROOT).parent / "ctq.pdf"
    download.value.save_as(ctq_path)
    ctq_bytes = ctq_path.read_bytes()
    assert ctq_bytes.startswith(b"%PDF")
    shown = ctq_card.locator("text=SHA-256").inner_text()
    assert hashlib.sha256(ctq_bytes).hexdigest() in shown
    anyone = browsing.new_page()
    anyone.goto("/documents/verify/")
    anyone.locator("input[type=file][name=file]").set_input_files(str(ctq_path))
    anyone.get_by_role("button", name="Verify").click()
    verdict = anyone.locator('[data-verify="issued"]')
    expect(verdict).to_have_attribute("data-seal", "intact")
    expect(verdict.locator('[data-signed="sealed"]')).to_be_visible()
    expect(verdict.locator("[data-signatories] li")).to_have_count(4)
    check_page(anyone, "verify-sealed-ctq")
    _t("sealed and verified")

    # --- 11. The stay ends: the portal's clock moves to the Monday after it; the VOP's staff
    # record the exchange executed (R-EXC-2).
    # Days later, each person comes back; a session that expired meanwhile (database sessions
    # last two weeks; on Redis they follow the real clock) asks them to sign in again.
    clock.move_to(end + timedelta(days=3))
    for page, user, totp in (
        (vop, vop_staff.email, True),
        (hop, hop_staff.email, True),
        (visitor, "anna@gentsensors.example.org", False),
        (host, "rui@portoagro.example.org", False),
    ):
        page.goto(url)
        if "/accounts/login/" in page.url:
            log_in(page, user, totp=totp)
    vop.goto(url)
    vop.locator("[data-action=execute] button").click()
    expect(vop.locator("h1 + .status-badge")).to_have_text("Executed")
    check_page(vop, "exchange-executed")
    _t("executed")

    # --- 12. Both final reports are submitted (R-DOC-4) and validated: the host's by the HOP,
    # the visitor's by the VOP (R-DOC-6).
    fill_final_report(host, who="host", url=url)
    fill_final_report(visitor, who="visitor", url=url)
    validate_final_report(hop, who="host", url=url)
    validate_final_report(vop, who="visitor", url=url)
    _t("reports validated")

    # --- 13. The visitor gives a bank account (R-PAY-6) and uploads evidence of the stay; the
    # VOP accepts it and the exchange closes by itself (R-PAY-4, R-PAY-7).
    visitor.goto(url)
    visitor.get_by_role("link", name="The visitor's bank account").click()
    visitor.get_by_label("Account holder").fill("Gent Greenhouse Sensors BV")
    visitor.get_by_label("IBAN").fill("BE68 5390 0754 7034")
    visitor.get_by_role("button", name="Save the bank account").click()
    check_page(visitor, "bank-account")
    visitor.goto(url)
    visitor.get_by_role("link", name="Evidence of the stay").click()
    visitor.get_by_label("What it proves").select_option("boarding_pass")
    visitor.get_by_label("File").set_input_files(
        files=[{"name": "boarding-pass.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visitor.get_by_role("button", name="Upload").click()
    expect(visitor.get_by_text("boarding-pass.pdf")).to_be_visible()
    check_page(visitor, "evidence-uploaded")
    vop.goto(url)
    vop.get_by_role("link", name="Evidence of the stay").click()
    check_page(vop, "evidence-to-accept")
    vop.get_by_role("button", name="Accept", exact=True).click()
    vop.goto(url)
    expect(vop.locator("h1 + .status-badge")).to_have_text("Closed")
    check_page(vop, "exchange-closed")
    _t("closed")

    # --- 14. The VOP's staff export the SEPA transfer file and record the payment (R-PAY-4).
    vop.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Payments"
    ).click()
    check_page(vop, "payments")
    vop.get_by_role("checkbox", name=f"Select {exchange.reference}").check()
    with vop.expect_download() as download:
        vop.get_by_role("button", name="SEPA transfer file of the selection").click()
    sepa = Path(download.value.path()).read_text()
    assert "BE68539007547034" in sepa and "<CstmrCdtTrfInitn>" in sepa
    vop.goto(url)
    vop.get_by_role("link", name="Record as paid…").click()
    check_page(vop, "record-as-paid")
    vop.get_by_label("Payment reference").fill(f"SEPA {exchange.reference}")
    vop.get_by_label("I confirm that this transfer was made.").check()
    vop.get_by_role("button", name="Record as paid").click()
    _t("paid")

    # --- 15. The visitor sees the lump sum paid.
    visitor.goto(url)
    expect(visitor.locator("[data-payment-status]")).to_have_attribute(
        "data-payment-status", "paid"
    )
    expect(visitor.locator("[data-payment-status]")).to_contain_text("Paid")
    check_page(visitor, "visitor-sees-paid")

    # --- 16. The Support Office's dashboard counts the exchange once, for the VOP only
    # (R-KPI-1, R-KPI-2).
    office = browsing.new_page()
    log_in(office, support.email, totp=True)
    office.goto(f"/dashboards/?start={start.replace(day=1)}&end={end + timedelta(days=31)}")
    rows = office.locator('[data-kpi-table="partnerships"] tbody tr')
    expect(rows.filter(has_text="AGRI").locator("td").first).to_have_text("1")
    digi_row = rows.filter(has_text="DIGI")
    if digi_row.count():
        expect(digi_row.locator("td").first).to_have_text("0")
    expect(office.locator('[data-kpi-table="partnerships"] tfoot td').first).to_have_text("1")
    check_page(office, "programme-dashboard")
    _t("done")
