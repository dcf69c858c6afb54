"""Company logos: an upload checked and turned into a small square WebP with Pillow. Pure
functions (no database); jobs/employer/services.py stores the result."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_SIZE = 128  # pixels, square
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SOURCE_PIXELS = 4096 * 4096  # a decompression bomb is refused before it is decoded
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{round(n / 1024):,} KB"


def logo_from_upload(upload) -> bytes:
    """The WebP bytes of `upload` fitted into LOGO_SIZE × LOGO_SIZE (transparent margins), or a
    ValidationError saying what is wrong with the file."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The logo is {_size(upload.size)}; it can be at most {_size(MAX_UPLOAD_BYTES)}."
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
        if fmt not in ACCEPTED_FORMATS:
            raise ValidationError(
                f"The logo is a {fmt or 'unknown'} image; upload a PNG, JPEG, WebP or GIF."
            )
        if width * height > MAX_SOURCE_PIXELS:
            raise ValidationError(
                f"The logo is {width} × {height} pixels; it can be at most 4096 × 4096."
            )
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(image).convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "The logo is not an image we can read; upload a PNG, JPEG, WebP or GIF."
        ) from None
    image.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (255, 255, 255, 0))
    canvas.paste(image, ((LOGO_SIZE - image.width) // 2, (LOGO_SIZE - image.height) // 2))
    out = io.BytesIO()
    canvas.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()
