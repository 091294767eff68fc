"""Services of expressions of interest (R-PART-2) and matches (R-MATCH-1, R-MATCH-2)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from cxc_portal.audit.selectors import audit_event_list_for
from cxc_portal.notifications.models import Notification
from organisations.choices import OrganisationType
from organisations.models import RepresentativeStatus
from partnerships import services
from partnerships.models import ExpressionOfInterest, InterestStatus, Match, MatchStatus
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def submit(actor, organisation, partnership, role="visitor", **kw):
    kw.setdefault("objectives", "Learn how clusters abroad run open innovation.")
    kw.setdefault("today", TODAY)
    return services.interest_submit(
        actor=actor, organisation=organisation, partnership=partnership, role=role, **kw
    )


def actions(subject):
    return [e.action for e in audit_event_list_for(subject=subject)]


# --- interest_submit -----------------------------------------------------------------------------


def test_r_part_2_submit_creates_an_audited_interest_and_notifies_contact_and_staff(
    django_capture_on_commit_callbacks,
):
    p = f.PartnershipFactory(contact_email="contact@p.example.org")
    staff = pf.staff_of(p)
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    eco = pf.ecosystems("digital")
    with django_capture_on_commit_callbacks(execute=True):
        interest = submit(
            user,
            organisation,
            p,
            activity_types=["networking", "market_research"],
            preferred_countries=["PT", "ES"],
            ecosystems=eco,
            period_from=TODAY + timedelta(days=30),
            period_until=TODAY + timedelta(days=90),
        )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SUBMITTED
    assert interest.submitted_by == user
    assert interest.activity_types == ["market_research", "networking"]
    assert [c.code for c in interest.preferred_countries] == ["ES", "PT"]
    assert list(interest.ecosystems.all()) == eco
    assert actions(interest) == ["partnerships.interest.submitted"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["contact@p.example.org", staff.email])
    assert organisation.legal_name in mail.outbox[0].subject


def test_r_part_2_submit_refused_for_an_organisation_the_user_does_not_represent():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    stranger = f.UserFactory()
    pending = f.RepresentativeFactory(
        organisation=organisation, status=RepresentativeStatus.PENDING
    ).user
    for user in (stranger, pending):
        with pytest.raises(PermissionDenied, match="do not represent"):
            submit(user, organisation, p)
    assert not ExpressionOfInterest.objects.exists()


def test_r_elig_3_submit_refused_for_a_role_the_engine_does_not_allow():
    """A large company may host (as cluster member) but never visit (R-ELIG-2)."""
    p = f.PartnershipFactory()
    company = pf.org("BE", org_type=OrganisationType.LARGE_COMPANY, size="large")
    f.ClusterMembershipFactory(member=company, cluster=pf.org("BE"))
    user = pf.representative_of(company)
    with pytest.raises(ValidationError) as exc:
        submit(user, company, p, role="visitor")
    assert "may not take part as visitor" in exc.value.message_dict["role"][0]
    assert "R-ELIG-2" in exc.value.message_dict["role"][0]
    assert not ExpressionOfInterest.objects.exists()
    # The same organisation may express interest as host.
    assert submit(user, company, p, role="host").role == "host"


def test_r_elig_4_sme_without_cluster_membership_cannot_express_interest():
    p = f.PartnershipFactory()
    sme = pf.org("BE", org_type=OrganisationType.SME)
    user = pf.representative_of(sme)
    with pytest.raises(ValidationError, match="R-ELIG-4"):
        submit(user, sme, p, role="visitor")


def test_r_elig_5_submit_refused_while_the_profile_is_not_validated():
    p = f.PartnershipFactory()
    organisation = pf.org("BE", status="submitted")
    user = pf.representative_of(organisation)
    with pytest.raises(ValidationError, match="must be validated"):
        submit(user, organisation, p)
    assert not ExpressionOfInterest.objects.exists()


def test_r_part_2_duplicate_active_interest_for_same_role_and_partnership_is_refused():
    p = f.PartnershipFactory(acronym="DUP")
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    submit(user, organisation, p)
    with pytest.raises(ValidationError) as exc:
        submit(user, organisation, p)
    assert "already has an expression of interest as visitor with DUP" in str(exc.value)
    assert ExpressionOfInterest.objects.count() == 1
    # Another role, or another partnership, is fine.
    submit(user, organisation, p, role="host")
    submit(user, organisation, f.PartnershipFactory())
    assert ExpressionOfInterest.objects.count() == 3


def test_r_part_2_a_declined_or_withdrawn_interest_does_not_block_a_new_one():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    pf.interest(organisation, p, status=InterestStatus.DECLINED)
    pf.interest(organisation, p, status=InterestStatus.WITHDRAWN)
    assert submit(user, organisation, p).status == InterestStatus.SUBMITTED


def test_submit_refuses_bad_input_with_field_messages():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    cases = [
        ({"objectives": "   "}, "objectives", "Describe the objectives"),
        ({"activity_types": ["sightseeing"]}, "activity_types", "Unknown activity type"),
        ({"preferred_countries": ["US"]}, "preferred_countries", "not a COSME participating"),
        ({"period_from": TODAY - timedelta(days=1)}, "period_from", "cannot start in the past"),
        (
            {"period_from": TODAY + timedelta(days=9), "period_until": TODAY + timedelta(days=2)},
            "period_until",
            "must end after it starts",
        ),
    ]
    for kwargs, field, text in cases:
        with pytest.raises(ValidationError) as exc:
            submit(user, organisation, p, **kwargs)
        assert text in exc.value.message_dict[field][0]
    assert not ExpressionOfInterest.objects.exists()


def test_submit_refused_when_the_partnership_has_ended():
    p = f.PartnershipFactory(valid_until=TODAY - timedelta(days=1))
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    with pytest.raises(ValidationError, match="does not accept expressions of interest"):
        submit(user, organisation, p)


# --- interest_accept / decline / withdraw --------------------------------------------------------


def test_r_part_2_staff_of_the_partnership_accept_and_the_applicant_is_told(
    django_capture_on_commit_callbacks,
):
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    applicant = pf.representative_of(organisation)
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    # any staff flag is enough to decide on interests
    staff = pf.staff_of(p, can_validate_profiles=False, can_approve_exchanges=False, can_pay=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_accept(actor=staff, interest=interest, note="Welcome!", today=TODAY)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert interest.decided_by == staff and interest.decided_at
    assert interest.decision_reason == "Welcome!"
    assert actions(interest) == ["partnerships.interest.accepted"]
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "accepted" in mail.outbox[0].subject


def test_r_part_2_only_the_partnership_staff_decide_on_an_interest():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    applicant = pf.representative_of(organisation)
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    other_staff = pf.staff_of(f.PartnershipFactory())
    support = f.UserFactory(is_support_office=True)
    superuser = f.UserFactory(is_superuser=True, is_staff=True)
    for user in (applicant, other_staff, support, superuser, f.UserFactory()):
        with pytest.raises(PermissionDenied, match="Only the staff of"):
            services.interest_accept(actor=user, interest=interest, today=TODAY)
        with pytest.raises(PermissionDenied, match="Only the staff of"):
            services.interest_decline(actor=user, interest=interest, reason="No.")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SUBMITTED
    assert actions(interest) == []


def test_r_part_2_decline_needs_a_reason_and_nothing_is_saved_without_one():
    p = f.PartnershipFactory()
    interest = pf.interest(pf.org("BE"), p, status=InterestStatus.SUBMITTED)
    staff = pf.staff_of(p)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.interest_decline(actor=staff, interest=interest, reason=reason)
        assert "Give the applicant a reason" in exc.value.message_dict["reason"][0]
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SUBMITTED
    assert not Notification.objects.exists()


def test_r_part_2_decline_with_reason_is_audited_and_sent(django_capture_on_commit_callbacks):
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    applicant = pf.representative_of(organisation)
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    staff = pf.staff_of(p)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decline(actor=staff, interest=interest, reason="  Out of scope.  ")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.DECLINED
    assert interest.decision_reason == "Out of scope."
    event = AuditEvent.objects.get(action="partnerships.interest.declined")
    assert event.data == {"reason": "Out of scope."}
    assert mail.outbox[0].to == [applicant.email]
    assert "Out of scope." in mail.outbox[0].body


def test_deciding_twice_is_refused_with_the_current_status():
    p = f.PartnershipFactory()
    interest = pf.interest(pf.org("BE"), p, status=InterestStatus.SUBMITTED)
    staff = pf.staff_of(p)
    services.interest_accept(actor=staff, interest=interest, today=TODAY)
    with pytest.raises(ValidationError, match="already accepted"):
        services.interest_accept(actor=staff, interest=interest, today=TODAY)
    with pytest.raises(ValidationError, match="already accepted"):
        services.interest_decline(actor=staff, interest=interest, reason="Changed my mind")
    assert actions(interest) == ["partnerships.interest.accepted"]


def test_r_elig_11_staff_cannot_accept_a_visitor_that_is_no_longer_eligible():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    f.ExchangeFactory(visitor=organisation)  # the single visit is used
    staff = pf.staff_of(p)
    with pytest.raises(ValidationError, match="single visit"):
        services.interest_accept(actor=staff, interest=interest, today=TODAY)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SUBMITTED


def test_withdraw_by_the_applicant_only_and_audited():
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    applicant = pf.representative_of(organisation)
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.interest_withdraw(actor=pf.staff_of(p), interest=interest)
    services.interest_withdraw(actor=applicant, interest=interest)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN
    assert actions(interest) == ["partnerships.interest.withdrawn"]
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.interest_withdraw(actor=applicant, interest=interest)


def test_withdraw_refused_while_an_open_match_relies_on_the_interest(world):
    services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="1 open match"):
        services.interest_withdraw(actor=world.visitor_user, interest=world.visitor_interest)
    with pytest.raises(ValidationError, match="1 open match"):
        services.interest_withdraw(actor=world.host_user, interest=world.host_interest)
    world.visitor_interest.refresh_from_db()
    assert world.visitor_interest.status == InterestStatus.ACCEPTED


def test_withdraw_refused_while_a_confirmed_match_relies_on_it_with_an_honest_message(world):
    """A confirmed match cannot be withdrawn or declined: the message must not suggest it."""
    match = services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=TODAY,
    )
    services.match_accept(actor=world.host_user, match=match, today=TODAY)
    for user, interest in (
        (world.visitor_user, world.visitor_interest),
        (world.host_user, world.host_interest),
    ):
        with pytest.raises(ValidationError) as exc:
            services.interest_withdraw(actor=user, interest=interest)
        assert "A confirmed match relies on this expression of interest" in str(exc.value)
        assert "withdraw or decline them" not in str(exc.value)
        interest.refresh_from_db()
        assert interest.status == InterestStatus.ACCEPTED


# --- match_propose -------------------------------------------------------------------------------


def test_r_match_1_visitor_proposes_with_vop_hop_score_and_parts(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=world.host,
            message="Shall we?",
            today=TODAY,
        )
    assert match.status == MatchStatus.PROPOSED
    assert (match.visitor, match.host) == (world.visitor, world.host)
    assert (match.vop, match.hop) == (world.vop, world.hop)
    assert match.visitor_interest == world.visitor_interest
    assert match.host_interest == world.host_interest
    assert match.proposed_by_role == "visitor" and match.proposed_by == world.visitor_user
    # ecosystems 30 (digital), activities 20 (networking), countries 10 + 5
    assert match.score == 65
    assert {p["key"]: p["points"] for p in match.score_parts["parts"]} == {
        "ecosystems": 30.0,
        "sectors": 0.0,
        "keywords": 0.0,
        "activities": 20.0,
        "countries": 15.0,
    }
    assert actions(match) == ["partnerships.match.proposed"]
    assert [m.to for m in mail.outbox] == [[world.host_user.email]]
    assert "would like to visit you" in mail.outbox[0].subject


def test_r_match_1_host_proposes_to_a_visitor():
    hop = f.PartnershipFactory()
    vop = f.PartnershipFactory()
    host = pf.org("PT")
    visitor = pf.org("BE")
    host_user = pf.representative_of(host)
    host_interest = pf.interest(host, hop, "host")
    visitor_interest = pf.interest(visitor, vop, "visitor")
    match = services.match_propose(
        actor=host_user, interest=host_interest, counterpart=visitor, today=TODAY
    )
    assert (match.vop, match.hop) == (vop, hop)
    assert match.visitor_interest == visitor_interest
    assert match.proposed_by_role == "host"


def test_hop_prefers_the_hosts_interest_with_the_vops_partnership_else_the_most_recent():
    vop = f.PartnershipFactory()
    other = f.PartnershipFactory()
    visitor, host = pf.org("BE"), pf.org("PT")
    user = pf.representative_of(visitor)
    v_interest = pf.interest(visitor, vop, "visitor")
    pf.interest(host, other, "host")
    same = pf.interest(host, vop, "host")
    match = services.match_propose(actor=user, interest=v_interest, counterpart=host, today=TODAY)
    assert match.hop == vop and match.host_interest == same


def test_hop_falls_back_to_the_hosts_validating_partnership_without_host_interest():
    vop = f.PartnershipFactory()
    visitor = pf.org("BE")
    host = pf.org("PT")
    user = pf.representative_of(visitor)
    v_interest = pf.interest(visitor, vop, "visitor")
    pf.interest(host, vop, "host", status=InterestStatus.SUBMITTED)  # not accepted: ignored
    match = services.match_propose(actor=user, interest=v_interest, counterpart=host, today=TODAY)
    assert match.host_interest is None
    assert match.hop == host.validating_partnership


def test_vop_and_hop_may_be_the_same_partnership():
    p = f.PartnershipFactory()
    visitor, host = pf.org("BE"), pf.org("PT")
    user = pf.representative_of(visitor)
    v_interest = pf.interest(visitor, p, "visitor")
    pf.interest(host, p, "host")
    match = services.match_propose(actor=user, interest=v_interest, counterpart=host, today=TODAY)
    assert match.vop == match.hop == p


def test_r_match_1_a_match_may_be_proposed_at_a_very_low_score():
    p = f.PartnershipFactory()
    visitor, host = pf.org("BE"), pf.org("PT")
    user = pf.representative_of(visitor)
    v_interest = pf.interest(visitor, p, "visitor", activity_types=[])
    match = services.match_propose(actor=user, interest=v_interest, counterpart=host, today=TODAY)
    assert match.score == 0
    assert match.score_parts["blockers"] == []


def test_propose_to_oneself_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError, match="your own organisation"):
        services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=world.visitor,
            today=TODAY,
        )
    assert not Match.objects.exists()


def test_r_exc_1_propose_to_a_same_country_organisation_is_refused(world):
    neighbour = pf.org("BE", legal_name="Antwerp Cluster")
    with pytest.raises(ValidationError) as exc:
        services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=neighbour,
            today=TODAY,
        )
    assert "Antwerp Cluster is in the same country" in exc.value.messages[0]
    assert "R-EXC-1" in exc.value.messages[0]
    assert not Match.objects.exists()


def test_r_elig_3_propose_to_an_ineligible_host_is_refused_with_the_engine_reason(world):
    sme = pf.org("FR", org_type=OrganisationType.SME, legal_name="Lonely SME")
    with pytest.raises(ValidationError) as exc:
        services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=sme,
            today=TODAY,
        )
    assert "Lonely SME may not host" in exc.value.messages[0]
    assert not Match.objects.exists()


def test_r_elig_5_propose_to_a_profile_not_validated_is_refused(world):
    draft = pf.org("FR", status="draft")
    with pytest.raises(ValidationError, match="not validated"):
        services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=draft,
            today=TODAY,
        )


def test_host_cannot_propose_to_a_visitor_without_accepted_visitor_interest(world):
    lone = pf.org("FR", legal_name="Lyon Cluster")
    with pytest.raises(ValidationError, match="Lyon Cluster has no accepted expression"):
        services.match_propose(
            actor=world.host_user, interest=world.host_interest, counterpart=lone, today=TODAY
        )


def test_propose_needs_an_accepted_interest_and_a_representative_or_its_partnership(world):
    """The VOP's staff may propose for the visitor (issue 14): see test_matching_issue14."""
    submitted = pf.interest(world.visitor, f.PartnershipFactory(), status=InterestStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="must be accepted"):
        services.match_propose(
            actor=world.visitor_user, interest=submitted, counterpart=world.host, today=TODAY
        )
    for user in (world.host_user, world.hop_staff, f.UserFactory()):
        with pytest.raises(PermissionDenied):
            services.match_propose(
                actor=user, interest=world.visitor_interest, counterpart=world.host, today=TODAY
            )
    assert not Match.objects.exists()


