"""Issue 12: the staff exchange list at 100,000 exchanges, made cheap without losing anything —
the filter fields are built in Python in crispy's very markup, the rows come from plain values
(no model instances), and the count splits the user's scope into disjoint index-only counts.
Markup and numbers only: time lives in the harness."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.client import RequestFactory
from django.test.html import parse_html
from django.urls import reverse

from exchanges.filters import ExchangeFilter, plain_field_html
from exchanges.tables import LIST_COLUMNS, ExchangeTable, organisation_link_test
from organisations.permissions import can_view_organisation
from tests.exchanges.factories import approver, support_office_user
from tests.factories import (
    ExchangeFactory,
    OrganisationFactory,
    PartnershipFactory,
    RepresentativeFactory,
)

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


# --- the rows, the count, the sort and the pages ------------------------------------------------


def _rows(body: str) -> list[str]:
    tbody = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", tbody, re.S)


def test_r_exc_6_the_count_and_rows_are_the_users_scope_for_several_roles(client):
    """R-EXC-6: a user who is staff of a partnership AND represents an organisation sees the
    union — the exchanges where the partnership is VOP or HOP, and those of the organisation —
    each once: the count's disjoint parts add up to exactly the rows listed, with a filter too."""
    mine = PartnershipFactory()
    other = PartnershipFactory()
    as_vop = ExchangeFactory(vop=mine)
    as_hop = ExchangeFactory(hop=mine, vop=other)
    as_both = ExchangeFactory(vop=mine, hop=mine)
    organisation = OrganisationFactory(validating_partnership=other)
    visiting = ExchangeFactory(visitor=organisation, vop=other, hop=other)
    hosting_and_vop = ExchangeFactory(host=organisation, vop=mine, hop=other)
    unrelated = ExchangeFactory(vop=other, hop=other)
    user = approver(mine)
    RepresentativeFactory(user=user, organisation=organisation)
    client.force_login(user)
    seen = {as_vop, as_hop, as_both, visiting, hosting_and_vop}
    response = client.get(reverse("exchanges:list"))
    assert response.context["table"].paginator.count == len(seen) == 5
    body = response.content.decode()
    for exchange in seen:
        assert exchange.reference in body
    assert unrelated.reference not in body
    assert len(_rows(body)) == 5
    for status, expected in (("draft", 5), ("closed", 0)):
        page = client.get(reverse("exchanges:list"), {"status": status})
        assert page.context["table"].paginator.count == expected
    assert {e.pk for e in response.context["table"].data} == {e.pk for e in seen}


def test_a_name_with_markup_is_shown_as_text_not_html(client):
    visitor = OrganisationFactory(legal_name='<b>Bold</b> & "Co"')
    exchange = ExchangeFactory(visitor=visitor)
    client.force_login(support_office_user())
    (row,) = _rows(client.get(reverse("exchanges:list")).content.decode())
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Co&quot;" in row and "<b>" not in row
    assert exchange.reference in row


@pytest.mark.parametrize("support", [True, False])
def test_the_rows_organisation_links_follow_can_view_organisation(support):
    """The list's per-page link test is ``can_view_organisation`` itself, for every kind of
    organisation: represented, validated by the user's partnership, or another's."""
    mine, other = PartnershipFactory(), PartnershipFactory()
    user = support_office_user() if support else approver(mine)
    represented = OrganisationFactory(validating_partnership=other)
    RepresentativeFactory(user=user, organisation=represented)
    user = type(user).objects.get(pk=user.pk)  # fresh access
    organisations = [
        represented,
        OrganisationFactory(validating_partnership=mine),
        OrganisationFactory(validating_partnership=other),
        OrganisationFactory(validating_partnership=None),
    ]
    may_open = organisation_link_test(user)
    for organisation in organisations:
        expected = can_view_organisation(user, organisation)
        assert may_open(organisation.pk, organisation.validating_partnership_id) is expected
    assert organisation_link_test(None)(represented.pk, other.pk) is False


def test_the_pages_columns_are_the_csv_exports():
    """``LIST_COLUMNS`` (the page) and ``ExchangeTable`` (the CSV) have the same columns, labels
    and sortable columns, in the same order."""
    table = ExchangeTable([], more=True)
    assert [c.name for c in table.columns] == [c.name for c in LIST_COLUMNS]
    assert [str(c.header) for c in table.columns] == [str(c.label) for c in LIST_COLUMNS]
    assert [c.orderable for c in table.columns] == [bool(c.order_by) for c in LIST_COLUMNS]


def test_sorting_marks_its_column_and_flips_and_a_bad_sort_or_page_is_harmless(client):
    """``?sort=`` as django-tables2's: the column sorted by carries ``asc``/``desc`` and
    ``aria-sort``, its link sorts the other way; an unknown column or a page past the end
    or not a number gives a page, never an error."""
    names = ["Alpha", "Charlie", "Bravo"]
    for name in names:
        ExchangeFactory(visitor=OrganisationFactory(legal_name=name))
    client.force_login(support_office_user())
    body = client.get(reverse("exchanges:list"), {"sort": "-visitor"}).content.decode()
    assert [n for row in _rows(body) for n in names if n in row] == sorted(names, reverse=True)
    th = re.search(r"<th[^>]*aria-sort[^>]*>.*?</th>", body, re.S).group(0)
    assert 'aria-sort="descending"' in th and "desc" in th and "sort=visitor" in th
    default = client.get(reverse("exchanges:list")).content.decode()
    assert 'class="desc orderable text-nowrap" scope="col" aria-sort="descending"' in default
    assert 'scope="col"' in default and "<caption" in default
    for query in ({"sort": "nonsense,-nothing"}, {"page": "999"}, {"page": "x"}, {"page": "-1"}):
        response = client.get(reverse("exchanges:list"), query)
        assert response.status_code == 200 and len(_rows(response.content.decode())) == 3


def test_pages_of_fifty_with_links_that_keep_the_filters(client):
    partnership = PartnershipFactory()
    ExchangeFactory.create_batch(51, vop=partnership)
    client.force_login(support_office_user())
    first = client.get(reverse("exchanges:list"), {"status": "draft"}).content.decode()
    assert len(_rows(first)) == 50
    assert 'href="?status=draft&amp;page=2"' in first and "next" in first
    second = client.get(reverse("exchanges:list"), {"status": "draft", "page": 2})
    assert len(_rows(second.content.decode())) == 1
    assert second.context["table"].paginator.count == 51


def test_the_cached_country_choices_follow_the_language_and_the_participating_countries():
    """The country filter's choices are cached per (codes, language): a page in French after
    one in English names the countries in French, and other codes are other choices."""
    from django.utils import translation

    from exchanges.filters import country_choices

    with translation.override("en"):
        assert country_choices(frozenset({"DE", "BE"}), "en") == [
            ("BE", "Belgium"),
            ("DE", "Germany"),
        ]
    with translation.override("fr"):
        assert country_choices(frozenset({"DE", "BE"}), "fr") == [
            ("DE", "Allemagne"),
            ("BE", "Belgique"),
        ]
    with translation.override("en"):
        assert country_choices(frozenset({"DE"}), "en") == [("DE", "Germany")]
