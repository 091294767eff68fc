"""The dated-period base (cxc_portal.core.periods): "valid on a day" computed one way, in the
database and in Python, bounds included; the friendly refusals before the database's own."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organisations.models import ParticipatingCountry
from partnerships.models import Partnership
from tests import factories as f

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
END = date(2026, 6, 30)


@pytest.fixture
def closed():
    return f.PartnershipFactory(acronym="CLOSED", valid_from=START, valid_until=END)


@pytest.fixture
def open_ended():
    return f.PartnershipFactory(acronym="OPEN", valid_from=START, valid_until=None)


def _valid_on(day: date) -> set[str]:
    return set(Partnership.objects.valid_on(day).values_list("acronym", flat=True))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (START - timedelta(days=1), set()),  # the day before it starts
        (START, {"CLOSED", "OPEN"}),  # the first day is included
        (END, {"CLOSED", "OPEN"}),  # the last day is included
        (END + timedelta(days=1), {"OPEN"}),  # the day after: only the open-ended one
        (date(2099, 1, 1), {"OPEN"}),  # open-ended: until further notice
    ],
)
def test_valid_on_includes_both_bounds_in_the_database_and_in_python(
    closed, open_ended, day, expected
):
    assert _valid_on(day) == expected
    assert {p.acronym for p in (closed, open_ended) if p.is_valid_on(day)} == expected


def test_overlapping_finds_rows_sharing_at_least_one_day(closed, open_ended):
    def overlapping(start, end):
        return set(Partnership.objects.overlapping(start, end).values_list("acronym", flat=True))

    assert overlapping(date(2025, 1, 1), START - timedelta(days=1)) == set()
    assert overlapping(date(2025, 1, 1), START) == {"CLOSED", "OPEN"}
    assert overlapping(END + timedelta(days=1), None) == {"OPEN"}
    assert overlapping(END, END) == {"CLOSED", "OPEN"}


def test_period_refusals_and_clean_refuse_an_end_before_the_start():
    p = f.PartnershipFactory.build(valid_from=END, valid_until=START)
    assert set(p.period_refusals()) == {"valid_until"}
    with pytest.raises(ValidationError) as error:
        p.clean()
    assert "valid_until" in error.value.message_dict
    p.valid_until = END  # a one-day period is ordered
    assert p.period_refusals() == {}
    p.clean()


def test_period_refusals_are_empty_without_a_start_so_the_field_error_stands_alone():
    assert Partnership(valid_from=None, valid_until=START).period_refusals() == {}


def test_the_database_refuses_a_disordered_period_too():
    """period_ordered_constraint: the check stands even when a service forgets clean()."""
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PartnershipFactory(valid_from=END, valid_until=START)
    row = ParticipatingCountry.objects.get(country="BE")
    row.valid_until = row.valid_from - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_period_refusals_name_the_overlapping_sibling_of_the_same_partition(closed):
    """The overlap message names the sibling's dates; a partition of Partnership by slug is
    enough to exercise it (rows of another slug never collide)."""

    class Partitioned(Partnership):
        period_partition = ("slug",)

        class Meta:
            proxy = True
            app_label = "partnerships"

    twin = Partitioned(slug=closed.slug, valid_from=END, valid_until=None)
    errors = twin.period_refusals()
    assert set(errors) == {"valid_from"}
    assert "1 Jan 2026" in errors["valid_from"] and "30 Jun 2026" in errors["valid_from"]
    with pytest.raises(ValidationError):
        twin.clean()
    twin.valid_from = END + timedelta(days=1)  # starts the day after: no overlap
    assert twin.period_refusals() == {}
    other = Partitioned(slug="another", valid_from=START, valid_until=END)
    assert other.period_refusals() == {}
    saved = Partitioned.objects.get(pk=closed.pk)
    assert saved.period_refusals() == {}  # a row never overlaps itself
