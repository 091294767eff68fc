"""The expression of interest's form guides: ecosystems start from the profile's, the
preferred countries are a searchable picker, a failed submit leads to an error summary."""

import re

import pytest
from django.urls import reverse

from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


def test_r_part_2_the_interests_ecosystems_start_from_the_profiles(client):
    """R-PART-2: the preferred ecosystems are pre-ticked with the organisation's own."""
    p = f.PartnershipFactory(acronym="AGRI")
    organisation = pf.org("BE")
    organisation.ecosystems.set(pf.ecosystems("agri-food", "digital"))
    client.force_login(pf.representative_of(organisation))
    page = client.get(reverse("partnerships:interest_create", kwargs={"slug": p.slug}))
    form = page.context["form"]
    assert {e.code for e in form.initial["ecosystems"]} == {"agri-food", "digital"}
    ticked = re.findall(r'name="ecosystems" value="(\d+)"[^>]*checked', page.content.decode())
    assert sorted(map(int, ticked)) == sorted(e.pk for e in organisation.ecosystems.all())


def test_r_part_2_preferred_countries_picker_and_error_summary(client):
    p = f.PartnershipFactory(acronym="AGRI")
    organisation = pf.org("BE")
    client.force_login(pf.representative_of(organisation))
    url = reverse("partnerships:interest_create", kwargs={"slug": p.slug})
    page = client.get(url).content.decode()
    assert re.search(r'<select name="preferred_countries"[^>]*data-picker', page)
    assert "js/picker.js" in page
    # The only error is far down the form (the period): the summary at the top links to it.
    response = client.post(
        url,
        {
            "organisation": organisation.pk,
            "role": "visitor",
            "objectives": "Meet food-tech start-ups.",
            "period_from": "2030-05-10",
            "period_until": "2030-05-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "data-error-summary" in html
    assert 'href="#id_period_until" data-error-link' in html
