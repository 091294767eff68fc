"""PDF rendering with WeasyPrint (R-DOC-5): a document's data through its HTML template.

No remote resource: :class:`LocalOnlyFetcher` gives WeasyPrint the bundled fonts
(``static/fonts/``) and refuses every other URL (http, https, data, other files), so a name or
an objective typed by an applicant can never make the renderer fetch anything.

The footer of each page carries the SHA-256 of the document's **data** (its canonical JSON),
not of the PDF file: a file cannot contain its own hash. The file's hash is computed after
rendering, stored on the ``Document`` and is what the public verify page matches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

TEMPLATES = {"CTQ": "reports/pdf/ctq.html", "FA": "reports/pdf/fa.html"}


def fonts_dir() -> Path:
    return (Path(settings.BASE_DIR) / "static" / "fonts").resolve()


class LocalOnlyFetcher(URLFetcher):
    """Fetch only files under ``static/fonts/``; refuse anything else (no network, ever)."""

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(url[len("file://") :].split("?")[0]).resolve()
            if path.is_relative_to(fonts_dir()) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"Refused a non-local resource in a document: {url[:80]}")


def render_html(*, kind: str, data: dict[str, Any], version: int, generated_at, data_hash: str):
    """The HTML of a document (also the web preview: the same template, the same data)."""
    return render_to_string(
        TEMPLATES[kind],
        {
            "doc": data,
            "version": version,
            "generated_at": generated_at,
            "data_hash": data_hash,
            "fonts_url": fonts_dir().as_uri(),
        },
    )


def render_pdf(*, kind: str, data: dict[str, Any], version: int, generated_at, data_hash: str):
    """The PDF bytes of one document version."""
    html = render_html(
        kind=kind, data=data, version=version, generated_at=generated_at, data_hash=data_hash
    )
    return HTML(
        string=html, base_url=fonts_dir().as_uri() + "/", url_fetcher=LocalOnlyFetcher()
    ).write_pdf()
