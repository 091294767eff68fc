"""Issue 14, matching: the visitor's stated preferences shape the ranking and show in "why this
score" (R-MATCH-1); staff of the interest's partnership propose on the organisation's behalf
while the other side still accepts (R-MATCH-2); the catalogue does not repeat the best list."""

from fractions import Fraction

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from partnerships import permissions, services
from partnerships.matching import WEIGHTS, MatchProfile, affinity
from partnerships.models import Match, MatchStatus
from partnerships.selectors import matching_for_interest
from tests import factories as f
from tests.partnerships import factories as pf
from tests.partnerships.factories import FUTURE

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def matching_url(interest):
    return reverse("partnerships:matching", kwargs={"pk": interest.pk})


def propose_url(interest, org):
    return reverse("partnerships:match_propose", kwargs={"pk": interest.pk, "org_pk": org.pk})


# --- the stated preferences lead (R-MATCH-1) -----------------------------------------------------


def test_r_match_1_stated_ecosystems_replace_the_profiles_in_the_ecosystems_part():
    """The visitor's profile says agri-food and digital; its interest asks for agri-food: a
    digital-only host no longer earns the ecosystems part, an agri-food host earns all of it."""
    sme = MatchProfile(
        organisation_id=1,
        name="SME",
        country="PT",
        ecosystems=frozenset({"agri-food", "digital"}),
        stated_ecosystems=frozenset({"agri-food"}),
        preferred_countries=frozenset({"ES", "IT"}),
    )
    digital = MatchProfile(
        organisation_id=2, name="Hub", country="FI", ecosystems=frozenset({"digital"})
    )
    agri = MatchProfile(
        organisation_id=3, name="Agri", country="ES", ecosystems=frozenset({"agri-food", "retail"})
    )
    parts = {p.key: p for p in affinity(sme, digital).parts}
    assert parts["ecosystems"].points == 0
    assert parts["ecosystems"].stated == ("agri-food",)
    assert parts["countries"].points == 0 and parts["countries"].stated == ("ES", "IT")
    parts = {p.key: p for p in affinity(sme, agri).parts}
    assert parts["ecosystems"].points == WEIGHTS["ecosystems"]
    assert parts["countries"].points == 10 and parts["countries"].shared == ("ES",)
    # the overlap of the stated ones with the host's: one of two shared, min size 2 → half
    both = MatchProfile(
        **{**sme.__dict__, "stated_ecosystems": frozenset({"agri-food", "mobility"})}
    )
    assert {p.key: p for p in affinity(both, agri).parts}["ecosystems"].points == Fraction(15)
    # without a stated wish, the profiles are compared as before (overlap coefficient)
    plain = MatchProfile(**{**sme.__dict__, "stated_ecosystems": frozenset()})
    assert {p.key: p for p in affinity(plain, digital).parts}["ecosystems"].points == 30


@pytest.fixture
def portuguese_sme():
    """Issue 14's applicant: a Portuguese agri-food SME (digital too, by its profile) whose
    accepted interest asks for Spain and Italy and for agri-food; the hosts it was offered."""
    vop = f.PartnershipFactory(acronym="AGRI")
    sme = f.sme_member(
        country="PT", legal_name="Minho Agri SME", validating_partnership=vop, **pf.PORTO
    )
    sme.ecosystems.set(pf.ecosystems("agri-food", "digital"))
    sme.keywords = ["iot", "sensors"]
    sme.save(update_fields=["keywords"])
    interest = pf.interest(
        sme,
        vop,
        "visitor",
        preferred_countries=["ES", "IT"],
        activity_types=["knowledge_sharing", "networking"],
    )
    interest.ecosystems.set(pf.ecosystems("agri-food"))
    hosts = {}
    for key, country, name, eco in [
        ("fi", "FI", "Oulu Digital Innovation Hub", ("digital",)),
        ("es1", "ES", "Valencia Agri-Food Cluster", ("agri-food", "retail")),
        ("es2", "ES", "Murcia Food Network Cluster", ("agri-food", "tourism", "retail")),
        ("it", "IT", "Parma Food Valley Cluster", ("agri-food",)),
    ]:
        org = pf.org(country, legal_name=name, keywords=["iot"] if key == "fi" else ["olive oil"])
        org.ecosystems.set(pf.ecosystems(*eco))
        hosts[key] = org
    return sme, interest, hosts


