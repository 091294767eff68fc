"""Accessibility of the layout (issue 14, WCAG 2.1 AA): the navigation marks the current page
(aria-current), one date format for people, one empty-state include. Contrast, focusable
scroll regions and sideways scrolling are checked in a real browser by axe-core
(tests/e2e/conftest.py ``check_page``)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from cxc_portal.accounts.models import User
from cxc_portal.accounts.templatetags.navigation import current_href, mark_current
from cxc_portal.core.demo import SeedContext
from partnerships.demo import seed_partnerships
from tests import factories

HREFS = ["/", "/partnerships/", "/partnerships/interests/", "/exchanges/", "/admin/", "#"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/partnerships/", "/partnerships/"),
        ("/partnerships/agri/", "/partnerships/"),
        ("/partnerships/interests/12/", "/partnerships/interests/"),
        ("/exchanges/5/", "/exchanges/"),
        ("/exchanges", None),
        ("/", "/"),
        ("/organisations/mine/", None),
    ],
)
def test_the_current_section_is_the_longest_matching_link(path, expected):
    assert current_href(HREFS, path) == expected


def test_mark_current_marks_only_nav_links_of_the_section():
    html = (
        '<a class="nav-link" href="/exchanges/">Exchanges</a>'
        '<a class="nav-link" href="/partnerships/">Partnerships</a>'
        '<a class="dropdown-item" href="/exchanges/">Other</a>'
    )
    marked = mark_current(html, "/exchanges/7/")
    assert marked.count('aria-current="page"') == 1
    assert '<a class="nav-link active" aria-current="page" href="/exchanges/">' in marked


def current_links(response) -> list[str]:
    nav = response.content.decode().split("</nav>")[0]
    return re.findall(r'aria-current="page" href="([^"]+)"', nav)


@pytest.mark.django_db
def test_navigation_marks_the_page_the_staff_member_is_on(staff_client):
    assert current_links(staff_client.get(reverse("exchanges:list"))) == [reverse("exchanges:list")]
    assert current_links(staff_client.get(reverse("partnerships:staff_inbox"))) == [
        reverse("partnerships:staff_inbox")
    ]
    assert current_links(staff_client.get(reverse("home"))) == []


@pytest.mark.django_db
def test_navigation_marks_the_public_page_for_anonymous_visitors(client):
    assert current_links(client.get(reverse("eligibility"))) == [reverse("eligibility")]
    assert current_links(client.get(reverse("account_login"))) == [reverse("account_login")]


def test_people_read_dates_as_day_month_year():
    """One date format for people ("2 Dec 2026"), ISO only in exports and JSON: the default
    ``|date`` and Django's own date display (admin, forms) follow it."""
    day = date(2026, 12, 2)
    moment = datetime(2026, 12, 2, 9, 5, tzinfo=UTC)
    with translation.override("en"):
        assert date_format(day) == "2 Dec 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "2 Dec 2026"
        assert date_format(moment, "DATETIME_FORMAT") == "2 Dec 2026 09:05"
        assert Template("{{ day|date }}").render(Context({"day": day})) == "2 Dec 2026"


def test_templates_show_no_iso_dates_to_people():
    """No template for people formats a date as ISO ("Y-m-d"): machine-readable ``datetime``
    attributes ('c') and data-attributes are the only ISO dates."""
    offenders = []
    roots = (
        "templates",
        "cxc_portal",
        "organisations",
        "partnerships",
        "exchanges",
        "payments",
        "reports",
    )
    paths = [p for root in roots for p in (settings.BASE_DIR / root).glob("**/templates/**/*.*")]
    paths += list((settings.BASE_DIR / "templates").glob("**/*.html"))
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in re.finditer(r'\|date:["\']Y-m-d', line):
                before = line[: match.start()]
                if re.search(r'(datetime|data-[\w-]+|value)="[^"]*$', before):
                    continue  # machine-readable attribute
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


def test_empty_state_says_what_is_missing_and_the_next_step():
    html = render_to_string(
        "includes/empty_state.html",
        {
            "message": "No exchanges yet.",
            "next_text": "They appear once a match is accepted.",
            "next_url": "/partnerships/",
            "next_label": "Find a partnership",
        },
    )
    assert "data-empty-state" in html and "No exchanges yet." in html
    assert "They appear once a match is accepted." in html
    assert '<a class="btn btn-primary btn-sm" href="/partnerships/">Find a partnership</a>' in html


