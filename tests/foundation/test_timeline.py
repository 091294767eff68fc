"""The one timeline (cxc_portal.audit.timeline): newest first, bounded with the rest behind
"show all", told to an audience — staff see everything, applicants plain words and never
another person's e-mail address (issue 8, point 9)."""

import pytest
from django.urls import reverse

from cxc_portal.audit import timeline as tl
from cxc_portal.audit.services import record
from cxc_portal.notifications.models import Notification
from organisations.choices import ProfileStatus as S
from organisations.services import organisation_reject
from tests import factories as f
from tests.organisations.factories import draft_sme

pytestmark = pytest.mark.django_db

LABELS = {"tests.thing.done": "Done"}


def _notice(subject, user, n=0):
    return Notification.objects.create(
        dedup_key=f"k{n}:{user.pk}:{subject.pk}",
        kind="tests.thing.done",
        recipient=user,
        to_email=user.email,
        subject=f"Mail {n}",
        body="",
        about=subject,
    )


def test_staff_see_actor_and_recipient_applicants_only_their_own_mail_and_you():
    subject = f.OrganisationFactory()
    staff, me, other = f.UserFactory(), f.UserFactory(), f.UserFactory()
    record(actor=staff, action="tests.thing.done", subject=subject, data={"note": "x@y.eu ok"})
    record(actor=me, action="tests.thing.done", subject=subject)
    _notice(subject, me, 1)
    _notice(subject, other, 2)

    seen = tl.timeline_for(subjects=subject, audience=tl.Audience.STAFF, labels=LABELS)
    assert [e.kind for e in seen] == ["notification", "notification", "event", "event"]
    assert {e.summary for e in seen if e.kind == "notification"} == {
        f"Mail 1 → {me.email}",
        f"Mail 2 → {other.email}",
    }
    assert str(staff) == seen[-1].actor and seen[-1].summary == "x@y.eu ok"

    mine = tl.timeline_for(
        subjects=subject, audience=tl.Audience.APPLICANT, viewer=me, labels=LABELS
    )
    assert [(e.kind, e.actor) for e in mine] == [
        ("notification", ""),
        ("event", "you"),
        ("event", ""),
    ]
    assert mine[0].summary == "Mail 1" and mine[0].sent is None
    assert mine[-1].summary == "… ok"  # an address in the data is never shown
    text = repr(mine.entries)
    assert staff.email not in text and other.email not in text and me.email not in text


def test_an_unknown_action_reads_as_its_code_for_staff_and_plain_for_applicants():
    subject = f.OrganisationFactory()
    record(actor=None, action="tests.thing.odd", subject=subject)
    staff = tl.timeline_for(subjects=subject, audience=tl.Audience.STAFF, labels=LABELS)
    applicant = tl.timeline_for(subjects=subject, audience=tl.Audience.APPLICANT, labels=LABELS)
    assert staff[0].label == "tests.thing.odd" and applicant[0].label == "Updated"


def test_ten_newest_shown_the_rest_behind_show_all_and_the_read_is_capped(
    monkeypatch, django_assert_num_queries
):
    subject = f.OrganisationFactory()
    for i in range(13):
        record(actor=None, action="tests.thing.done", subject=subject, data={"reason": str(i)})
    whole = tl.timeline_for(subjects=subject, audience=tl.Audience.STAFF, labels=LABELS)
    assert [e.summary for e in whole.recent] == [str(i) for i in range(12, 2, -1)]
    assert [e.summary for e in whole.older] == ["2", "1", "0"]
    assert not whole.truncated

    monkeypatch.setattr(tl, "CAP", 5)
    with django_assert_num_queries(2):  # events, e-mails: whatever the history's length
        capped = tl.timeline_for(subjects=subject, audience=tl.Audience.STAFF, labels=LABELS)
    assert len(capped) == 5 and capped.truncated
    everything = tl.timeline_for(
        subjects=[subject], audience=tl.Audience.STAFF, labels=LABELS, everything=True
    )
    assert len(everything) == 13 and not everything.truncated


def test_several_subjects_make_one_timeline():
    one, two, three = (f.OrganisationFactory() for _ in range(3))
    for subject in (one, two, three):
        record(actor=None, action="tests.thing.done", subject=subject)
    both = tl.timeline_for(subjects=[one, two], audience=tl.Audience.STAFF, labels=LABELS)
    assert len(both) == 2


def test_the_audience_is_staff_only_for_the_partnerships_in_charge_and_the_support_office():
    staff = f.PartnershipStaffFactory()
    support = f.UserFactory(is_support_office=True)
    applicant = f.UserFactory()
    mine, other = staff.partnership_id, f.PartnershipFactory().pk
    assert tl.audience_for(staff.user, partnership_ids=[mine]) == tl.Audience.STAFF
    assert tl.audience_for(staff.user, partnership_ids=[other]) == tl.Audience.APPLICANT
    assert tl.audience_for(staff.user) == tl.Audience.STAFF
    assert tl.audience_for(support, partnership_ids=[other]) == tl.Audience.STAFF
    assert tl.audience_for(applicant) == tl.Audience.APPLICANT


def test_an_applicants_profile_history_holds_no_staff_address_and_staff_see_it(
    client, django_capture_on_commit_callbacks
):
    """Issue 8, point 9, on the profile page: the rejection's author and the e-mail's
    recipient are shown to staff only; the representative reads the decision and its
    reason."""
    staff = f.PartnershipStaffFactory()
    f.give_totp(staff.user)
    org, _ = draft_sme(status=S.SUBMITTED, validating_partnership=staff.partnership)
    applicant = org.representatives.get().user
    with django_capture_on_commit_callbacks(execute=True):
        organisation_reject(actor=staff.user, organisation=org, reason="The VAT number is wrong")
    url = reverse("organisations:detail", args=[org.pk])

    client.force_login(staff.user)
    staff_timeline = client.get(url).content.decode().split('id="timeline"')[1]
    assert staff.user.email in staff_timeline and applicant.email in staff_timeline

    client.force_login(applicant)
    html = client.get(url).content.decode()
    assert "Rejected" in html and "The VAT number is wrong" in html
    assert staff.user.email not in html
    timeline = html.split('id="timeline"')[1]
    assert "An e-mail was sent to you" in timeline and applicant.email not in timeline
