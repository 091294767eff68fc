"""Every page of the organisations room, walked by every kind of visitor: only a profile's
representatives, the staff of its validating partnership and the Support Office see it; each
may do only their part; everyone else gets a 404 (or a 403 when they see the profile but may
not act), and nothing changes."""

import pytest
from django.urls import reverse

from organisations.choices import ProfileStatus as S
from organisations.models import EasmePreApproval, RepresentativeStatus
from tests import factories as f
from tests.organisations.factories import draft_sme, represented, staff_of

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "random",
    "other_applicant",
    "other_staff",
    "viewer_staff",  # staff of the profile's partnership, not allowed to validate
    "validator",
    "support",
    "representative",
)
LOGGED_IN = set(ROLES) - {"anonymous"}
STAFF = {"other_staff", "viewer_staff", "validator", "support"}
SEES = {"representative", "viewer_staff", "validator", "support"}


def _page(name, *, method="get", ok, seen_but_refused=frozenset(), arg=None, query=""):
    """One page: the roles it serves (``ok``), those who see the profile but are refused (403);
    every other logged-in role gets 404, the anonymous visitor the login page."""
    return name, method, frozenset(ok), frozenset(seen_but_refused), arg, query


PAGES = [
    _page("mine", ok=LOGGED_IN),
    _page("create", ok=LOGGED_IN),
    _page("create", method="post", ok=LOGGED_IN),
    _page("eligibility_preview", method="post", ok=LOGGED_IN),
    _page("eligibility_preview", method="post", ok={"representative"}, query="?organisation={org}"),
    _page("city_search", ok=LOGGED_IN, query="?country=BE&city_name=ge"),
    _page("join", ok=LOGGED_IN, query="?q=target"),
    _page("join_request", ok=LOGGED_IN, arg="org"),
    _page("join_request", method="post", ok=LOGGED_IN, arg="org"),
    _page("staff_queue", ok=STAFF, seen_but_refused=LOGGED_IN - STAFF),
    _page("detail", ok=SEES, arg="org"),
    _page("edit", ok=(), seen_but_refused=SEES, arg="org"),  # submitted: nobody edits
    _page("edit", method="post", ok=(), seen_but_refused=SEES, arg="org"),
    _page("my_details", ok={"representative"}, arg="org"),
    _page("my_details", method="post", ok={"representative"}, arg="org"),
    _page("reject", ok={"validator"}, seen_but_refused=SEES - {"validator"}, arg="org"),
    _page("easme", ok={"support"}, seen_but_refused=SEES - {"support"}, arg="org"),
    _page("easme", method="post", ok={"support"}, seen_but_refused=SEES - {"support"}, arg="org"),
    # The profile has an active representative: only they answer (its staff do not).
    _page(
        "representative_decline",
        method="post",
        ok={"representative"},
        seen_but_refused=SEES - {"representative"},
        arg="pending",
    ),
    # The profile has an active representative: only they answer (its staff do not).
    _page(
        "representative_approve",
        method="post",
        ok={"representative"},
        seen_but_refused=SEES - {"representative"},
        arg="pending",
    ),
    _page(
        "reject",
        method="post",
        ok={"validator"},
        seen_but_refused=SEES - {"validator"},
        arg="org",
    ),
    _page("submit", method="post", ok={"representative"}, seen_but_refused=SEES, arg="org"),
    _page(
        "validate",
        method="post",
        ok={"validator"},
        seen_but_refused=SEES - {"validator"},
        arg="org",
    ),
]


@pytest.fixture
def world():
    org, representative = draft_sme(status=S.SUBMITTED, legal_name="Target SME")
    pending = f.RepresentativeFactory(organisation=org, status=RepresentativeStatus.PENDING)
    _, other_applicant = represented(legal_name="Other Cluster")
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    users = {
        "anonymous": None,
        "random": f.UserFactory(),
        "other_applicant": other_applicant,
        "other_staff": staff_of(f.PartnershipFactory()),
        "viewer_staff": staff_of(org.validating_partnership, can_validate=False),
        "validator": staff_of(org.validating_partnership),
        "support": support,
        "representative": representative,
    }
    return org, pending, users


def _expected(role, ok, refused) -> int | tuple:
    if role == "anonymous":
        return 302  # to the login page
    if role in ok:
        return (200, 302)
    return 403 if role in refused else 404


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_only_its_pages_and_changes_nothing_else(client, world, role):
    org, pending, users = world
    if users[role] is not None:
        client.force_login(users[role])
    ids = {"org": org.pk, "pending": pending.pk}
    wrong = []
    for name, method, ok, refused, arg, query in PAGES:
        url = reverse(f"organisations:{name}", args=[ids[arg]] if arg else []) + query.format(**ids)
        response = getattr(client, method)(url)
        expected = _expected(role, ok, refused)
        if response.status_code not in (expected if isinstance(expected, tuple) else (expected,)):
            wrong.append((method, url, response.status_code, expected))
        if role == "anonymous":
            assert reverse("account_login") in response["Location"]
    assert wrong == []
    org.refresh_from_db()
    pending.refresh_from_db()
    # Only the validator decides and only support records EASME (empty posts decide nothing).
    assert org.status == (S.VALIDATED if role == "validator" else S.SUBMITTED)
    assert EasmePreApproval.objects.exists() is False
    answered = role == "representative"
    assert (pending.status != RepresentativeStatus.PENDING) == answered


@pytest.mark.parametrize("role", ROLES)
def test_the_public_checker_answers_everyone(client, world, role):
    users = world[2]
    if users[role] is not None:
        client.force_login(users[role])
    assert client.get(reverse("eligibility")).status_code == 200
    assert client.get(reverse("eligibility"), {"format": "json"}).status_code == 400
