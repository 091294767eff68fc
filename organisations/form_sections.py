"""The profile form's sections and what each still needs: the section nav beside the form.

A 3,700-pixel form is easier to get through in named parts that say what is complete and what
is missing. This only reads a form's current values (bound: what was typed; unbound: what is
stored); it decides nothing — the services check the profile when it is saved and submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationType


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    fields: tuple[str, ...]
    signatory: bool = False  # the fields belong to the representative's form
    optional: bool = False  # nothing in it is needed (cluster memberships)


SECTIONS: tuple[Section, ...] = (
    Section(
        "organisation",
        _("The organisation"),
        (
            "legal_name",
            "org_type",
            "scaleup_subtype",
            "public_authority_level",
            "size",
            "description",
        ),
    ),
    Section(
        "place",
        _("Where it is"),
        ("country", "city_name", "city", "latitude", "longitude", "address", "postcode"),
    ),
    Section(
        "activity",
        _("What it does"),
        ("ecosystems", "sectors", "keywords", "website", "eccp_profile_url", "eccp_profile_id"),
    ),
    Section("memberships", _("Cluster memberships"), ("clusters",), optional=True),
    Section("validation", _("Validation"), ("validating_partnership",)),
    Section(
        "representative",
        _("You, its representative"),
        ("role_title", "date_of_birth", "declares_adult", "nationality", "residence_permit_since"),
        signatory=True,
    ),
)

COMPLETE, MISSING, TO_FIX, OPTIONAL = "complete", "missing", "to_fix", "optional"


@dataclass
class SectionStatus:
    slug: str
    title: str | Promise
    status: str
    missing: list[str] = field(default_factory=list)  # labels of the fields still to fill
    to_fix: list[str] = field(default_factory=list)  # labels of the fields with an error
    chosen: int = 0  # for an optional section: how many values are given


def _empty(value) -> bool:
    if isinstance(value, list | tuple):
        return not any(str(v).strip() for v in value)
    return value is None or value is False or str(value).strip() == ""


def _needed(form: forms.Form, name: str) -> bool:
    """Whether ``name`` must be filled: required by the form, or by the profile's rules before
    submission (R-ELIG-1: the sub-type or level of some types; a validating partnership)."""
    org_type = str(form["org_type"].value() or "") if "org_type" in form.fields else ""
    if name == "scaleup_subtype":
        return org_type == OrganisationType.SCALEUP_SUPPORT
    if name == "public_authority_level":
        return org_type == OrganisationType.PUBLIC_AUTHORITY
    if name == "validating_partnership":
        return True
    return form.fields[name].required


def section_statuses(
    form: forms.Form, signatory_form: forms.Form | None = None
) -> list[SectionStatus]:
    """Each section of the profile form with its status, from the forms' current values.

    A field with a value that the form refused is "to fix"; an empty field that is needed is
    "missing" (an empty field's "This field is required." is a missing value, not a mistake).
    The representative's section is there only when ``signatory_form`` is (creating a profile).
    """
    statuses = []
    for section in SECTIONS:
        source = signatory_form if section.signatory else form
        if source is None:
            continue
        missing: list[str] = []
        to_fix: list[str] = []
        chosen = 0
        for name in section.fields:
            if name not in source.fields:
                continue
            bound = source[name]
            empty = _empty(bound.value())
            if not empty:
                chosen += len(bound.value()) if isinstance(bound.value(), list) else 1
            label = str(bound.label)
            if source.is_bound and bound.errors and not empty:
                to_fix.append(label)
            elif empty and _needed(source, name):
                missing.append(label)
        # R-ELIG-10: a date of birth, or the declaration of being 18 or over.
        no_age = (
            _empty(source["date_of_birth"].value()) and _empty(source["declares_adult"].value())
            if section.signatory
            else False
        )
        if no_age:
            missing.append(str(source["date_of_birth"].label))
        if to_fix:
            status = TO_FIX
        elif missing:
            status = MISSING
        elif section.optional and not chosen:
            status = OPTIONAL
        else:
            status = COMPLETE
        statuses.append(SectionStatus(section.slug, section.title, status, missing, to_fix, chosen))
    return statuses
