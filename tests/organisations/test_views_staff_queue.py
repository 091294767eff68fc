"""Issue 14, "staff lists that fit": the profile queue shows how long each profile has waited,
oldest first, and after a decision (R-ELIG-5) offers the next profile waiting longest."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.choices import ProfileStatus as S
from tests import factories as f
from tests.organisations.factories import draft_sme

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def _waiting(partnership, name: str, days: int):
    org, _ = draft_sme(
        status=S.SUBMITTED,
        validating_partnership=partnership,
        legal_name=name,
        submitted_at=timezone.now() - timedelta(days=days),
    )
    return org


def test_the_queue_shows_days_waiting_oldest_first(staff_client):
    partnership = staff_client.staff.partnership
    _waiting(partnership, "Recent SME", 1)
    _waiting(partnership, "Oldest SME", 12)
    _waiting(partnership, "Middle SME", 5)
    page = html(staff_client.get(reverse("organisations:staff_queue")))
    assert [m for m in re.findall(r"(Recent|Oldest|Middle) SME", page)] == [
        "Oldest",
        "Middle",
        "Recent",
    ]
    rows = re.findall(r"<tr.*?</tr>", page, re.S)
    assert ">Waiting</a>" in rows[0]
    oldest = next(r for r in rows if "Oldest SME" in r)
    assert "12 days" in oldest
    assert "1 day<" in next(r for r in rows if "Recent SME" in r)


def test_the_status_filter_is_not_truncated(staff_client):
    """The longest status, "Submitted for validation", gets a column wide enough for it."""
    page = html(staff_client.get(reverse("organisations:staff_queue")))
    select_box = page.split('id="id_status"', 1)[0].rsplit('<div class="col', 1)[1]
    assert select_box.startswith("-md-6 col-xl-3")


def test_validating_moves_on_to_the_profile_waiting_longest(staff_client):
    """R-ELIG-5: after a decision the officer lands on the next profile to decide."""
    partnership = staff_client.staff.partnership
    decided = _waiting(partnership, "Decided SME", 3)
    oldest = _waiting(partnership, "Oldest SME", 9)
    _waiting(partnership, "Newer SME", 2)
    _waiting(f.PartnershipFactory(), "Not Mine SME", 30)  # another partnership's queue
    response = staff_client.post(reverse("organisations:validate", args=[decided.pk]))
    assert response["Location"] == reverse("organisations:detail", args=[oldest.pk])
    page = html(staff_client.get(response["Location"]))
    assert "The profile is validated" in page
    assert "Next in the queue, waiting longest: Oldest SME." in page
    assert page.count('role="alert"') == 1  # one message says both
    decided.refresh_from_db()
    assert decided.status == S.VALIDATED


def test_rejecting_moves_on_too_and_the_last_decision_stays_on_its_profile(staff_client):
    partnership = staff_client.staff.partnership
    first = _waiting(partnership, "First SME", 4)
    second = _waiting(partnership, "Second SME", 1)
    response = staff_client.post(
        reverse("organisations:reject", args=[first.pk]), {"reason": "No ECCP profile."}
    )
    assert response["Location"] == reverse("organisations:detail", args=[second.pk])
    response = staff_client.post(reverse("organisations:validate", args=[second.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisations:detail", args=[second.pk])
    assert "No other profile is waiting for your decision." in html(response)


def test_every_status_lists_waiting_profiles_first_and_drafts_last(staff_client):
    """Drafts were never submitted: they wait for nobody, so they come after the queue."""
    partnership = staff_client.staff.partnership
    draft_sme(validating_partnership=partnership, legal_name="Aaa Draft SME")
    _waiting(partnership, "Zzz Waiting SME", 2)
    url = reverse("organisations:staff_queue")
    for query in ({"status": ""}, {"status": "", "sort": "-waiting"}):
        page = html(staff_client.get(url, query))
        assert page.index("Zzz Waiting SME") < page.index("Aaa Draft SME")
    page = html(staff_client.get(url, {"status": "", "sort": "waiting"}))
    assert "Gent, Belgium" in page  # city and country in one "Place" cell
