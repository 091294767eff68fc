"""The one CSV writer of the portal: every export (the exchange list today; finance and KPI
exports next) goes through ``csv_response``.

Two defences against spreadsheet formula injection, because names and texts in the rows are
typed in by applicants:

- every field is quoted (``csv.QUOTE_ALL``): a legal name such as ``Lisbon;=1+1;Network``
  stays one cell in spreadsheet programs whose list separator is ``;`` (Belgian, French,
  German… locales), instead of being split into cells one of which is a formula;
- a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
  ``'``, so that it is shown as text and never run as a formula.

The rows are written line by line from an iterable, so a large export can be streamed
(``streaming=True``) without holding the whole file in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A byte-order mark first, so that spreadsheet programs read the names' accents as UTF-8.
BOM = "\ufeff"

CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet: a text that would start a formula gets a
    leading ``'``; anything else is left as it is (``None`` becomes an empty cell)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like object whose ``write`` hands back the line instead of storing it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, one line at a time: the byte-order mark, the header, then each row;
    every field quoted and guarded by ``csv_cell``."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    yield BOM
    yield writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    streaming: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download named ``filename``: quoted and guarded cells (see the module), never
    kept by a cache or a shared browser (``Cache-Control: private, no-store``: exports hold
    personal data). ``streaming=True`` writes the rows while the file is sent — for exports
    too large to build in memory; the default builds it at once (its queries then run inside
    the view, where the query-count pins see them)."""
    lines = csv_lines(header, rows)
    if streaming:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            lines, content_type=CONTENT_TYPE
        )
    else:
        response = HttpResponse("".join(lines), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
