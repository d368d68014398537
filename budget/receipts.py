"""Receipts: PDF or image files, recognised by their first bytes (never by their name or the type
the browser claims), and limited in size."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024

# (first bytes, content type, extension); WebP also needs "WEBP" at offset 8.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]


def detect(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a receipt from its first bytes, or None."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_receipt(upload) -> tuple[str, str]:
    """The receipt's (content type, extension); a ValidationError a person can read otherwise."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("A receipt may weigh at most %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = detect(head)
    if found is None:
        raise ValidationError(_("A receipt must be a PDF file or an image (PNG, JPEG, GIF, WebP)."))
    return found
