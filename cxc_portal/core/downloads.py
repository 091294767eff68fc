"""Private downloads: one response pattern for every private file (evidence, signed PDFs).

A view first decides whether the user may have the file (its room's permissions), then returns
``private_file_response(allowed=..., ...)``. The response is always an attachment (the browser
never renders it in the portal's origin), with a safe file name, ``X-Content-Type-Options:
nosniff`` and ``Cache-Control: private, no-store`` (no shared cache, no copy left on disk).
"""

from __future__ import annotations

import os
import unicodedata

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from .uploads import EXTENSIONS

_FALLBACK_NAME = "download"


def safe_download_name(name: str, content_type: str) -> str:
    """A file name safe in a header and on any disk: no path, no control or quote characters,
    plain ASCII, at most 100 characters, and the extension of the file's real type."""
    base = os.path.basename(str(name).replace("\\", "/"))
    stem = os.path.splitext(base)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    try:
        stem = get_valid_filename(stem)[:90].strip("._-")
    except Exception:  # noqa: BLE001 - get_valid_filename refuses names like "." or ".."
        stem = ""
    extension = EXTENSIONS.get(content_type)
    stem = stem or _FALLBACK_NAME
    return f"{stem}.{extension}" if extension else stem


def private_file_response(
    *, allowed, name: str, content_type: str, download_name: str = ""
) -> FileResponse:
    """Stream the private file ``name`` (relative to ``MEDIA_ROOT``) as an attachment.

    ``allowed`` is the outcome of the view's own permission check (a bool or a permission
    result with ``reason``): a falsy value refuses with 403, so a view cannot forget to pass
    one. A name outside ``MEDIA_ROOT`` (``../``) is refused by the storage; a missing file is 404.
    """
    if not allowed:
        reason = getattr(allowed, "reason", "")
        raise PermissionDenied(reason) if reason else PermissionDenied
    if not default_storage.exists(name):
        raise Http404("No such file.")
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=safe_download_name(download_name or name, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
