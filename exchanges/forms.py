"""Input shapes of the exchange pages. Forms parse and label; the rules live in the services
(whose refusals the views attach to these forms' fields)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.dates import STAY_DATES, date_within
from organisations.choices import ActivityType

from .models import AMENDMENT_REASON_MAX, ExchangeMode
from .selectors import organisation_choices, partnership_choices
from .services import BULK_ACTIONS

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.legal_name} ({obj.country.code}) — {obj.get_org_type_display()}"


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.acronym} — {obj.name}"


def _date_field(label, required=True, help_text=""):
    """A day of a stay, of its action plan or of a group: within ``STAY_DATES``."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=help_text,
        validators=[date_within(STAY_DATES)],
    )


def _mode_field():
    return forms.ChoiceField(
        label=_("Mode"),
        choices=ExchangeMode.choices,
        initial=ExchangeMode.PHYSICAL,
        help_text=_("Virtual exchanges follow the same duration rules and get no lump sum."),
    )


class ExchangeCreateForm(forms.Form):
    """Staff encode a draft (R-EXC-6); from a match, the parties are fixed and shown only."""

    visitor = OrganisationChoiceField(
        label=_("Visiting organisation (VO)"), queryset=organisation_choices()
    )
    host = OrganisationChoiceField(
        label=_("Host organisation (HO)"), queryset=organisation_choices()
    )
    vop = PartnershipChoiceField(
        label=_("Visitor's partnership (VOP)"),
        queryset=partnership_choices(),
        help_text=_("Organises the exchange and pays the visitor's lump sum."),
    )
    hop = PartnershipChoiceField(
        label=_("Host's partnership (HOP)"), queryset=partnership_choices()
    )
    mode = _mode_field()
    start_date = _date_field(
        _("First day of the stay"), help_text=_("Travel days are not part of the stay.")
    )
    end_date = _date_field(
        _("Last day of the stay"),
        help_text=_("At least 3 full working days at the host, at most one month."),
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = organisation_choices()
        self.fields["host"].queryset = organisation_choices()
        self.fields["vop"].queryset = partnership_choices()
        self.fields["hop"].queryset = partnership_choices()
        if not settings.CXC_VIRTUAL_EXCHANGES_ENABLED:
            del self.fields["mode"]
        if match is not None:
            # The parties come from the accepted match: shown, not editable (disabled fields
            # ignore posted values).
            for name in ("visitor", "host", "vop", "hop"):
                self.fields[name].disabled = True
                self.fields[name].initial = getattr(match, f"{name}_id")


class ExchangeEditForm(forms.Form):
    """A draft's editable fields: dates and objectives for everyone who may edit; parties and
    mode for staff who may approve exchanges only (``steer=True``), the parties only when the
    exchange was not encoded from a match (``from_match``)."""

    visitor = OrganisationChoiceField(label=_("Visiting organisation (VO)"), queryset=None)
    host = OrganisationChoiceField(label=_("Host organisation (HO)"), queryset=None)
    vop = PartnershipChoiceField(label=_("Visitor's partnership (VOP)"), queryset=None)
    hop = PartnershipChoiceField(label=_("Host's partnership (HOP)"), queryset=None)
    mode = _mode_field()
    start_date = _date_field(
        _("First day of the stay"), help_text=_("Travel days are not part of the stay.")
    )
    end_date = _date_field(
        _("Last day of the stay"),
        help_text=_("At least 3 full working days at the host, at most one month."),
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, steer: bool = False, from_match: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if steer:
            self.fields["visitor"].queryset = organisation_choices()
            self.fields["host"].queryset = organisation_choices()
            self.fields["vop"].queryset = partnership_choices()
            self.fields["hop"].queryset = partnership_choices()
            if from_match:
                # R-EXC-6: the accepted match fixed the parties; shown, not editable.
                for name in ("visitor", "host", "vop", "hop"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Set by the accepted match.")
            if not settings.CXC_VIRTUAL_EXCHANGES_ENABLED and self.initial.get("mode") != (
                ExchangeMode.VIRTUAL
            ):
                del self.fields["mode"]
        else:
            for name in ("visitor", "host", "vop", "hop", "mode"):
                del self.fields[name]


class ActivityForm(forms.Form):
    """One row of the action plan (R-EXC-4, R-EXC-5)."""

    date = _date_field(_("Date"))
    activity_type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    # Bounds (0 < hours ≤ 24, a day ≤ 24 h) are the service's, with its messages.
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_extra = forms.BooleanField(
        label=_("Extra activity"),
        required=False,
        help_text=_(
            "An activity beyond the agreed programme: it counts towards the 24 hours once the "
            "Support Office approves it."
        ),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the parties and kept in the exchange's history."),
    )


class AmendForm(forms.Form):
    """R-DOC-8: why a contracted exchange's dates or plan change."""

    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=AMENDMENT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to the parties and kept in the exchange's history (at most %(max)d characters)."
        )
        % {"max": AMENDMENT_REASON_MAX},
    )


class GroupForm(forms.Form):
    """A mission (R-EXC-7): one host side; shared dates and plan as a starting point."""

    name = forms.CharField(label=_("Name"), max_length=200)
    host = OrganisationChoiceField(label=_("Host organisation (HO)"), queryset=None)
    vop = PartnershipChoiceField(
        label=_("Organising partnership (VOP)"),
        queryset=None,
        help_text=_("The visitors' partnership organising the mission."),
    )
    hop = PartnershipChoiceField(label=_("Host's partnership (HOP)"), queryset=None)
    start_date = _date_field(_("Shared first day"), required=False)
    end_date = _date_field(_("Shared last day"), required=False)
    plan_notes = forms.CharField(
        label=_("Shared plan (starting point)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if edit:
            for name in ("host", "vop", "hop"):
                del self.fields[name]
        else:
            self.fields["host"].queryset = organisation_choices()
            self.fields["vop"].queryset = partnership_choices()
            self.fields["hop"].queryset = partnership_choices()


class GroupAddForm(forms.Form):
    exchange = forms.ModelChoiceField(label=_("Draft exchange"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["exchange"]
        field.queryset = candidates
        field.label_from_instance = lambda e: f"{e.reference} — {e.visitor}"


BULK_ACTION_LABELS = {
    "apply_dates": _("Apply the group's shared dates"),
    "remove": _("Remove from the group"),
    "cancel": _("Cancel the exchanges"),
}


class ExchangeIdsField(forms.ModelMultipleChoiceField):
    """Posted ids beyond a database integer are refused as invalid choices before any query:
    SQLite raises ``OverflowError`` on them (a 500) where PostgreSQL finds nothing."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # the parent reports what is not a number
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class GroupBulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[(a, BULK_ACTION_LABELS[a]) for a in BULK_ACTIONS]
    )
    exchanges = ExchangeIdsField(
        label=_("Exchanges"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason (for a cancellation)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, group_exchanges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exchanges"].queryset = group_exchanges
        self.fields["exchanges"].label_from_instance = lambda e: e.reference
