"""The demo step: a realistic, idempotent spread of organisations."""

from datetime import date

import pytest

from cxc_portal.core.demo import SeedContext
from cxc_portal.demo import users
from organisations import demo
from organisations.choices import OrganisationType, ProfileStatus, ScaleupSubtype
from organisations.models import EasmePreApproval, Organisation, Representative
from organisations.selectors import eligibility_queryset, organisation_eligibility_map
from partnerships.demo import seed_partnerships

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)


@pytest.fixture
def seeded():
    ctx = SeedContext(today=TODAY, log=lambda text: None)
    users.seed(ctx)
    seed_partnerships(ctx)
    demo.seed(ctx)
    return ctx


def test_the_demo_covers_every_type_subtype_status_and_eight_countries(seeded):
    orgs = Organisation.objects.all()
    assert 20 <= orgs.count() <= 35
    assert set(orgs.values_list("org_type", flat=True)) == set(OrganisationType.values)
    assert set(orgs.exclude(scaleup_subtype="").values_list("scaleup_subtype", flat=True)) == set(
        ScaleupSubtype.values
    )
    assert set(orgs.values_list("status", flat=True)) == set(ProfileStatus.values)
    assert orgs.values("country").distinct().count() >= 8
    assert not orgs.filter(latitude__isnull=True).exists()
    assert not orgs.filter(ecosystems__isnull=True).exists()
    assert Representative.objects.filter(status="active").count() == orgs.count()
    assert any(login.note for login in seeded.logins)


def test_the_demo_has_the_interesting_cases(seeded):
    verdicts = organisation_eligibility_map(list(eligibility_queryset()), today=TODAY)
    by_name = {o.legal_name: verdicts[o.pk] for o in Organisation.objects.all()}
    network_only = by_name["Lisbon Cork Design Lda"]
    assert not network_only.visitor.allowed and not network_only.host.allowed
    easme = by_name["Valencia Ceramics SL"]
    assert easme.host.allowed and not easme.visitor.allowed
    assert EasmePreApproval.objects.filter(organisation__legal_name="Valencia Ceramics SL").exists()
    authority = by_name["City of Split — Development Department"]
    assert authority.host.allowed
    assert by_name["Douro Smart Farming Lda"].visitor.allowed


def test_the_demo_is_idempotent(seeded):
    counts = (Organisation.objects.count(), Representative.objects.count())
    ctx = SeedContext(today=TODAY, log=lambda text: None)
    demo.seed(ctx)
    assert (Organisation.objects.count(), Representative.objects.count()) == counts
