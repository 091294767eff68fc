"""Found by the issue-15 journey (axe, rule color-contrast, on the final report's page): an
outline button whose text is Bootstrap's yellow (or cyan) on white is unreadable
(1.6:1 for "warning", WCAG 1.4.3 wants 4.5:1)."""

import re

from django.conf import settings

LOW_CONTRAST = re.compile(r"\bbtn-outline-(warning|info)\b")


def test_no_template_uses_a_low_contrast_outline_button():
    roots = ("templates", "cxc_portal", "organisations", "partnerships", "exchanges", "payments")
    roots += ("reports",)
    paths = [p for root in roots for p in (settings.BASE_DIR / root).glob("**/templates/**/*.html")]
    paths += list((settings.BASE_DIR / "templates").glob("**/*.html"))
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if LOW_CONTRAST.search(line)
    ]
    assert offenders == []
