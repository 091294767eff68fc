"""Helpers of the partnerships tests, on top of tests/factories.py."""

from datetime import date
from decimal import Decimal

from organisations.choices import OrganisationType
from organisations.models import IndustrialEcosystem, Sector
from partnerships.models import InterestStatus
from tests import factories as f


def org(country: str = "BE", **kwargs):
    """A validated cluster organisation (may visit and host) in ``country``."""
    kwargs.setdefault("org_type", OrganisationType.CLUSTER)
    return f.OrganisationFactory(country=country, **kwargs)


def representative_of(organisation, **kwargs):
    """An active, adult representative (a logged-in applicant for ``organisation``)."""
    nationality = kwargs.pop("nationality", str(organisation.country.code))
    return f.RepresentativeFactory(
        organisation=organisation, nationality=nationality, **kwargs
    ).user


def staff_of(partnership, **flags):
    staff = f.PartnershipStaffFactory(partnership=partnership, **flags)
    f.give_totp(staff.user)
    return staff.user


def interest(organisation, partnership, role="visitor", status=InterestStatus.ACCEPTED, **kw):
    return f.ExpressionOfInterestFactory(
        organisation=organisation, partnership=partnership, role=role, status=status, **kw
    )


def ecosystems(*codes):
    return list(IndustrialEcosystem.objects.filter(code__in=codes))


def sectors(*codes):
    return list(Sector.objects.filter(code__in=codes))


PORTO = {"city_name": "Porto", "latitude": Decimal("41.14961"), "longitude": Decimal("-8.61099")}
FUTURE = date(2027, 3, 1)
