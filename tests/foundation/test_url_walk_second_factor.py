"""Every URL pattern of the project, walked by staff whose session has not passed the second
factor: no staff content anywhere, only the second-factor page (or a public one).

The patterns are read from the resolver, so a new page is walked the day it is added; its path
parameters are filled with the ids of real objects (a parameter the walk cannot fill fails the
test, asking for a value, rather than being skipped).
"""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import resolve, reverse

from payments.models import Payment
from reports.models import Document
from tests import factories as f
from tests.auth import force_login_password_only
from tests.exchanges.factories import link_to_accepted_match
from tests.payments.files_helpers import evidence_row
from tests.url_walk import all_patterns, url_builder

pytestmark = pytest.mark.django_db

#: The only pages such a session may open: public pages, signing out, the second-factor pages.
OPEN_NAMES = {
    "eligibility",
    "lump_sum",
    "lump_sum_cities",
    "reports:verify",
    "favicon",
    "account_logout",
    "mfa_authenticate",
    "mfa_reauthenticate",
}


@pytest.fixture
def scene():
    """One of everything a URL can point at, all belonging to the staff user's partnership."""
    exchange = link_to_accepted_match(f.ExchangeFactory())
    activity = f.ActivityFactory(exchange=exchange)
    group = f.ExchangeGroupFactory(host=exchange.host, vop=exchange.vop)
    representative = f.RepresentativeFactory(organisation=exchange.visitor)
    staff = f.PartnershipStaffFactory(partnership=exchange.vop)
    support = f.UserFactory(is_support_office=True, is_staff=True)
    superuser = f.UserFactory(is_superuser=True, is_staff=True)
    for user in (staff.user, support, superuser):
        f.give_totp(user)
    match = exchange.match
    evidence = evidence_row(exchange)
    payment = Payment.objects.create(
        exchange=exchange, amount=Decimal("780.00"), rate=Decimal("780.00"), working_days=5
    )
    document = Document.objects.create(
        exchange=exchange, kind="CTQ", version=1, data={}, data_hash="0" * 64
    )
    pk_by_segment = {
        "documents": document.pk,
        "document": document.pk,  # reports:pdf_retry (a PDF given up on)
        "organisations": exchange.visitor.pk,
        "join": exchange.visitor.pk,
        "representatives": representative.pk,
        "interests": match.visitor_interest.pk,
        "matches": match.pk,
        "exchanges": exchange.pk,
        "groups": group.pk,
        "undeliverable": 1,
        "evidence": evidence.pk,
        "payments": payment.pk,
        "outbox": 1,
    }
    by_name = {
        "org_pk": exchange.host.pk,
        "match_id": match.pk,
        "activity_id": activity.pk,
        "exchange_id": exchange.pk,
        "slug": exchange.vop.slug,
        "id": staff.user.pk,  # admin: a user's password form
        "content_type_id": ContentType.objects.get_for_model(exchange.visitor).pk,
        "object_id": exchange.visitor.pk,  # admin: "view on site" of the organisation
        "app_label": "organisations",
        "url": "no-such-admin-page/",
        "key": "not-a-real-key",
        "uidb36": "1",
        "country": "PT",
        "side": "visitor",  # a final activity report's side (reports:far_*)
        "party": "vop",  # reports:sign (R-DOC-2)
        "source": "document",  # reports:pdf_retry
    }

    url_of = url_builder(pk_by_segment, by_name)

    urls = {}
    for pattern in all_patterns():
        url = url_of(pattern)
        assert resolve(url).func is pattern.callback, f"{url} does not reach {pattern.name}"
        urls[url] = pattern.name
    return {
        "urls": urls,
        "users": {
            "partnership staff": staff.user,
            "support office": support,
            "superuser": superuser,
        },
        "secrets": [exchange.reference, exchange.visitor.legal_name, exchange.host.legal_name],
    }


def test_the_walk_covers_every_pattern(scene):
    assert len(scene["urls"]) == len(list(all_patterns()))
    names = set(scene["urls"].values())
    for name in ("admin:index", "exchanges:detail", "organisations:staff_queue", "home"):
        assert name in names


@pytest.mark.parametrize("who", ["partnership staff", "support office", "superuser"])
def test_no_staff_page_opens_before_the_second_factor(client, scene, who):
    """A staff, Support Office or superuser session that did not pass TOTP (a password-only
    session, as the old admin login gave) reaches the second-factor page and nothing else."""
    force_login_password_only(client, scene["users"][who])
    second_factor = reverse("mfa_reauthenticate")
    leaks = []
    for url, name in scene["urls"].items():
        response = client.get(url)
        body = response.content.decode(errors="replace")
        if any(secret in body for secret in scene["secrets"]):
            leaks.append(f"{url} ({name}): shows the scene's data")
        elif name in OPEN_NAMES:
            if response.status_code >= 400:
                leaks.append(f"{url} ({name}): {response.status_code} on an open page")
        elif not (response.status_code == 302 and response.url.startswith(second_factor)):
            leaks.append(f"{url} ({name}): {response.status_code} {response.get('Location')}")
    assert leaks == []
    assert "_auth_user_id" in client.session  # still signed in, just not past the second step


def test_the_walk_would_see_the_staff_pages(client, scene):
    """Control: with the second factor passed, the same staff user opens the scene's pages, so
    the ids the walk fills in are real ones."""
    client.force_login(scene["users"]["partnership staff"])
    pages = {name: url for url, name in scene["urls"].items()}
    for name in ("exchanges:detail", "exchanges:group_detail", "partnerships:match_detail"):
        assert client.get(pages[name]).status_code == 200, name
    reference = scene["secrets"][0]
    assert reference in client.get(pages["exchanges:detail"]).content.decode()
