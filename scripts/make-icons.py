#!/usr/bin/env python3
"""Draws the app icons in public/icons/ (the truck of public/favicon.svg) with Pillow.

The PNGs are committed; run this again only to change them:
    python3 -m venv /tmp/icons && /tmp/icons/bin/pip install pillow
    /tmp/icons/bin/python scripts/make-icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw

INDIGO = (79, 70, 229, 255)  # #4f46e5, the favicon's
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def truck(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """The favicon's truck (drawn on a 64-unit grid), `scale` of the icon wide, centred."""
    unit = size * scale / 64
    offset = size * (1 - scale) / 2

    def p(x: float, y: float) -> tuple[float, float]:
        return (offset + x * unit, offset + y * unit)

    width = max(2, round(4 * unit))
    draw.rectangle([p(12, 22), p(34, 40)], outline=WHITE, width=width)
    draw.line([p(34, 28), p(42, 28), p(48, 34), p(48, 40), p(34, 40)], fill=WHITE, width=width, joint="curve")
    for cx in (21, 41):
        r = 4 * unit
        x, y = p(cx, 44)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=WHITE)


def icon(size: int, maskable: bool) -> Image.Image:
    # Supersampled, then scaled down: smooth edges without an anti-aliasing pass.
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the truck stays inside the 80 % safe circle every mask keeps.
        draw.rectangle([0, 0, big, big], fill=INDIGO)
        truck(draw, big, 0.85)
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 14 // 64, fill=INDIGO)
        truck(draw, big, 1.0)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, True).save(OUT / f"maskable-{size}.png", optimize=True)
    # iOS takes no transparency: the maskable design at 180 px.
    icon(180, True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
