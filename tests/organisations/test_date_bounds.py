"""Out-of-range signatory and EASME dates (issue 8 point 6): a date of birth or a residence
permit before 1900 or in the future, an EASME pre-approval before 2014 or in the future, are
refused next to the field, the input kept, nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.choices import ProfileStatus
from organisations.models import EasmePreApproval, Organisation, Representative
from tests import factories as f
from tests.organisations.factories import draft_sme, profile_post, represented

pytestmark = pytest.mark.django_db


def _refused_next_to(response, field: str, typed: str) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="error_1_id_{field}"' in body
    assert f'value="{typed}"' in body  # the input is kept
    return body


def test_a_residence_permit_since_year_1_is_refused_on_my_details(client):
    org, user = represented()
    client.force_login(user)
    response = client.post(
        reverse("organisations:my_details", args=[org.pk]),
        {
            "role_title": "CEO",
            "nationality": "US",
            "date_of_birth": "1980-01-01",
            "residence_permit_since": "0001-01-01",
        },
    )
    body = _refused_next_to(response, "residence_permit_since", "0001-01-01")
    assert "Give a date from 1 Jan 1900 to" in body
    assert Representative.objects.get(user=user).residence_permit_since is None


def test_a_date_of_birth_in_the_future_is_refused_when_creating_a_profile(client):
    client.force_login(f.UserFactory())
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("organisations:create"),
        profile_post(cluster=f.OrganisationFactory(), **{"signatory-date_of_birth": tomorrow}),
    )
    body = _refused_next_to(response, "signatory-date_of_birth", tomorrow)
    assert "Give a date from 1 Jan 1900 to" in body
    assert not Organisation.objects.filter(legal_name="Gent Greenhouse Sensors BV").exists()


def test_an_easme_pre_approval_out_of_range_is_refused(support_client):
    org, _ = draft_sme(status=ProfileStatus.VALIDATED)
    url = reverse("organisations:easme", args=[org.pk])
    for typed in ("0001-01-01", "2013-12-31", "9999-12-31"):
        response = support_client.post(url, {"reference": "EASME/1", "granted_on": typed})
        body = _refused_next_to(response, "granted_on", typed)
        assert "Give a date from 1 Jan 2014 to" in body
    assert not EasmePreApproval.objects.exists()
