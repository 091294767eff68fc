"""Display helpers of the partnerships templates (no queries, no rules)."""

from django import template

register = template.Library()

_BADGES = {
    "submitted": "text-bg-warning",
    "proposed": "text-bg-info",
    "accepted": "text-bg-success",
    "declined": "text-bg-danger",
    "withdrawn": "text-bg-secondary",
}


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge class for an interest or match status."""
    return _BADGES.get(str(status), "text-bg-light")


@register.filter
def score_badge(score: int) -> str:
    """Badge class for an affinity score (only an indication: R-MATCH-1)."""
    if score >= 60:
        return "text-bg-success"
    if score >= 30:
        return "text-bg-primary"
    if score > 0:
        return "text-bg-secondary"
    return "text-bg-light border"


_PART_LABEL_KIND = {
    "ecosystems": "ecosystems",
    "sectors": "sectors",
    "activities": "activities",
    "countries": "countries",
}


@register.filter
def shared_names(part, labels: dict) -> list[str]:
    """The readable names of what a score part found in common."""
    kind = _PART_LABEL_KIND.get(part.key)
    names = (labels or {}).get(kind, {}) if kind else {}
    return [names.get(code, code) for code in part.shared]


@register.filter
def stated_names(part, labels: dict) -> list[str]:
    """The readable names of what the visitor's expression of interest stated for a part."""
    kind = _PART_LABEL_KIND.get(part.key)
    names = (labels or {}).get(kind, {}) if kind else {}
    return [names.get(code, code) for code in getattr(part, "stated", ())]


@register.filter
def activity_label(code: str) -> str:
    """The R-EXC-5 label of an activity type code."""
    from organisations.choices import ActivityType

    try:
        return str(ActivityType(code).label)
    except ValueError:
        return code
