"""The history of interests and matches on the one timeline: staff see who did what and to
whom each e-mail went; the organisations see plain words, never another person's address
(issue 8, point 9)."""

import pytest
from django.urls import reverse

from partnerships import services
from tests import factories as f

pytestmark = pytest.mark.django_db


def page(client, user, name, record) -> str:
    client.force_login(user)
    response = client.get(reverse(f"partnerships:{name}", kwargs={"pk": record.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def confirmed(world):
    match = services.match_propose(
        actor=world.visitor_user, interest=world.visitor_interest, counterpart=world.host
    )
    services.match_accept(actor=world.host_user, match=match)
    return match


def test_an_organisation_reads_its_match_history_without_anyone_elses_address(
    client, world, confirmed
):
    html = page(client, world.visitor_user, "match_detail", confirmed)
    assert "Match confirmed" in html and "Match proposed" in html
    for address in (world.host_user.email, world.vop_staff.email, world.hop_staff.email):
        assert address not in html
    assert "queued" not in html  # nothing of the mail queue
    assert "An e-mail was sent to you" in html  # its own notice, without its address
    assert world.visitor_user.email not in html.split('id="timeline"')[1]


def test_staff_read_who_did_what_and_to_whom_each_email_went(client, world, confirmed):
    html = page(client, world.vop_staff, "match_detail", confirmed)
    timeline = html.split('id="timeline"')[1]
    assert world.host_user.email in timeline  # the confirmation's author and a recipient
    assert world.visitor_user.email in timeline
    assert world.hop_staff.email in timeline
    assert "queued" in timeline or "sent" in timeline


def test_an_applicant_reads_the_decision_on_its_interest_but_not_the_staff_address(client, world):
    interest = f.ExpressionOfInterestFactory(
        organisation=world.visitor, partnership=world.vop, role="host", status="submitted"
    )
    services.interest_decline(actor=world.vop_staff, interest=interest, reason="Full this year")
    html = page(client, world.visitor_user, "interest_detail", interest)
    assert "Declined by the partnership" in html and "Full this year" in html
    assert world.vop_staff.email not in html
    assert "queued" not in html
    staff_html = page(client, world.vop_staff, "interest_detail", interest)
    assert world.vop_staff.email in staff_html.split('id="timeline"')[1]
    assert world.visitor_user.email in staff_html.split('id="timeline"')[1]
