"""Display helpers of the partnerships templates (no queries, no rules)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def score_parts(parts, labels: dict, blockers=()) -> str:
    """ "Why this score" (R-MATCH-1): each part's points out of its maximum, what was shared and
    what the visitor stated, then why the pair cannot be matched. Rendered here rather than by
    an include per row: the matching page shows 30 of them (issue 12)."""
    asks = gettext("The visitor's expression of interest asks for: %(names)s")
    lines = []
    for part in parts:
        names = shared_names(part, labels)
        stated = stated_names(part, labels)
        lines.append(
            format_html(
                '<li class="mb-1"><span class="fw-semibold">{}</span>: {} / {}{}{}</li>',
                part.label,
                part.display_points,
                part.maximum,
                format_html(' <span class="text-body-secondary">— {}</span>', ", ".join(names))
                if names
                else "",
                format_html(
                    ' <div class="text-body-secondary" data-stated="{}">{}</div>',
                    part.key,
                    mark_safe(asks % {"names": conditional_escape(", ".join(stated))}),  # noqa: S308
                )
                if stated
                else "",
            )
        )
    if blockers:
        cannot = gettext("Cannot be matched:")
        for b in blockers:
            lines.append(
                format_html(
                    '<li class="text-danger">{} {} ({})</li>',
                    mark_safe(cannot),
                    b.text,
                    b.rule,  # noqa: S308
                )
            )
    return format_html(
        '<ul class="list-unstyled small mb-0">{}</ul>',
        mark_safe("".join(lines)),  # noqa: S308
    )
