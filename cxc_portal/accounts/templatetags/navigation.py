"""The navigation marks the page the person is on (``aria-current="page"``), in one place.

``{% mark_current_page %}…{% end_mark_current_page %}`` wraps the navigation (base.html): of
its ``nav-link`` links, the one whose address is the longest prefix of the request's path is
marked — the list and every page under it (an exchange's page marks "Exchanges"). The links
themselves stay plain in ``includes/nav.html``, so a new link is marked without any change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

NAV_LINK = re.compile(r'<a class="nav-link" href="(?P<href>/[^"]*)"')


def current_href(hrefs: Iterable[str], path: str) -> str | None:
    """The link of the section ``path`` is in: the longest href that is ``path`` or one of its
    parent folders. The home page ("/") is current only on itself."""
    best = None
    for href in hrefs:
        within = path == href or (href.endswith("/") and href != "/" and path.startswith(href))
        if within and (best is None or len(href) > len(best)):
            best = href
    return best


def mark_current(html: str, path: str) -> SafeString:
    """``html`` (already rendered, safe) with the current section's links marked."""
    href = current_href((m.group("href") for m in NAV_LINK.finditer(html)), path)
    if href is not None:
        html = html.replace(
            f'<a class="nav-link" href="{href}"',
            f'<a class="nav-link active" aria-current="page" href="{href}"',
        )
    return mark_safe(html)  # noqa: S308 - the rendered template, escaped already


class MarkCurrentPageNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        request = context.get("request")
        return mark_current(html, request.path) if request is not None else html


@register.tag("mark_current_page")
def mark_current_page(
    parser: template.base.Parser, token: template.base.Token
) -> MarkCurrentPageNode:
    nodelist = parser.parse(("end_mark_current_page",))
    parser.delete_first_token()
    return MarkCurrentPageNode(nodelist)
