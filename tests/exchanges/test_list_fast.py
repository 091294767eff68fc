"""Issue 12: the staff exchange list at 100,000 exchanges, made cheap without losing anything —
the filter fields are built in Python in crispy's very markup, the rows come from plain values
(no model instances), and the count splits the user's scope into disjoint index-only counts.
Markup and numbers only: time lives in the harness."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.html import parse_html
from django.test.client import RequestFactory

from exchanges.filters import ExchangeFilter, plain_field_html
from tests.exchanges.factories import support_office_user
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": 'a "<b>" & c', "status": "draft", "mode": "virtual", "stay_from": "2026-01-01"},
        {"status": "bogus", "stay_from": "31/12/2027", "partnership": "x", "q": "y" * 201},
        {"partnership": "PARTNERSHIP", "country": "BE", "stay_until": "2027-02-30"},
    ],
)
def test_the_filter_fields_are_crispys_markup_with_labels_values_and_errors(data):
    """Every filter field shown, valid or not: the same elements, attributes, label, value
    and error message next to the field as ``as_crispy_field`` renders (HTML-equal)."""
    partnership = PartnershipFactory()
    PartnershipFactory()
    if data and data.get("partnership") == "PARTNERSHIP":
        data = {**data, "partnership": str(partnership.pk)}
    request = RequestFactory().get("/exchanges/")
    request.user = support_office_user()
    from exchanges.models import Exchange

    exchange_filter = ExchangeFilter(data, queryset=Exchange.objects.all(), request=request)
    exchange_filter.qs  # noqa: B018 - validates, as the page does
    shown = [f for f in exchange_filter.form if f.name not in ExchangeFilter.DRILL_DOWN]
    assert len(shown) == 7
    for field in shown:
        assert parse_html(plain_field_html(field)) == parse_html(as_crispy_field(field)), field.name
    if data and "bogus" in data.values():
        html = "".join(exchange_filter.main_fields_html)
        assert "bogus is not one of the available choices" in html
        assert 'aria-describedby="id_status_error"' in html
