"""Every URL of the room, walked by every kind of user with garbage input: never a server
error, and nobody outside the interest's or match's parties (nor the Support Office, which
reads but does not act) can change anything (R-PART-2, R-MATCH-2)."""

import pytest
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from partnerships import services
from partnerships.models import ExpressionOfInterest, InterestStatus, Match
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db

GARBAGE_GET = {"page": "abc", "sort": "nonsense", "status": "zz", "partnership": "x", "q": "%"}
GARBAGE_POST = {
    "reason": "",
    "note": "x" * 3,
    "organisation": "abc",
    "role": "zz",
    "objectives": "",
    "period_from": "garbage",
    "message": "hello",
}


ACTIONS = {"accept", "decline", "withdraw"}


def state():
    return (
        sorted(ExpressionOfInterest.objects.values_list("pk", "status")),
        sorted(Match.objects.values_list("pk", "status")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def scene(world):
    submitted = pf.interest(pf.org("FR"), world.vop, status=InterestStatus.SUBMITTED)
    match = services.match_propose(
        actor=world.visitor_user, interest=world.visitor_interest, counterpart=world.host
    )
    i, m = world.visitor_interest.pk, match.pk
    object_urls = [
        reverse("partnerships:interest_detail", kwargs={"pk": i}),
        reverse("partnerships:interest_accept", kwargs={"pk": submitted.pk}),
        reverse("partnerships:interest_decline", kwargs={"pk": submitted.pk}),
        reverse("partnerships:interest_withdraw", kwargs={"pk": i}),
        reverse("partnerships:matching", kwargs={"pk": i}),
        reverse("partnerships:match_propose", kwargs={"pk": i, "org_pk": pf.org("ES").pk}),
        reverse("partnerships:match_detail", kwargs={"pk": m}),
        reverse("partnerships:match_accept", kwargs={"pk": m}),
        reverse("partnerships:match_decline", kwargs={"pk": m}),
        reverse("partnerships:match_withdraw", kwargs={"pk": m}),
    ]
    open_urls = [
        reverse("partnerships:directory"),
        reverse("partnerships:detail", kwargs={"slug": world.vop.slug}),
        reverse("partnerships:interest_create", kwargs={"slug": world.vop.slug}),
        reverse("partnerships:interest_list"),
        reverse("partnerships:match_list"),
        reverse("partnerships:staff_inbox"),
    ]
    return object_urls, open_urls


def walk(client, urls):
    """GET with garbage parameters (plain and as htmx) and POST garbage; the status codes."""
    codes = {}
    for url in urls:
        codes[url] = (
            client.get(url, GARBAGE_GET).status_code,
            client.get(url, headers={"HX-Request": "true", "HX-Target": "catalogue"}).status_code,
            client.post(url, GARBAGE_POST).status_code,
        )
    return codes


def test_strangers_get_404_on_every_interest_and_match_url_and_change_nothing(client, world, scene):
    object_urls, open_urls = scene
    before = state()
    strangers = [
        f.UserFactory(),  # a random logged-in user
        pf.representative_of(pf.org("DE")),  # an applicant of another organisation
        pf.staff_of(f.PartnershipFactory()),  # staff of another partnership
    ]
    for user in strangers:
        client.force_login(user)
        for url, codes in walk(client, object_urls).items():
            assert set(codes) <= {404, 405}, (user, url, codes)
        for url, codes in walk(client, open_urls).items():
            assert all(code < 500 for code in codes), (user, url, codes)
    assert state() == before


def test_anonymous_is_sent_to_log_in_everywhere_but_the_public_directory(client, scene):
    object_urls, open_urls = scene
    before = state()
    for url, codes in walk(client, object_urls + open_urls[3:]).items():
        assert set(codes) == {302}, (url, codes)
    for url in open_urls[:2]:
        assert client.get(url, GARBAGE_GET).status_code == 200
    assert state() == before


def test_support_office_reads_everything_but_acts_on_nothing(client, world, scene):
    object_urls, open_urls = scene
    before = state()
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    client.force_login(support)
    codes = walk(client, object_urls)
    for url in object_urls:
        assert all(code < 500 for code in codes[url]), (url, codes[url])
        if url.rstrip("/").rsplit("/", 1)[-1] in ACTIONS or "/propose/" in url:
            assert codes[url][2] == 403, (url, codes[url])  # no action goes through
    for url, page in walk(client, open_urls).items():
        assert all(code < 500 for code in page), (url, page)
    assert state() == before


def test_the_parties_and_staff_never_get_a_server_error_on_garbage(client, world, scene):
    object_urls, open_urls = scene
    for user in (world.visitor_user, world.host_user, world.vop_staff, world.hop_staff):
        client.force_login(user)
        for url, codes in walk(client, object_urls + open_urls).items():
            assert all(code < 500 for code in codes), (user, url, codes)
