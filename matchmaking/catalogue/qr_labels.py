"""Printable QR labels of a product page: PNG or PDF at a label size, the product's name beneath."""

from __future__ import annotations

import io
from functools import cache

import segno
from PIL import Image, ImageDraw, ImageFont

DPI = 300
LABEL_SIZES_CM = (2, 4)
KINDS = ("png", "pdf")
FONT = "DejaVuSans.ttf"  # Debian's fonts-dejavu: every Vietnamese letter


def _pixels(cm: float) -> int:
    return round(cm / 2.54 * DPI)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # no DejaVu on this machine: Pillow's own font still prints the name
        return ImageFont.load_default(size)


def _lines(name: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """The name wrapped to `width`, at most two lines, the second cut with "…" if needed."""
    lines: list[str] = []
    for word in name.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    if len(lines) == 2 and font.getlength(lines[1]) > width:
        while lines[1] and font.getlength(lines[1] + "…") > width:
            lines[1] = lines[1][:-1]
        lines[1] += "…"
    return lines


def qr_label(url: str, name: str, *, size_cm: int, kind: str) -> bytes:
    """A label `size_cm` wide: the QR code of `url` filling the square, `name` in two lines below."""
    if size_cm not in LABEL_SIZES_CM or kind not in KINDS:
        raise ValueError(f"unknown label {size_cm} cm {kind}")
    side = _pixels(size_cm)
    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, side // modules), border=2)
    symbol = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    symbol = symbol.resize((side, side), Image.Resampling.NEAREST)
    font = _font(max(12, side // 9))
    lines = _lines(name, font, side - 8)
    line_height = round(font.size * 1.25) if isinstance(font, ImageFont.FreeTypeFont) else 16
    label = Image.new("L", (side, side + line_height * len(lines) + 8), 255)
    label.paste(symbol, (0, 0))
    draw = ImageDraw.Draw(label)
    for n, line in enumerate(lines):
        draw.text((side // 2, side + 4 + n * line_height), line, fill=0, font=font, anchor="ma")
    out = io.BytesIO()
    label.save(out, "PNG" if kind == "png" else "PDF", dpi=(DPI, DPI), resolution=DPI)
    return out.getvalue()
