"""Out-of-range availability of an expression of interest (issue 8 point 6): refused next to
the field, the input kept, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import ExpressionOfInterest
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


def test_an_interest_available_until_year_9999_is_refused_next_to_the_field(client):
    partnership = f.PartnershipFactory()
    organisation = pf.org("BE")
    client.force_login(pf.representative_of(organisation))
    response = client.post(
        reverse("partnerships:interest_create", kwargs={"slug": partnership.slug}),
        {
            "organisation": organisation.pk,
            "role": "visitor",
            "objectives": "Keep this text",
            "period_from": "2019-06-01",
            "period_until": "9999-12-31",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    for field, typed in (("period_from", "2019-06-01"), ("period_until", "9999-12-31")):
        assert f'id="error_1_id_{field}"' in body
        assert f'value="{typed}"' in body
    assert "Give a date from 1 Jan 2020 to" in body
    assert "Keep this text" in body
    assert not ExpressionOfInterest.objects.exists()
