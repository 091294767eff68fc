"""The one CSV writer (cxc_portal.core.csv): every field quoted, formulas neutralised,
streamed or built at once, never cached."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from cxc_portal.core.csv import csv_cell, csv_response


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_that_would_start_a_formula_is_prefixed(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize(
    "value", ["Lisbon;=1+1;Network", "Porto Cluster", "", None, 5, Decimal("-3.5")]
)
def test_other_values_are_left_as_they_are(value):
    assert csv_cell(value) == value


def test_a_lazy_translation_is_written_as_text():
    assert csv_cell(gettext_lazy("=Status")) == "'=Status"


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


@pytest.mark.parametrize("streaming", [False, True])
def test_csv_response_quotes_every_field_and_is_never_cached(streaming):
    rows = iter([["Lisbon;=1+1;Network", 3, None], ["@SUM(A1)", "a\nb", "x"]])
    response = csv_response(
        "exchanges 2027.csv", ["Name", "Days", "Note"], rows, streaming=streaming
    )
    text = _text(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="exchanges 2027.csv"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert text.startswith("\ufeff")  # spreadsheets read the accents as UTF-8
    assert text[1:].split("\r\n")[:2] == ['"Name","Days","Note"', '"Lisbon;=1+1;Network","3",""']
    parsed = list(csv.reader(io.StringIO(text[1:])))
    assert parsed == [
        ["Name", "Days", "Note"],
        ["Lisbon;=1+1;Network", "3", ""],
        ["'@SUM(A1)", "a\nb", "x"],
    ]
    # Read with ";" as the separator (Belgian, French, German Excel), no cell holds "=1+1"
    # alone: the name is not split.
    semicolon_cells = next(csv.reader(io.StringIO(text[1:].split("\r\n")[1]), delimiter=";"))
    assert semicolon_cells[0].startswith("Lisbon;=1+1;Network")
    assert "=1+1" not in semicolon_cells
