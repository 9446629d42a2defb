"""Pictures as phones and desks send them, made with Pillow."""

from __future__ import annotations

import io

from PIL import Image

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def camera_jpeg(
    width: int = 2000, height: int = 1500, *, rotated: bool = False, variant: int = 0
) -> bytes:
    """A phone camera's JPEG: landscape pixels, EXIF that says where it was taken and, when
    `rotated`, that the phone was held upright (orientation 6: turn 90 degrees to show).
    Another `variant` is another picture (its stripe that many pixels wider)."""
    picture = Image.new("RGB", (width, height), (200, 40, 40))
    picture.paste((20, 20, 220), (0, 0, width // 4 + variant, height))  # a stripe on the left
    exif = Image.Exif()
    exif[GPS_INFO] = {1: "N", 2: (38.0, 28.0, 12.0), 3: "E", 4: (106.0, 16.0, 5.0)}
    if rotated:
        exif[ORIENTATION] = 6
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif, quality=70)
    return out.getvalue()


def small_png(variant: int = 0) -> bytes:
    """A desk's screenshot; another `variant` (0-63) is another picture, also once kept as
    a JPEG (a white bar as wide as the variant)."""
    picture = Image.new("RGB", (64, 48), (0, 120, 0))
    if variant:
        picture.paste((255, 255, 255), (0, 0, variant, 8))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


TINY_PNG = small_png()
