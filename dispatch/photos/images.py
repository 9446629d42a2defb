"""What the desk keeps of an uploaded picture: upright, bounded in size, with no metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from dispatch.errors import InvalidInput

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp")
LONG_SIDE = 1600  # enough to read a meter or a crack on a supervisor's screen
THUMBNAIL_SIDE = 320
# A phone camera makes 12-50 megapixels; beyond this a "picture" is a decompression bomb.
MAX_PIXELS = 60_000_000
FIELD = "photo"


@dataclass(frozen=True)
class PreparedPhoto:
    image: bytes  # JPEG
    thumbnail: bytes  # JPEG
    width: int
    height: int


def prepare(raw: bytes) -> PreparedPhoto:
    """Re-encode the picture as JPEG. Re-encoding drops EXIF, so where and with what phone a
    team member took it does not travel with the order; the EXIF orientation is applied
    first, so it shows upright everywhere."""
    picture = _opened(raw)
    try:
        upright = ImageOps.exif_transpose(picture).convert("RGB")
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise InvalidInput(f"the picture cannot be read: {exc}", field=FIELD) from exc
    upright.thumbnail((LONG_SIDE, LONG_SIDE))
    thumbnail = upright.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return PreparedPhoto(
        image=_jpeg(upright, quality=85),
        thumbnail=_jpeg(thumbnail, quality=75),
        width=upright.width,
        height=upright.height,
    )


def _opened(raw: bytes) -> Image.Image:
    if not raw:
        raise InvalidInput("no picture in the request body", field=FIELD)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(raw), formats=sorted(ACCEPTED_FORMATS))
    except UnidentifiedImageError as exc:
        accepted = ", ".join(ACCEPTED_TYPES)
        raise InvalidInput(f"not a picture: send one of {accepted}", field=FIELD) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidInput("the picture has too many pixels", field=FIELD) from exc
    if picture.width * picture.height > MAX_PIXELS:
        raise InvalidInput(
            f"the picture has {picture.width}x{picture.height} pixels; at most "
            f"{MAX_PIXELS:,} are taken",
            field=FIELD,
        )
    return picture


def _jpeg(picture: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