@pytest.mark.django_db
def test_demo_partnership_staff_keep_the_acronym_as_written():
    """The demo's names are cased as written: "HEALTH-XC Officer", not "Health-Xc Officer"."""
    seed_partnerships(SeedContext(today=date(2026, 11, 21), log=lambda text: None))
    staff = User.objects.get(email="staff.health-xc@cxc.local")
    assert staff.get_full_name() == "HEALTH-XC Officer"


# --- Phones (390 px): what the server must send; tests/e2e/test_phone_pages.py looks at it -------


@pytest.mark.django_db
def test_the_eligibility_answer_is_where_the_form_lands_with_a_jump_link(client):
    """R-ELIG-12's checker on a phone: the verdict sits below the whole form, so submitting
    lands on it (the form's action is its anchor) and a "See the verdict" link leads there."""
    empty = client.get(reverse("eligibility")).content.decode()
    assert 'action="#the-answer"' in empty and 'id="the-answer"' in empty
    assert "data-jump-to-verdict" not in empty  # no verdict yet, nothing to jump to
    answered = client.get(
        reverse("eligibility"), {"org_type": "sme", "country": "PT", "cluster_member": "on"}
    ).content.decode()
    assert 'href="#the-answer" data-jump-to-verdict' in answered
    assert answered.index('id="the-answer"') < answered.index('data-role-verdict="visitor"')


@pytest.mark.django_db
def test_the_eligibility_answer_points_back_to_the_form_when_answers_are_wrong(client):
    page = client.get(reverse("eligibility"), {"org_type": "no-such-type"}).content.decode()
    assert "data-answers-missing" in page and 'href="#eligibility-form"' in page


@pytest.mark.django_db
def test_exchange_list_filters_fold_away_on_phones_unless_some_are_set(staff_client):
    folded = staff_client.get(reverse("exchanges:list")).content.decode()
    assert 'data-bs-target="#exchange-filters" aria-expanded="false"' in folded
    assert 'id="exchange-filters" class="card card-body mb-3 collapse d-md-block"' in folded
    filtered = staff_client.get(reverse("exchanges:list"), {"status": "draft"}).content.decode()
    assert 'aria-expanded="true"' in filtered
    assert 'class="card card-body mb-3 collapse d-md-block show"' in filtered


# --- One empty state, with the next step -------------------------------------------------------


def empty_state(response) -> str:
    html = response.content.decode()
    assert html.count("data-empty-state") == 1, "one empty state on the page"
    start = html.index('<div class="empty-state"')
    return html[start : html.index("</div>", start)]


@pytest.mark.django_db
def test_an_empty_personal_list_leads_to_the_next_step(client):
    client.force_login(factories.UserFactory())
    block = empty_state(client.get(reverse("exchanges:list")))
    assert "You have no exchange yet." in block
    assert f'href="{reverse("partnerships:directory")}">Find a partnership</a>' in block


@pytest.mark.django_db
def test_an_empty_staff_table_offers_to_reset_the_filters(staff_client):
    block = empty_state(staff_client.get(reverse("exchanges:list"), {"q": "no-such-exchange"}))
    assert "No exchange matches these filters." in block
    assert f'href="{reverse("exchanges:list")}">Reset the filters</a>' in block


@pytest.mark.django_db
def test_the_empty_group_list_uses_the_same_empty_state(staff_client):
    block = empty_state(staff_client.get(reverse("exchanges:group_list")))
    assert "No group yet." in block


def test_r_elig_9_the_residence_message_gives_the_date_as_people_read_it():
    """R-ELIG-9's refusal says from which day 183 days of residence are reached, as "2 Dec
    2026", not in ISO."""
    from organisations.choices import OrganisationType
    from tests.organisations.test_eligibility import TODAY, _resident_since, verdict

    short = verdict(
        org_type=OrganisationType.CLUSTER, signatory=_resident_since(TODAY - timedelta(days=182))
    )
    assert "(from 16 Jun 2026)" in short.host.failures[0].text


@pytest.mark.django_db
def test_r_part_2_the_duplicate_interest_message_dates_it_as_people_read_it():
    """R-PART-2's refusal of a second interest dates the first one as "2 Dec 2026"."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from tests.partnerships import factories as pf
    from tests.partnerships.test_services import submit

    partnership = factories.PartnershipFactory(acronym="DUP")
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    submit(user, organisation, partnership)
    with pytest.raises(ValidationError) as refused:
        submit(user, organisation, partnership)
    assert f"on {date_format(timezone.localdate(), 'j M Y')})" in str(refused.value)
