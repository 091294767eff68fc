"""Forms that guide: the error summary, the profile form's sections with their status, the
errors of the live form that follow the current input, the searchable pickers."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.form_sections import COMPLETE, MISSING, OPTIONAL, TO_FIX, section_statuses
from organisations.forms import OrganisationForm, SignatoryForm
from tests import factories as f
from tests.organisations.factories import draft_sme, profile_post

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def statuses(data=None, *, signatory=True) -> dict[str, str]:
    form = OrganisationForm(data, today=timezone.localdate())
    signatory_form = SignatoryForm(data, prefix="signatory") if signatory else None
    return {s.slug: s.status for s in section_statuses(form, signatory_form)}


# --- the error summary ----------------------------------------------------------------------------


def test_a_failed_submit_shows_an_error_summary_linking_to_each_field(client):
    """Every crispy form (here the public checker) gets the one summary, focusable."""
    response = client.get(
        reverse("eligibility"), {"org_type": "sme", "country": "BE", "representative_age": "30"}
    )
    page = html(response)
    assert "data-error-summary" in page and 'tabindex="-1"' in page
    assert 'href="#id_nationality" data-error-link' in page
    assert "Give the nationality with the age." in page
    assert "js/forms.js" in page  # the script that focuses it


def test_no_error_summary_without_errors(client):
    assert "data-error-summary" not in html(client.get(reverse("eligibility")))


def test_the_profile_summary_lists_the_errors_of_both_forms(client):
    """Profile and representative are posted together: one summary names the fields of both;
    a list of checkboxes is linked through its wrapper (it has no single element)."""
    client.force_login(f.UserFactory())
    response = client.post(
        reverse("organisations:create"),
        profile_post(legal_name="", ecosystems=[], **{"signatory-nationality": ""}),
    )
    page = html(response)
    assert page.count("data-error-summary") == 1
    assert 'href="#id_legal_name"' in page
    assert 'href="#div_id_ecosystems"' in page
    assert 'href="#id_signatory-nationality"' in page


# --- the profile form's sections ------------------------------------------------------------------


def test_a_blank_form_says_what_is_missing_in_each_section():
    assert statuses() == {
        "organisation": MISSING,
        "place": MISSING,
        "activity": MISSING,
        "memberships": OPTIONAL,
        "validation": MISSING,
        "representative": MISSING,
    }


def test_a_complete_post_has_every_section_complete_but_the_optional_memberships():
    partnership = f.PartnershipFactory()
    done = statuses(profile_post(partnership=partnership))
    assert done == {**dict.fromkeys(done, COMPLETE), "memberships": OPTIONAL}
    cluster = f.OrganisationFactory()
    assert statuses(profile_post(cluster=cluster))["memberships"] == COMPLETE


def test_a_refused_value_is_to_fix_an_empty_needed_one_is_missing():
    """R-ELIG-1: the sub-type is needed only for a scaling-up support organisation."""
    assert statuses(profile_post(website="not a url"))["activity"] == TO_FIX
    assert statuses(profile_post(org_type="scaleup_support"))["organisation"] == MISSING
    # R-ELIG-10: a date of birth, or the declaration of being 18 or over.
    no_birth = profile_post(**{"signatory-date_of_birth": ""})
    assert statuses(no_birth)["representative"] == MISSING
    assert statuses({**no_birth, "signatory-declares_adult": "on"})["representative"] == COMPLETE


def test_the_profile_page_has_a_section_nav_with_anchored_sections(client):
    client.force_login(f.UserFactory())
    page = html(client.get(reverse("organisations:create")))
    assert 'aria-label="Sections of the profile"' in page
    for slug in ("organisation", "place", "activity", "memberships", "validation"):
        assert f'href="#section-{slug}"' in page and f'id="section-{slug}"' in page
    assert 'data-section="representative" data-status="missing"' in page


def test_editing_shows_no_representative_section(client):
    org, user = draft_sme()
    client.force_login(user)
    page = html(client.get(reverse("organisations:edit", args=[org.pk])))
    assert 'data-section="organisation" data-status="complete"' in page
    assert 'data-section="representative"' not in page


# --- the live form: errors follow the current input ----------------------------------------------


def live_errors(response) -> dict:
    match = re.search(r'id="profile-live-errors" hidden data-errors="([^"]*)"', html(response))
    assert match, "no live errors in the response"
    return json.loads(match.group(1).replace("&quot;", '"'))


def test_the_live_verdict_sends_each_fields_errors_as_typed_now(client):
    """After a failed submit the page shows "This field is required." under the legal name;
    once it is typed, the live response says the field has no error any more."""
    client.force_login(f.UserFactory())
    url = reverse("organisations:eligibility_preview")
    before = client.post(url, profile_post(legal_name="", website="nope"))
    errors = live_errors(before)
    assert errors["legal_name"] == ["This field is required."]
    assert errors["website"] == ["Enter a valid URL."]
    after = client.post(url, profile_post(website="nope"))
    assert "legal_name" not in live_errors(after) and "website" in live_errors(after)
    # The representative's fields are named as in the page (with their prefix).
    missing = client.post(url, profile_post(**{"signatory-nationality": ""}))
    assert "signatory-nationality" in live_errors(missing)
    # The sections come along, out of band.
    assert 'id="profile-sections"' in html(after) and 'hx-swap-oob="true"' in html(after)
    assert 'data-section="activity" data-status="to_fix"' in html(after)


# --- searchable pickers --------------------------------------------------------------------------


def test_cluster_memberships_use_the_searchable_picker(client):
    client.force_login(f.UserFactory())
    f.OrganisationFactory(legal_name="Flanders Food Cluster")
    page = html(client.get(reverse("organisations:create")))
    assert re.search(r'<select name="clusters"[^>]*data-picker', page)
    assert "vendor/tom-select-2.6.2/js/tom-select.complete.min.js" in page
    assert "js/picker.js" in page
