"""Helpers of the organisations tests, on top of tests/factories.py."""

from __future__ import annotations

from datetime import date

from organisations.choices import OrganisationSize, OrganisationType, ProfileStatus
from organisations.models import City, Organisation, RepresentativeStatus
from tests import factories as f


def gazetteer_city(country: str, name: str) -> City:
    """A city loaded by the gazetteer migration (the test database has them)."""
    return City.objects.get(country=country, name=name)


def represented(user=None, **org_kwargs) -> tuple[Organisation, object]:
    """An organisation (validated cluster by default) and an active representative user."""
    org = f.OrganisationFactory(**org_kwargs)
    rep = f.RepresentativeFactory(organisation=org, **({"user": user} if user is not None else {}))
    return org, rep.user


def draft_sme(**kwargs) -> tuple[Organisation, object]:
    """A draft SME in Gent, member of a validated cluster, with its representative."""
    gent = gazetteer_city("BE", "Gent")
    values = {
        "org_type": OrganisationType.SME,
        "size": OrganisationSize.SMALL,
        "status": ProfileStatus.DRAFT,
        "city": gent,
        "city_name": gent.name,
        "latitude": gent.latitude,
        "longitude": gent.longitude,
        "description": "Sensors for greenhouses.",
        **kwargs,
    }
    org, user = represented(**values)
    f.ClusterMembershipFactory(member=org, cluster=f.OrganisationFactory())
    return org, user


def staff_of(partnership, *, can_validate: bool = True):
    staff = f.PartnershipStaffFactory(partnership=partnership, can_validate_profiles=can_validate)
    f.give_totp(staff.user)
    return staff.user


def profile_post(*, cluster=None, partnership=None, signatory: bool = True, **overrides) -> dict:
    """A complete, valid POST of the create page (profile + the creator's signatory data)."""
    from organisations.models import IndustrialEcosystem, Sector

    gent = gazetteer_city("BE", "Gent")
    data = {
        "legal_name": "Gent Greenhouse Sensors BV",
        "org_type": OrganisationType.SME,
        "scaleup_subtype": "",
        "public_authority_level": "",
        "size": OrganisationSize.SMALL,
        "country": "BE",
        "city_name": "Gent",
        "city": str(gent.pk),
        "latitude": "",
        "longitude": "",
        "address": "Kortrijksesteenweg 1",
        "postcode": "9000",
        "website": "https://sensors.example.be",
        "eccp_profile_url": "",
        "eccp_profile_id": "",
        "description": "Sensors for greenhouses.",
        "ecosystems": [str(IndustrialEcosystem.objects.get(code="agri-food").pk)],
        "sectors": [str(Sector.objects.get(code="C").pk)],
        "keywords": "IoT, horticulture",
        "clusters": [str(cluster.pk)] if cluster is not None else [],
        "validating_partnership": str(partnership.pk) if partnership is not None else "",
    }
    if signatory:
        data.update(
            {
                "signatory-role_title": "CEO",
                "signatory-date_of_birth": "1980-04-02",
                "signatory-nationality": "BE",
                "signatory-residence_permit_since": "",
            }
        )
    data.update(overrides)
    return data


ADULT_BIRTHDAY = date(1980, 4, 2)
ACTIVE = RepresentativeStatus.ACTIVE
