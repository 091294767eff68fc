"""Free-text search boxes: one bound for all of them.

A search text is turned into ``LIKE`` patterns; SQLite refuses a pattern past 50,000
characters ("LIKE or GLOB pattern too complex", a 500) and PostgreSQL scans for nothing useful.
No name, reference or keyword of the portal is longer than ``SEARCH_MAX_LENGTH``: a longer text
is refused next to the search field, the page still answers, and that filter is not applied
(django-filter leaves an invalid field out of ``cleaned_data``).

``SearchField`` is the form field (plain forms); ``SearchFilter`` the django-filter filter
(every FilterSet's ``q``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

#: The longest search text any search box accepts.
SEARCH_MAX_LENGTH = 200

SEARCH_TOO_LONG = _(
    "Search with at most %(limit_value)d characters (this text has %(show_value)d)."
)


class SearchField(forms.CharField):
    """An optional search text of at most ``SEARCH_MAX_LENGTH`` characters (the browser is
    told too, through ``maxlength``)."""

    def __init__(self, *, max_length: int = SEARCH_MAX_LENGTH, required: bool = False, **kwargs):
        super().__init__(max_length=max_length, required=required, **kwargs)
        # CharField's own validator speaks of "this value"; say it is the search text.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)] + [
            MaxLengthValidator(max_length, message=SEARCH_TOO_LONG)
        ]


class SearchFilter(django_filters.CharFilter):
    """The free-text filter of a FilterSet, bounded like ``SearchField``."""

    field_class = SearchField
