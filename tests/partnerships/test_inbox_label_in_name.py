"""Found by the issue-15 journey (axe, rule label-content-name-mismatch): the staff inbox's
"Decide" / "Open" links had an accessible name without their visible word (WCAG 2.5.3)."""

import re

import pytest
from django.urls import reverse

from partnerships.models import InterestStatus
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


def test_inbox_links_name_contains_their_visible_word(client):
    """The accessible name of each inbox link starts with the word it shows."""
    mine = f.PartnershipFactory(acronym="MINE")
    staff = pf.staff_of(mine)
    pf.interest(pf.org("BE", legal_name="Waiting Visitor"), mine, status=InterestStatus.SUBMITTED)
    pf.interest(pf.org("PT", legal_name="Accepted Host"), mine, "host")
    client.force_login(staff)
    html = client.get(reverse("partnerships:staff_inbox"), {"status": ""}).content.decode()
    links = re.findall(
        r'<a href="/partnerships/interests/\d+/" aria-label="([^"]+)">(\w+)</a>', html
    )
    assert sorted(links) == [
        ("Decide: expression of interest of Waiting Visitor", "Decide"),
        ("Open: expression of interest of Accepted Host", "Open"),
    ]
