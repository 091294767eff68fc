"""The whole-project permission matrix: every URL pattern × every role × GET and POST.

Every pattern is read from the resolver (``tests/url_walk.py``) and filled with real objects of
one world: a visitor and a host organisation, their partnerships (VOP, HOP), a *draft* exchange
(plan, documents made, in a group) and a *closed* one (signed by all, executed, both final
reports validated, evidence accepted, the payment due). A URL that points at an exchange (or
its documents, plan, reports, evidence) is requested once per exchange state.

Each role asks with GET and with an empty POST, and the answer is compared with the table next
to this file (``permission_matrix.txt``): ``200``, ``login`` (302 to the sign-in page), ``2fa``
(302 to the second-factor page), ``reauth`` (302 to the password re-authentication page, before
a signature), ``302`` (a redirect elsewhere), ``403``, ``404``, ``405``, …, or ``ok`` (any
2xx/3xx that is not a sign-in or second-factor redirect); a ``*`` after a POST's answer says
that it changed the database. A server error fails
whatever the table says. A request answered with a refusal (``login``, ``2fa``, ``reauth``, 4xx)
must not write to the database at all (``_WriteWatch`` sees every INSERT, UPDATE and DELETE);
a page showing an exchange's reference, objectives, final report or the visitor's IBAN to an
outsider (``OUTSIDERS``) fails too.

Every request runs in a savepoint rolled back afterwards, so cells do not depend on the order
they are walked in: each one meets the same world (a fingerprint of every table — row count,
highest id, latest ``auto_now`` stamp — taken before and after the walk proves it).

Regenerate the table after a deliberate change with ``CXC_MATRIX_WRITE=1`` (it writes the
observed answers, keeping the table's order), then read the diff: a role that gains access is a
decision to justify, not a line to accept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test import Client
from django.urls import resolve, reverse

from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from exchanges.services import exchange_execute
from partnerships.models import Match, MatchStatus
from payments.models import EvidenceStatus
from payments.services_evidence import evidence_accept
from reports.models import DocumentKind, FinalReport
from reports.services_far import far_render, far_validate
from tests import factories as f
from tests.auth import force_login_password_only, force_login_with_second_factor
from tests.exchanges.factories import (
    fill_plan,
    link_to_accepted_match,
    prepare_documents,
    sign_all,
)
from tests.payments.factories import bank_account
from tests.payments.files_helpers import evidence_row
from tests.reports.helpers import far_submit
from tests.url_walk import Pattern, all_patterns, url_builder

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("permission_matrix.txt")

#: The columns of the table, in order.
ROLES = (
    "anon",  # not signed in
    "stranger",  # the representative of an unrelated organisation
    "visitor",  # the representative of the visiting organisation
    "host",  # the representative of the host organisation
    "other",  # staff of an unrelated partnership
    "vop",  # staff of the visitor's partnership (every flag)
    "hop",  # staff of the host's partnership (every flag)
    "support",  # the Support Office
    "no2fa",  # the VOP staff member, in a session that has not passed the second factor
)
METHODS = ("GET", "POST")
#: Cells that refuse: a POST answered so must leave the database unchanged.
REFUSALS = {"login", "2fa", "reauth", "400", "403", "404", "405"}
#: A URL pointing at no exchange has one row, in this pseudo-state.
NO_STATE = "-"


FAR_SECRET = "Results only the exchange's people may read."

# --- the world --------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    #: state -> url builder for that state's objects
    builders: dict[str, object]
    secrets: tuple[str, ...]


def _build_world() -> World:
    vop = f.PartnershipFactory(acronym="VOP", slug="vop", name="Visitor Partnership")
    hop = f.PartnershipFactory(acronym="HOP", slug="hop", name="Host Partnership")
    other = f.PartnershipFactory(acronym="OTH", slug="other", name="Other Partnership")
    visitor = f.OrganisationFactory(legal_name="Brussels Visitor", validating_partnership=vop)
    visitor_closed = f.OrganisationFactory(legal_name="Ghent Visitor", validating_partnership=vop)
    visitor_free = f.OrganisationFactory(legal_name="Liège Visitor", validating_partnership=vop)
    host = f.OrganisationFactory(
        legal_name="Porto Host",
        country="PT",
        city_name="Porto",
        latitude=Decimal("41.14961"),
        longitude=Decimal("-8.61099"),
        validating_partnership=hop,
    )
    unrelated = f.OrganisationFactory(legal_name="Unrelated Org", validating_partnership=other)

    visitor_rep = f.RepresentativeFactory(organisation=visitor).user
    for organisation in (visitor_closed, visitor_free):
        f.RepresentativeFactory(organisation=organisation, user=visitor_rep)
    host_rep = f.RepresentativeFactory(organisation=host).user
    stranger = f.RepresentativeFactory(organisation=unrelated).user

    def staff(partnership):
        row = f.PartnershipStaffFactory(partnership=partnership, can_sign=True)
        f.give_totp(row.user)
        return row.user

    vop_staff, hop_staff, other_staff = staff(vop), staff(hop), staff(other)
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    bank_account(visitor)
    bank_account(visitor_closed)

    # The draft: encoded from an accepted match, a full plan, its documents made, in a group.
    draft = link_to_accepted_match(
        f.ExchangeFactory(visitor=visitor, host=host, objectives="Draft objectives: secret.")
    )
    fill_plan(draft)
    draft_documents = prepare_documents(draft)
    group = f.ExchangeGroupFactory(host=host, vop=vop, hop=hop)
    draft.group = group
    draft.save(update_fields=["group"])

    # The closed one, through the services: signed by all (contracts itself), executed, both
    # final reports validated, the evidence accepted (closes itself, the payment falls due).
    closed = link_to_accepted_match(
        f.ExchangeFactory(visitor=visitor_closed, host=host, objectives="Closed objectives.")
    )
    fill_plan(closed)
    sign_all(closed, contract=True)
    assert closed.status == ExchangeStatus.CONTRACTED
    after = closed.end_date + timedelta(days=1)
    exchange_execute(exchange=closed, actor=vop_staff, today=after)
    for side, author, reviewer in (
        ("host", host_rep, hop_staff),
        ("visitor", visitor_rep, vop_staff),
    ):
        far_submit(closed, side, author=author, today=after, results_text=FAR_SECRET)
        far_validate(actor=reviewer, exchange=closed, side=side, today=after)
    evidence = evidence_row(closed)
    evidence_accept(actor=vop_staff, evidence=evidence, today=after)
    closed.refresh_from_db()
    assert closed.status == ExchangeStatus.CLOSED
    closed_documents = {d.kind: d for d in closed.documents.all()}
    for report in FinalReport.objects.filter(exchange=closed):
        far_render(report_id=report.pk)  # the on-commit rendering, run here
    assert evidence.__class__.objects.get(pk=evidence.pk).status == EvidenceStatus.ACCEPTED

    # A match nobody has encoded yet, a request to join the visitor, e-mails in the outbox.
    free_interest = f.ExpressionOfInterestFactory(organisation=visitor_free, partnership=vop)
    free_match = Match.objects.create(
        visitor=visitor_free,
        host=host,
        visitor_interest=free_interest,
        vop=vop,
        hop=hop,
        score=50,
        proposed_by_role="visitor",
        status=MatchStatus.ACCEPTED,
    )
    joiner = f.RepresentativeFactory(organisation=visitor, status="pending")
    notification = Notification.objects.create(
        dedup_key="matrix-undeliverable",
        kind="exchange",
        to_email=visitor_rep.email,
        subject="An e-mail that bounced",
        body="Body",
        attempts=5,
        last_error="550 no such user",
    )
    Notification.objects.filter(pk=notification.pk).update(undeliverable_at=closed.created_at)

    common_by_segment = {
        "organisations": visitor.pk,
        "join": visitor.pk,
        "representatives": joiner.pk,
        "interests": draft.match.visitor_interest.pk,
        "matches": draft.match.pk,
        "groups": group.pk,
        "undeliverable": notification.pk,
        "outbox": notification.pk,
        "evidence": evidence.pk,
        "payments": closed.payment.pk,
    }
    common_by_name = {
        "org_pk": host.pk,
        "match_id": free_match.pk,
        "slug": vop.slug,
        "id": vop_staff.pk,  # admin: a user's password form
        "content_type_id": ContentType.objects.get_for_model(visitor).pk,
        "object_id": visitor.pk,  # admin: "view on site" of the organisation
        "app_label": "organisations",
        "url": "no-such-admin-page/",
        "key": "not-a-real-key",
        "uidb36": "1",
        "country": "PT",
        "side": "visitor",
        "party": "vop",
        "source": "document",  # reports:pdf_retry
    }

    def builder(exchange, document, side="visitor", party="vop"):
        return url_builder(
            {
                **common_by_segment,
                "exchanges": exchange.pk,
                "documents": document.pk,
                "document": document.pk,  # reports:pdf_retry
            },
            {
                **common_by_name,
                "exchange_id": exchange.pk,
                "activity_id": exchange.activities.order_by("pk").first().pk,
                "side": side,
                "party": party,
            },
        )

    # States in order: a URL gets a row for each state whose URL differs from the ones before.
    builders = {
        "draft": builder(draft, draft_documents[DocumentKind.CTQ]),
        "closed": builder(closed, closed_documents[DocumentKind.CTQ]),
        # The FA (VO and VOP only, R-DOC-3), the host's side of the report, the HO's signature.
        "FA": builder(closed, closed_documents[DocumentKind.FA]),
        "H-side": builder(closed, closed_documents[DocumentKind.CTQ], side="host", party="ho"),
    }
    users = {
        "stranger": stranger,
        "visitor": visitor_rep,
        "host": host_rep,
        "other": other_staff,
        "vop": vop_staff,
        "hop": hop_staff,
        "support": support,
    }
    # The secrets nobody outside the exchange may read on any page.
    secrets = (
        draft.reference,
        closed.reference,
        draft.objectives,
        closed.objectives,
        visitor.bank_account.iban,
        FAR_SECRET,
    )
    return World(users=users, builders=builders, secrets=secrets)


# --- sessions, answers, fingerprints ----------------------------------------------------------


def _sign_in(world: World, role: str) -> tuple[Client, dict[str, str]]:
    """A client for ``role`` and its cookies (put back before every request). The session has
    signed in (and passed the second factor, but for ``no2fa``) and never re-authenticated:
    the POSTs behind allauth's ``reauthentication_required`` answer ``reauth``."""
    client = Client()
    if role == "no2fa":
        force_login_password_only(client, world.users["vop"])
    elif role != "anon":
        force_login_with_second_factor(client, world.users[role])
    return client, {name: morsel.value for name, morsel in client.cookies.items()}


