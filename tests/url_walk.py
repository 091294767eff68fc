"""Every URL pattern of the project, read from the resolver, and real URLs built from them.

Shared by the walks over the whole project (tests/foundation/test_url_walk_second_factor.py,
tests/foundation/test_permission_matrix.py): a page is walked the day it is added, and a path
parameter the walk cannot fill fails the test, asking for a value, rather than being skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Pattern:
    name: str | None
    regex: str
    callback: object

    @property
    def route(self) -> str:
        """The path with its parameters named, e.g. ``exchanges/%(pk)s/`` (stable, readable)."""
        template, _parameters = normalize(self.regex)[0]
        return "/" + template

    @property
    def key(self) -> str:
        """How a table names the pattern: its URL name, or its route when it has none."""
        return self.name or self.route


def all_patterns(patterns=None, prefix="", namespace=None) -> Iterator[Pattern]:
    """Every endpoint of the project: (view name, full regex, view) — from the resolver."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from all_patterns(entry.url_patterns, regex, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(name=name, regex=regex, callback=entry.callback)


def url_builder(
    pk_by_segment: Mapping[str, object], by_name: Mapping[str, object]
) -> Callable[[Pattern], str]:
    """A function giving a real URL for a pattern.

    ``<pk>`` is filled from the path segment before it (``exchanges/<pk>/`` ->
    ``pk_by_segment["exchanges"]``), any other parameter from ``by_name``; an admin
    ``<object_id>`` is the first row of the admin page's model.
    """

    def value(parameter: str, before: str) -> str:
        segments = [s for s in before.split("/") if s]
        admin_model = re.fullmatch(r"admin/([a-z_]+)/([a-z_]+)/", before)
        if parameter == "object_id" and admin_model:
            model = apps.get_model(*admin_model.groups())
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(first or 1)
        if parameter == "pk" and segments and segments[-1] in pk_by_segment:
            return str(pk_by_segment[segments[-1]])
        if parameter in by_name:
            return str(by_name[parameter])
        pytest.fail(f"The walk cannot fill <{parameter}> after {before!r}: give it a real value.")

    def url_of(pattern: Pattern) -> str:
        template, parameters = normalize(pattern.regex)[0]
        values: dict[str, str] = {}
        for parameter in parameters:
            before = template.split(f"%({parameter})s")[0] % {
                p: values.get(p, "") for p in parameters
            }
            values[parameter] = value(parameter, before)
        return "/" + template % values

    return url_of
