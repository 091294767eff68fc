"""factory_boy factories for the core models of every room.

Defaults build a *valid, eligible* world: validated organisations in COSME countries, a cluster
member SME with a membership of a validated cluster, partnerships with staff.
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from cxc_portal.accounts.models import User
from exchanges.models import Activity, Exchange, ExchangeGroup, ExchangeStatus
from organisations.choices import OrganisationSize, OrganisationType, ProfileStatus
from organisations.models import ClusterMembership, Organisation, Representative
from organisations.services import cluster_member_facts_refresh
from partnerships.models import ExpressionOfInterest, InterestStatus, Partnership, PartnershipStaff

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def give_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    acronym = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"p{n}")
    contact_email = factory.Sequence(lambda n: f"p{n}@partnerships.example.org")
    valid_from = date(2022, 1, 1)


class PartnershipStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipStaff

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    can_validate_profiles = True
    can_approve_exchanges = True
    can_pay = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A validated cluster organisation in Belgium, unless told otherwise."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = OrganisationType.CLUSTER
    size = OrganisationSize.SMALL
    country = "BE"
    city_name = "Brussels"
    latitude = Decimal("50.85045")
    longitude = Decimal("4.34878")
    status = ProfileStatus.VALIDATED
    validating_partnership = factory.SubFactory(PartnershipFactory)


class ClusterMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    member = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.SME)
    cluster = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.CLUSTER)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # R-ELIG-4: keep the member's fact as the services do when they set memberships.
        membership = super()._create(model_class, *args, **kwargs)
        cluster_member_facts_refresh(member_ids=[membership.member_id])
        membership.member.refresh_from_db(fields=["in_validated_cluster"])
        return membership


def sme_member(**kwargs) -> Organisation:
    """A validated SME that is a member of a validated cluster organisation."""
    cluster_country = kwargs.pop("cluster_country", kwargs.get("country", "BE"))
    sme = OrganisationFactory(org_type=OrganisationType.SME, size=OrganisationSize.SMALL, **kwargs)
    ClusterMembershipFactory(member=sme, cluster=OrganisationFactory(country=cluster_country))
    return sme


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role_title = "Managing director"
    date_of_birth = date(1980, 5, 17)
    nationality = "BE"


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    organisation = factory.SubFactory(OrganisationFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "visitor"
    objectives = "Learn how a foreign cluster runs its open-innovation programme."
    activity_types = ["knowledge_sharing", "networking"]
    status = InterestStatus.ACCEPTED


def _next_monday(start: date) -> date:
    return start + timedelta(days=(7 - start.weekday()) % 7 or 7)


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A physical draft exchange: a Belgian cluster visiting a Portuguese cluster, Mon–Fri."""

    class Meta:
        model = Exchange

    # A year no service ever stamps (``reference_for`` uses the current one): never a collision.
    reference = factory.Sequence(lambda n: f"CXC-2000-{n:06d}")
    visitor = factory.SubFactory(OrganisationFactory, country="BE")
    host = factory.SubFactory(
        OrganisationFactory,
        country="PT",
        city_name="Porto",
        latitude=Decimal("41.14961"),
        longitude=Decimal("-8.61099"),
    )
    vop = factory.SelfAttribute("visitor.validating_partnership")
    hop = factory.SelfAttribute("host.validating_partnership")
    start_date = factory.LazyFunction(lambda: _next_monday(date(2027, 3, 1)))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4))
    objectives = "Explore joint projects on smart manufacturing."
    status = ExchangeStatus.DRAFT


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    exchange = factory.SubFactory(ExchangeFactory)
    date = factory.SelfAttribute("exchange.start_date")
    activity_type = "knowledge_sharing"
    title = factory.Sequence(lambda n: f"Workshop {n}")
    hours = Decimal("6.0")


class ExchangeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeGroup

    name = factory.Sequence(lambda n: f"Mission {n}")
    host = factory.SubFactory(OrganisationFactory, country="PT")
    vop = factory.SubFactory(PartnershipFactory)
    hop = factory.SelfAttribute("host.validating_partnership")