def _session_alive(cookies: dict[str, str]) -> bool:
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    return key is None or import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def classify(response) -> str:
    """The cell's word for a response."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"].split("?")[0]
        if location in (reverse("account_login"), reverse("admin:login")):
            return "login"
        if location == reverse("account_reauthenticate"):
            return "reauth"
        if location in (
            reverse("mfa_authenticate"),
            reverse("mfa_reauthenticate"),
            reverse("mfa_activate_totp"),
        ):
            return "2fa"
    return str(code)


def matches(expected: str, observed: str) -> bool:
    """Whether an answer fits its cell. Never: a server error, a leak, a refusal that wrote."""
    if observed.startswith("500") or "!" in observed:
        return False
    if observed.endswith("*") and observed[:-1] in REFUSALS:
        return False
    if expected == "ok":
        return observed.rstrip("*") not in ("login", "2fa") and observed[0] in "23"
    return expected == observed


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.db_table != "django_session"
    ]


def _fingerprint_sql() -> str:
    """One query: per table, its row count, highest id and latest auto_now stamp."""
    quote = connection.ops.quote_name
    parts = []
    for model in _models():
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False):
                parts.append(f"(SELECT MAX({quote(field.column)}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def _fingerprint(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(value) for value in cursor.fetchone())


class _WriteWatch:
    """Every INSERT/UPDATE/DELETE a request sends (sessions aside). Stricter than comparing
    counts and stamps before and after (it also sees an update of a row without a stamp), and
    free: no query per request. A request that sent none left the database as it was."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().split(" ", 1)[0].upper()
        if statement in ("INSERT", "UPDATE", "DELETE") and "django_session" not in sql:
            self.writes.append(" ".join(sql.split()[:4]))
        return execute(sql, params, many, context)


