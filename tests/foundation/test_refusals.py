"""The kernel's one refusal type and the one helper that puts refusals onto forms."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from cxc_portal.core.refusals import Refusal, apply_errors, raise_if_refused
from organisations.eligibility import Reason
from partnerships.matching import MatchProfile, affinity


class DatesForm(forms.Form):
    start_date = forms.CharField()
    end_date = forms.CharField()


class SignatoryForm(forms.Form):
    nationality = forms.CharField()


def _bound(form_class, **data):
    form = form_class(data=data)
    assert form.is_valid()
    return form


def test_raise_if_refused_keys_each_refusal_by_its_field_and_passes_when_none():
    raise_if_refused([])
    with pytest.raises(ValidationError) as error:
        raise_if_refused(
            [
                Refusal("R-EXC-3", "Too short.", "end_date"),
                Refusal("R-EXC-2", "Only a draft."),
                Refusal("R-EXC-3", "Starts on a holiday.", "end_date"),
            ]
        )
    assert error.value.message_dict == {
        "end_date": ["Too short.", "Starts on a holiday."],
        "__all__": ["Only a draft."],
    }


def test_apply_errors_puts_each_message_next_to_its_field_in_whichever_form_has_it():
    dates = _bound(DatesForm, start_date="2027-03-01", end_date="2027-03-02")
    signatory = _bound(SignatoryForm, nationality="XX")
    error = ValidationError(
        {
            "end_date": ["Too short."],
            "nationality": ["Not a participating country."],
            "no_such_field": ["Refused for another reason."],
        }
    )
    apply_errors(error, dates, signatory)
    assert dates.errors["end_date"] == ["Too short."]
    assert signatory.errors["nationality"] == ["Not a participating country."]
    assert dates.non_field_errors() == ["Refused for another reason."]
    assert dates["start_date"].value() == "2027-03-01"  # the input is kept


def test_apply_errors_takes_refusals_and_plain_errors():
    form = _bound(DatesForm, start_date="a", end_date="b")
    apply_errors(
        [Refusal("R-EXC-3", "Too short.", "end_date"), Refusal("R-EXC-2", "Frozen.")], form
    )
    assert form.errors == {"end_date": ["Too short."], "__all__": ["Frozen."]}
    other = _bound(DatesForm, start_date="a", end_date="b")
    apply_errors(ValidationError("Already recorded."), other)
    assert other.non_field_errors() == ["Already recorded."]


def test_eligibility_and_matching_answer_with_the_one_refusal_type():
    """R-ELIG-7, R-EXC-1: an unmet eligibility reason and a matching hard zero are both the
    kernel's ``Refusal`` (rule id, text, field)."""
    unmet = Reason("R-ELIG-7", "Not in a participating country.", met=False)
    assert isinstance(unmet, Refusal) and unmet.field is None and str(unmet) == unmet.text
    pair = affinity(
        MatchProfile(organisation_id=1, name="A", country="BE"),
        MatchProfile(organisation_id=2, name="B", country="BE"),
    )
    (blocker,) = pair.blockers
    assert isinstance(blocker, Refusal) and blocker.rule == "R-EXC-1"
    assert blocker.cited == f"{blocker.text} (R-EXC-1)"