def test_r_match_1_a_portuguese_agri_food_sme_that_chose_spain_and_italy_gets_them_first(
    portuguese_sme,
):
    """Issue 14: the Finnish digital hub came first and the Spanish hosts last. Now the
    Spanish and Italian agri-food hosts rank above it."""
    sme, interest, hosts = portuguese_sme
    result = matching_for_interest(interest=interest, today=FUTURE)
    order = [c.organisation.legal_name for c in result.candidates]
    finnish = order.index(hosts["fi"].legal_name)
    for key in ("es1", "es2", "it"):
        assert order.index(hosts[key].legal_name) < finnish
    mine = [name for name in order if name in {h.legal_name for h in hosts.values()}]
    assert mine[-1] == hosts["fi"].legal_name
    finnish_parts = {p.key: p for p in result.candidates[finnish].affinity.parts}
    assert finnish_parts["ecosystems"].points == 0  # digital is in its profile, not its wish


def test_r_match_1_why_this_score_shows_what_the_interest_asked_for(client, portuguese_sme):
    sme, interest, hosts = portuguese_sme
    login(client, pf.representative_of(sme))
    html = client.get(matching_url(interest)).content.decode()
    best = html.split('id="best-title"')[1].split('id="catalogue-title"')[0]
    assert best.index("Valencia Agri-Food Cluster") < best.index("Oulu Digital Innovation Hub")
    assert 'data-stated="countries"' in best
    assert "The visitor's expression of interest asks for: Spain, Italy" in best
    assert "The visitor's expression of interest asks for: Agri-food" in best


# --- staff propose on the organisation's behalf (R-MATCH-2) --------------------------------------


def test_r_match_2_the_vop_staff_propose_for_the_visitor_and_the_host_still_accepts(
    world, django_capture_on_commit_callbacks
):
    assert permissions.can_propose_from(world.vop_staff, world.visitor_interest)
    assert not permissions.can_propose_from(world.hop_staff, world.visitor_interest)
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_propose(
            actor=world.vop_staff,
            interest=world.visitor_interest,
            counterpart=world.host,
            message="Our member would like to visit you.",
            today=FUTURE,
        )
    assert (match.proposed_by, match.proposed_by_role) == (world.vop_staff, "visitor")
    assert match.status == MatchStatus.PROPOSED
    event = AuditEvent.objects.get(action="partnerships.match.proposed")
    assert event.actor == world.vop_staff and event.data["on_behalf"] is True
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.host_user.email, world.visitor_user.email])
    told = next(m for m in mail.outbox if m.to == [world.visitor_user.email])
    assert "on your behalf" in told.body
    # R-MATCH-2: the other side confirms; the staff cannot answer for it
    assert permissions.can_answer_match(world.host_user, match)
    assert not permissions.can_answer_match(world.vop_staff, match)
    services.match_accept(actor=world.host_user, match=match)
    assert Match.objects.get().status == MatchStatus.ACCEPTED


def test_r_match_2_a_representatives_own_proposal_is_not_on_behalf(world):
    services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=FUTURE,
    )
    assert AuditEvent.objects.get(action="partnerships.match.proposed").data["on_behalf"] is False


def test_r_match_2_staff_propose_through_the_page(client, world):
    login(client, world.vop_staff)
    url = propose_url(world.visitor_interest, world.host)
    page = client.get(url).content.decode()
    assert "data-on-behalf" in page and "You propose this match for Brussels Cluster" in page
    response = client.post(url, {"message": "From the partnership."})
    match = Match.objects.get()
    assert response["Location"] == reverse("partnerships:match_detail", kwargs={"pk": match.pk})
    assert match.proposed_by == world.vop_staff


def test_r_match_2_staff_of_a_partnership_not_in_charge_may_not_propose(world):
    with pytest.raises(PermissionDenied):
        services.match_propose(
            actor=world.hop_staff,
            interest=world.visitor_interest,
            counterpart=world.host,
            today=FUTURE,
        )
    assert not Match.objects.exists()


# --- the catalogue does not repeat the best (R-MATCH-2) ------------------------------------------


def test_r_match_2_the_catalogue_leaves_out_the_best_list_until_a_search(client, world):
    other = pf.org("FR", legal_name="Lyon Cluster")  # nothing shared: score 0, not in best
    login(client, world.visitor_user)
    html = client.get(matching_url(world.visitor_interest)).content.decode()
    best, catalogue = html.split('id="best-title"')[1].split('id="catalogue-title"')
    assert f'id="candidate-{world.host.pk}"' in best
    assert f'id="candidate-{world.host.pk}"' not in catalogue
    assert f'id="candidate-{other.pk}"' in catalogue
    assert "data-best-left-out" in catalogue
    searched = client.get(matching_url(world.visitor_interest), {"q": "porto"}).content.decode()
    catalogue = searched.split('id="catalogue-title"')[1]
    assert f'id="candidate-{world.host.pk}"' in catalogue
    assert "data-best-left-out" not in catalogue