def test_one_open_match_per_pair(world):
    services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="already have a proposed match"):
        services.match_propose(
            actor=world.host_user,
            interest=world.host_interest,
            counterpart=world.visitor,
            today=TODAY,
        )
    assert Match.objects.count() == 1


# --- match_accept / decline / withdraw -----------------------------------------------------------


@pytest.fixture
def proposed(world):
    return services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=TODAY,
    )


def test_r_match_2_the_other_side_confirms_and_proposer_and_staff_are_told(
    world, proposed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_accept(actor=world.host_user, match=proposed, today=TODAY)
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.ACCEPTED
    assert proposed.decided_by == world.host_user
    assert actions(proposed) == ["partnerships.match.proposed", "partnerships.match.accepted"]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [world.visitor_user.email, world.vop_staff.email, world.hop_staff.email]
    )


def test_r_match_2_only_the_other_side_answers(world, proposed):
    for user in (world.visitor_user, world.vop_staff, world.hop_staff, f.UserFactory()):
        with pytest.raises(PermissionDenied, match="Only a representative of the host"):
            services.match_accept(actor=user, match=proposed, today=TODAY)
        with pytest.raises(PermissionDenied, match="Only a representative of the host"):
            services.match_decline(actor=user, match=proposed, reason="No")
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.PROPOSED


