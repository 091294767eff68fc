"""Sections the rooms above ``exchanges`` add to the exchange page, without ``exchanges``
importing them (the payments room shows the lump sum and the payment, R-PAY-5).

A room registers, in its ``AppConfig.ready()``, a function ``(request, exchange) -> (template
name, context) | None``; ``None`` means "nothing to show to this user". The page renders each
section's template with ``section`` bound to its context. A section costs a constant number of
queries (it reads one exchange's rows), so the page keeps its constant query count.

A **banner** (:func:`register_banner`) is the same kind of function, shown at the top of the page
(the documents room: an amendment in progress and the documents to sign again, R-DOC-8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Section = Callable[[Any, Any], "tuple[str, dict[str, Any]] | None"]

_sections: list[Section] = []
_banners: list[Section] = []


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict[str, Any]


def register_section(section: Section) -> None:
    """Add ``section`` to the exchange page (once: registering it again changes nothing)."""
    if section not in _sections:
        _sections.append(section)


def unregister_section(section: Section) -> None:
    if section in _sections:
        _sections.remove(section)


def page_sections(request, exchange) -> list[RenderedSection]:
    """The registered sections that have something to show ``request.user`` about ``exchange``."""
    rendered = []
    for section in _sections:
        result = section(request, exchange)
        if result is not None:
            rendered.append(RenderedSection(*result))
    return rendered


def register_banner(banner: Section) -> None:
    """Add ``banner`` to the top of the exchange page (once)."""
    if banner not in _banners:
        _banners.append(banner)


def page_banners(request, exchange) -> list[RenderedSection]:
    """The registered banners that have something to show ``request.user`` about ``exchange``."""
    rendered = []
    for banner in _banners:
        result = banner(request, exchange)
        if result is not None:
            rendered.append(RenderedSection(*result))
    return rendered
