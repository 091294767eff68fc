"""Free-text search boxes are bounded (cxc_portal.core.search): a very long text is refused
next to the field, never a 500 (issue 8 point 5: SQLite answers "LIKE or GLOB pattern too
complex" past 50,000 characters)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cxc_portal.core.search import SEARCH_MAX_LENGTH, SearchField
from tests import factories

HUGE = "x" * 50_001
TOO_LONG = "Search with at most 200 characters (this text has 50001)."


def test_the_bound_is_200_characters_inclusive():
    field = SearchField()
    assert field.clean("y" * SEARCH_MAX_LENGTH) == "y" * SEARCH_MAX_LENGTH
    assert field.clean("") == ""
    with pytest.raises(Exception, match=r"at most 200 characters \(this text has 201\)"):
        field.clean("y" * (SEARCH_MAX_LENGTH + 1))
    assert field.widget_attrs(field.widget)["maxlength"] == "200"


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/",
        "/exchanges/",
        "/organisations/staff/",
        "/partnerships/inbox/",
        "/partnerships/matches/",
    ],
)
def test_a_50001_character_search_answers_200_with_the_message_next_to_the_field(
    support_client, url
):
    exchange = factories.ExchangeFactory()
    response = support_client.get(url, {"q": HUGE})
    assert response.status_code == 200
    body = response.content.decode()
    assert TOO_LONG in body
    assert f'value="{HUGE}"' in body  # the input is kept, to be shortened
    if url == "/exchanges/":  # the search is not applied: the list is unfiltered
        assert exchange.reference in body


def test_the_plain_search_forms_are_bounded_too(client, db):
    """The join search and the matching catalogue parse ``q`` with a plain form."""
    world_interest = factories.ExpressionOfInterestFactory(status="accepted")
    rep = factories.RepresentativeFactory(organisation=world_interest.organisation)
    client.force_login(rep.user)
    for url in (
        reverse("organisations:join"),
        reverse("partnerships:matching", kwargs={"pk": world_interest.pk}),
    ):
        response = client.get(url, {"q": HUGE})
        assert response.status_code == 200, url
        assert TOO_LONG in response.content.decode(), url
