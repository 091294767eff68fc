"""Private uploads: one validator and one way to store them.

Whatever the file's name or the browser's ``Content-Type`` say, the type is *sniffed from the
bytes* (the ``filetype`` library reads the magic numbers) and checked against an allow-list per
use; empty and oversize files are refused. Accepted files are stored under ``MEDIA_ROOT``
(outside ``static/``, never served by URL) with a random name and the extension of the sniffed
type; they are given back only through ``cxc_portal.core.downloads`` after a permission check.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

#: What each kind of upload may be. Add a use here, never a second validator.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "evidence": (PDF, JPEG, PNG),  # proof of payment, travel, attendance
    "document": (PDF,),  # signed CTQ, FA, FAR
}

#: The extension a stored or downloaded file gets, from its sniffed type (never from its name).
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# The magic numbers of every type we know sit in the first bytes.
_SNIFF_BYTES = 8192


def sniff_content_type(file) -> str | None:
    """The MIME type read from the file's first bytes, or None if unknown. Leaves the file at 0."""
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    kind = filetype.guess(head) if head else None
    return kind.mime if kind else None


def _allowed_label(use: str) -> str:
    labels = [LABELS[t] for t in ALLOWED_TYPES[use]]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {_('or')} {labels[-1]}"


@deconstructible
class UploadValidator:
    """Refuse an upload that is empty, too large, or not of a type allowed for ``use``.

    The limit is ``settings.CXC_UPLOAD_MAX_BYTES`` unless ``max_bytes`` is given. The messages
    say what is wrong and what would be accepted; they are shown next to the form's field.
    """

    def __init__(self, use: str, max_bytes: int | None = None):
        if use not in ALLOWED_TYPES:
            raise ValueError(f"Unknown upload use {use!r}; add it to ALLOWED_TYPES.")
        self.use = use
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        limit = self.max_bytes or settings.CXC_UPLOAD_MAX_BYTES
        size = file.size
        if not size:
            raise ValidationError(_("The file is empty."), code="empty")
        if size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
            )
        if sniff_content_type(file) not in ALLOWED_TYPES[self.use]:
            raise ValidationError(
                _("This file is not a %(types)s file, whatever its name says."),
                code="file_type",
                params={"types": _allowed_label(self.use)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.use, self.max_bytes) == (
            other.use,
            other.max_bytes,
        )


class PrivateFileField(forms.FileField):
    """A form field for a private upload of one ``use`` ("evidence", "document")."""

    def __init__(self, *, use: str, max_bytes: int | None = None, **kwargs):
        self.use = use
        kwargs.setdefault(
            "help_text",
            _("%(types)s, up to %(limit)s.")
            % {
                "types": _allowed_label(use),
                "limit": filesizeformat(max_bytes or settings.CXC_UPLOAD_MAX_BYTES),
            },
        )
        super().__init__(validators=[UploadValidator(use, max_bytes)], **kwargs)
        accept = ",".join(f".{EXTENSIONS[t]}" for t in ALLOWED_TYPES[use])
        self.widget.attrs.setdefault("accept", accept)  # a hint for the browser, not a check


@dataclass(frozen=True)
class StoredFile:
    """Where an accepted upload was stored, and what it is."""

    name: str  # relative to MEDIA_ROOT, random: e.g. evidence/2026/03/Xq…9.pdf
    content_type: str
    size: int
    original_name: str  # as the user named it: for display and downloads only, never a path


def private_file_save(*, file, use: str) -> StoredFile:
    """Validate ``file`` for ``use`` again (a service must not trust its caller) and store it
    under ``MEDIA_ROOT/<use>/<year>/<month>/`` with a random name and its sniffed extension."""
    UploadValidator(use)(file)
    content_type = sniff_content_type(file)
    assert content_type is not None  # the validator refused unknown types
    now = timezone.now()
    name = f"{use}/{now:%Y/%m}/{secrets.token_urlsafe(24)}.{EXTENSIONS[content_type]}"
    file.seek(0)
    saved = default_storage.save(name, file)
    return StoredFile(
        name=saved,
        content_type=content_type,
        size=file.size,
        original_name=str(getattr(file, "name", "") or "")[-255:],
    )