def test_match_decline_needs_a_reason(world, proposed, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as exc:
        services.match_decline(actor=world.host_user, match=proposed, reason=" ")
    assert "why you decline" in exc.value.message_dict["reason"][0]
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.match_decline(actor=world.host_user, match=proposed, reason="Fully booked.")
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.DECLINED
    assert proposed.decision_reason == "Fully booked."
    assert world.visitor_user.email in [m.to[0] for m in mail.outbox]


def test_match_withdraw_by_the_proposer_while_proposed(world, proposed):
    for user in (world.host_user, world.vop_staff):
        with pytest.raises(PermissionDenied, match="proposed this match"):
            services.match_withdraw(actor=user, match=proposed)
    services.match_withdraw(actor=world.visitor_user, match=proposed)
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.match_withdraw(actor=world.visitor_user, match=proposed)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.match_accept(actor=world.host_user, match=proposed, today=TODAY)


def test_r_elig_11_a_visitor_confirms_one_match_only_and_its_other_proposals_close(world, proposed):
    second_host = pf.org("ES", legal_name="Madrid Cluster")
    second_user = pf.representative_of(second_host)
    other = services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=second_host,
        today=TODAY,
    )
    services.match_accept(actor=world.host_user, match=proposed, today=TODAY)
    other.refresh_from_db()
    assert other.status == MatchStatus.WITHDRAWN
    assert "confirmed a match with Porto Cluster" in other.decision_reason
    assert "partnerships.match.withdrawn" in actions(other)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.match_accept(actor=second_user, match=other, today=TODAY)
    # Even a proposal that slipped in (e.g. written by a concurrent request) cannot be accepted.
    Match.objects.filter(pk=other.pk).update(status=MatchStatus.PROPOSED)
    with pytest.raises(ValidationError, match="visits only once"):
        services.match_accept(actor=second_user, match=other, today=TODAY)
    third = pf.org("FR")
    with pytest.raises(ValidationError, match="already confirmed a match with Porto Cluster"):
        services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=third,
            today=TODAY,
        )


def test_r_elig_11_accept_rechecks_eligibility(world, proposed):
    f.ExchangeFactory(visitor=world.visitor)  # visit used elsewhere meanwhile
    with pytest.raises(ValidationError, match="may not visit"):
        services.match_accept(actor=world.host_user, match=proposed, today=TODAY)
    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.PROPOSED


def test_host_proposal_is_accepted_by_the_visitor(world):
    match = services.match_propose(
        actor=world.host_user,
        interest=world.host_interest,
        counterpart=world.visitor,
        today=TODAY,
    )
    with pytest.raises(PermissionDenied, match="representative of the visitor"):
        services.match_accept(actor=world.host_user, match=match, today=TODAY)
    services.match_accept(actor=world.visitor_user, match=match, today=TODAY)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