# --- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    state: str
    method: str
    cells: tuple[str, ...]

    def line(self) -> str:
        return (
            f"{self.key:<58} {self.state:<6} {self.method:<4} "
            + " ".join(f"{cell:<6}" for cell in self.cells).rstrip()
        )


HEADER = (
    "# The permission matrix (tests/foundation/test_permission_matrix.py reads it; see its\n"
    "# docstring for the words). One line per URL name (or route), exchange state, method.\n"
    "# Roles: anon, stranger (unrelated applicant), visitor / host (their representatives),\n"
    "# other (staff of an unrelated partnership), vop / hop (their partnerships' staff),\n"
    "# support (Support Office), no2fa (VOP staff before the second factor).\n"
    + Row("# url", "state", "verb", ROLES).line()
    + "\n"
)


def read_table() -> dict[tuple[str, str, str], Row]:
    rows = {}
    for number, raw in enumerate(TABLE.read_text().splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        key, state, method, *cells = raw.split()
        assert len(cells) == len(ROLES), f"{TABLE.name}:{number}: {len(cells)} cells, not 9"
        rows[(key, state, method)] = Row(key, state, method, tuple(cells))
    return rows


def _cells(world: World) -> Iterator[tuple[Pattern, str, str]]:
    """(pattern, state, url): one per state when the URL depends on the exchange's state."""
    for pattern in all_patterns():
        urls: dict[str, str] = {}
        for state, build in world.builders.items():
            url = build(pattern)
            if url not in urls.values():
                urls[state] = url
        if len(urls) == 1:
            urls = {NO_STATE: url}
        for state, url in urls.items():
            assert resolve(url).func is pattern.callback, f"{url} does not reach {pattern.key}"
            yield pattern, state, url


#: Roles who must never read an exchange's reference, objectives, final reports or the
#: visitor's IBAN on any page.
OUTSIDERS = ("anon", "stranger", "other", "no2fa")


def _ask(client, method: str, url: str, secrets, outsider: bool) -> str:
    """One cell's word, with ``*`` when the request wrote to the database and ``!leak`` when an
    outsider's page shows a secret; a server error as ``500:…``."""
    watch = _WriteWatch()
    try:
        with connection.execute_wrapper(watch):
            response = getattr(client, method.lower())(url)
    except Exception as error:  # a server error: reported, never accepted
        return f"500:{type(error).__name__}:{error}"[:200]
    answer = classify(response) + ("*" if watch.writes else "")
    if outsider and not response.streaming:
        body = response.content.decode(errors="replace")
        if any(secret in body for secret in secrets):
            answer += "!leak"
    return answer


def walk(world: World) -> dict[tuple[str, str, str], list[str]]:
    """Every cell's answer, each in a savepoint rolled back afterwards."""
    clients = {role: _sign_in(world, role) for role in ROLES}
    observed = {}
    for pattern, state, url in _cells(world):
        for method in METHODS:
            answers = []
            for role in ROLES:
                client, cookies = clients[role]
                with transaction.atomic():
                    client.cookies = SimpleCookie(cookies)
                    answers.append(_ask(client, method, url, world.secrets, role in OUTSIDERS))
                    transaction.set_rollback(True)
                if method == "POST" and not _session_alive(cookies):  # signed out by the POST
                    clients[role] = _sign_in(world, role)
            observed[(pattern.key, state, method)] = answers
    return observed


def write_table(observed) -> None:
    """Write the observed answers as the table (``CXC_MATRIX_WRITE=1``)."""
    lines = [HEADER]
    for (key, state, method), answers in observed.items():
        lines.append(Row(key, state, method, tuple(a.split(":")[0] for a in answers)).line())
    TABLE.write_text("\n".join(lines).replace("\n\n", "\n") + "\n")


# --- the tests ----------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_in_the_table():
    """A new URL fails here until the table says who may open it (no database needed)."""
    keys = {key for key, _state, _method in read_table()}
    patterns = {pattern.key for pattern in all_patterns()}
    missing = sorted(patterns - keys)
    stale = sorted(keys - patterns)
    assert not missing, (
        f"URL(s) without a row in {TABLE.name}: {missing}. Add a GET and a POST row for each "
        "(one per exchange state when the URL points at an exchange): run "
        "`CXC_MATRIX_WRITE=1 pytest -n0 tests/foundation/test_permission_matrix.py`, then read "
        "the new lines critically (who may open the page?) before committing them."
    )
    assert not stale, f"Rows of {TABLE.name} name no URL any more: {stale}. Remove them."


def test_every_role_gets_what_the_table_says_and_refused_posts_change_nothing():
    """The matrix itself: each cell's answer as the table says, no server error anywhere (also
    for an empty POST), and a refused POST leaves the database unchanged."""
    world = _build_world()
    sql = _fingerprint_sql()
    before = _fingerprint(sql)
    observed = walk(world)
    assert _fingerprint(sql) == before, "the walk changed the world: a savepoint leaked"
    if os.environ.get("CXC_MATRIX_WRITE"):
        write_table(observed)
    table = read_table()
    problems = []
    for (key, state, method), answers in observed.items():
        row = table.get((key, state, method))
        if row is None:
            line = Row(key, state, method, tuple(a.split(":")[0] for a in answers)).line()
            problems.append(f"no row for {key} {state} {method}; observed:\n    {line}")
            continue
        for role, expected, answer in zip(ROLES, row.cells, answers, strict=True):
            if not matches(expected, answer):
                problems.append(f"{key} [{state}] {method} as {role}: {answer} ≠ table {expected}")
    missing = set(table) - set(observed)
    problems += [f"row {row} matched no request" for row in sorted(missing)]
    cells = len(observed) * len(ROLES)
    assert not problems, f"{len(problems)} of {cells} cells differ:\n" + "\n".join(problems)
