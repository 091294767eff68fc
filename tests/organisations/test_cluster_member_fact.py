"""R-ELIG-4 kept on the row: ``Organisation.in_validated_cluster`` ("member of at least one
validated cluster organisation"), what the Support Office's EASME requests (R-ELIG-6) read from
their partial index. Each path that changes a membership or a cluster organisation's status or
type keeps it, and the queue follows."""

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.choices import OrganisationSize as Size
from organisations.choices import OrganisationType as T
from organisations.choices import ProfileStatus as S
from organisations.models import ClusterMembership, Organisation
from organisations.services import (
    ProfileData,
    cluster_member_facts_refresh,
    organisation_create,
    organisation_update,
    organisation_validate,
)
from organisations.services_changes import organisation_request_change
from organisations.services_representatives import SignatoryData
from tests import factories as f
from tests.organisations.factories import staff_of
from tests.organisations.test_services import profile as sme_profile

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def fact(org: Organisation) -> bool:
    return Organisation.objects.values_list("in_validated_cluster", flat=True).get(pk=org.pk)


def profile(**overrides) -> ProfileData:
    return replace(sme_profile(), description="Sensors for greenhouses.", keywords=(), **overrides)


def easme_count(client) -> int:
    """The count the Support Office's home shows for the EASME requests."""
    queue = client.get(reverse("home")).context["work_queue"]
    return next(s.count for s in queue.sections if s.key == "partnerships.easme_requests")


def test_r_elig_4_the_fact_counts_only_validated_cluster_organisations():
    member = f.OrganisationFactory(org_type=T.SME, size=Size.SMALL)
    network = f.OrganisationFactory(org_type=T.BUSINESS_NETWORK)
    pending = f.OrganisationFactory(org_type=T.CLUSTER, status=S.SUBMITTED)
    ClusterMembership.objects.create(member=member, cluster=network)
    ClusterMembership.objects.create(member=member, cluster=pending)
    assert cluster_member_facts_refresh(member_ids=[member.pk]) == 1
    assert fact(member) is False
    ClusterMembership.objects.create(member=member, cluster=f.OrganisationFactory())
    cluster_member_facts_refresh(member_ids=[member.pk])
    assert fact(member) is True
    assert cluster_member_facts_refresh() == 0  # nothing named, nothing touched


def test_r_elig_4_the_profile_services_keep_the_fact_with_the_memberships():
    user = f.UserFactory()
    cluster = f.OrganisationFactory()
    signatory = SignatoryData(role_title="CEO", nationality="BE", date_of_birth=TODAY.replace(1980))
    org = organisation_create(
        actor=user, profile=profile(clusters=[cluster]), signatory=signatory, today=TODAY
    )
    assert fact(org) is True
    organisation_update(actor=user, organisation=org, profile=profile(clusters=[]), today=TODAY)
    assert fact(org) is False


def test_r_elig_4_and_r_elig_6_a_cluster_sent_back_and_validated_again_moves_its_members(
    support_client,
):
    """A validated cluster organisation's change of type goes back for validation (R-ELIG-5):
    its members stop counting as cluster members — an SME among them that asks to host becomes
    an EASME request — until the partnership validates the cluster again."""
    partnership = f.PartnershipFactory()
    cluster = f.OrganisationFactory(legal_name="Flanders Food", validating_partnership=partnership)
    rep = f.RepresentativeFactory(organisation=cluster, is_signatory=True)
    sme = f.OrganisationFactory(org_type=T.SME, size=Size.SMALL, status=S.SUBMITTED)
    f.ClusterMembershipFactory(member=sme, cluster=cluster)
    f.ExpressionOfInterestFactory(organisation=sme, role="host")
    assert fact(sme) is True
    assert easme_count(support_client) == 0

    outcome = organisation_request_change(
        actor=rep.user,
        organisation=cluster,
        profile=profile(
            legal_name="Flanders Food",
            org_type=T.BUSINESS_NETWORK,
            validating_partnership=partnership,
        ),
        today=TODAY,
    )
    assert outcome.needs_validation
    assert fact(sme) is False
    assert easme_count(support_client) == 1

    # The partnership decides the network is a cluster after all: type and status back.
    Organisation.objects.filter(pk=cluster.pk).update(org_type=T.CLUSTER)
    organisation_validate(actor=staff_of(partnership), organisation=cluster)
    assert fact(sme) is True
    assert easme_count(support_client) == 0


def test_r_elig_4_the_admin_keeps_the_fact_when_it_changes_a_membership(client):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    f.give_totp(admin)
    client.force_login(admin)
    sme = f.OrganisationFactory(org_type=T.SME, size=Size.SMALL)
    other = f.OrganisationFactory(org_type=T.SME, size=Size.SMALL)
    cluster = f.OrganisationFactory()
    response = client.post(
        reverse("admin:organisations_clustermembership_add"),
        {"member": sme.pk, "cluster": cluster.pk},
    )
    assert response.status_code == 302
    assert fact(sme) is True
    membership = ClusterMembership.objects.get(member=sme)
    response = client.post(
        reverse("admin:organisations_clustermembership_change", args=[membership.pk]),
        {"member": other.pk, "cluster": cluster.pk},
    )
    assert response.status_code == 302
    assert (fact(sme), fact(other)) == (False, True)
    response = client.post(
        reverse("admin:organisations_clustermembership_delete", args=[membership.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert fact(other) is False


def test_the_organisation_admin_keeps_the_facts_on_the_row(rf):
    """R-ELIG-4 and R-MATCH-1: the organisation's admin page saves the row, its many-to-many
    fields and the memberships inline outside the services; ``save_related`` then recomputes
    the facts the services keep — the tokens and "member of a validated cluster", its members'
    too when the row is a cluster organisation whose type the admin changed."""
    from types import SimpleNamespace

    from django.contrib import admin

    sme = f.OrganisationFactory(org_type=T.SME, size=Size.SMALL, keywords=["Robots"])
    cluster = f.OrganisationFactory()
    f.ClusterMembershipFactory(member=sme, cluster=cluster)
    Organisation.objects.filter(pk=sme.pk).update(match_tokens=None)
    model_admin = admin.site._registry[Organisation]
    request = rf.post("/")

    def saved(obj):
        return SimpleNamespace(instance=obj, save_m2m=lambda: None)

    model_admin.save_related(request, saved(sme), [], change=True)
    sme.refresh_from_db()
    assert sme.match_tokens == {"c:BE": True, "k:robots": True}

    Organisation.objects.filter(pk=cluster.pk).update(org_type=T.BUSINESS_NETWORK)
    cluster.refresh_from_db()
    model_admin.save_related(request, saved(cluster), [], change=True)
    assert fact(sme) is False
