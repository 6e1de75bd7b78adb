"""Uploaded images: checked by content, size-limited, re-encoded without any metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from learner.errors import DomainError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
GPS_TAG = 0x8825


class ImageError(DomainError):
    """An upload that is not an image we accept; the message says what to do."""


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image: the bytes to store, their type, and what the original carried."""

    data: bytes
    content_type: str
    had_gps: bool


def clean_image(
    raw: bytes, *, max_side: int = 1600, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> CleanImage:
    """Check an upload by its content and re-encode it, dropping EXIF, GPS and comments."""
    if not raw:
        raise ImageError(_l("The file is empty."))
    if len(raw) > max_bytes:
        raise ImageError(
            _l(
                "The image is larger than %(size)s MB. Choose a smaller one.",
                size=max_bytes // (1024 * 1024),
            )
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            source_format = image.format
            if source_format not in ALLOWED_FORMATS:
                raise ImageError(_l("Use a JPEG, PNG or WebP image."))
            if image.width * image.height > max_pixels:
                raise ImageError(_l("The image has too many pixels. Choose a smaller one."))
            had_gps = bool(image.getexif().get_ifd(GPS_TAG))
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageError(_l("The image has too many pixels. Choose a smaller one.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageError(_l("This file is not an image we can read.")) from error
    image.thumbnail((max_side, max_side))
    keep_alpha = image.mode in ("RGBA", "LA", "P") and source_format != "JPEG"
    image = image.convert("RGBA" if keep_alpha else "RGB")
    out = io.BytesIO()
    if keep_alpha:
        image.save(out, format="PNG", optimize=True)
        return CleanImage(out.getvalue(), "image/png", had_gps)
    image.save(out, format="JPEG", quality=88)
    return CleanImage(out.getvalue(), "image/jpeg", had_gps)
