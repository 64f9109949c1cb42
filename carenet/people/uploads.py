"""Checks for uploaded scans: a short list of types, recognised by their first bytes, and a size cap."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# extension → magic numbers the file must start with
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_scan(upload: Any) -> None:
    """A PDF, JPEG or PNG of at most 5 MB whose content matches its extension."""
    if not upload:
        return
    # Files already stored (re-validation of a saved model) were checked when they came in.
    if getattr(upload, "_committed", False) and not hasattr(upload, "content_type"):
        return
    name = getattr(upload, "name", "") or ""
    ext = extension_of(name)
    if ext not in ALLOWED_TYPES:
        raise ValidationError(_("This file type is not accepted. Upload a PDF, JPEG or PNG file."), code="upload_type")
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="upload_size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="upload_empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_TYPES[ext]):
        raise ValidationError(
            _("The content of the file does not match its type (%(ext)s).") % {"ext": ext.upper()},
            code="upload_content",
        )
