"""Product photos: checked, resized and re-encoded with Pillow, stored under the media folder."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from tortoise.transactions import in_transaction

from config.i18n import gettext as _
from matchmaking.catalogue.products import enqueue, own_product
from matchmaking.errors import NotFound, ValidationFailed
from matchmaking.models import Account, ProductImage
from matchmaking.offload import in_thread

# A phone camera's photo (often 4-10 MB) is resized, not refused; this is only the upper bound.
MAX_BYTES = 12 * 1024 * 1024
MAX_SIDE = 1600
# The smaller copies saved beside the photo (see thumbnail_path): 480 px for lists, 960 px for a
# phone's screen (390 CSS px at twice that in pixels), which would otherwise take the 1600 px one.
THUMB_SIDE = 480
THUMB_SIDES = (THUMB_SIDE, 960)
MAX_IMAGES = 8
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Decompression bombs: a photo's header gives its size, refused above this before decoding
# (Pillow itself only refuses above twice its MAX_IMAGE_PIXELS, and only warns below).
MAX_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _too_many_pixels() -> ValidationFailed:
    return ValidationFailed({"image": _("The image has too many pixels (at most 24 million, "
                                        "such as 6000 × 4000).")})


def thumbnail_path(path: str, side: int = THUMB_SIDE) -> str:
    """Where the `side` copy of the photo stored at `path` lives."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}-{side}{dot}{suffix}"


def photo_sources(image: ProductImage) -> list[tuple[str, int]]:
    """The files a srcset offers, each with its width, smallest first: the copies smaller than
    the photo, then the photo. Only the photo while it has no copies (uploaded before them;
    catalogue.thumbnails makes the missing ones), so no page names a file that is not there."""
    longest = max(image.width, image.height)
    copies = [(thumbnail_path(image.path, side), round(image.width * side / longest))
              for side in THUMB_SIDES if image.has_thumbnail and side < longest]
    return [*copies, (image.path, image.width)]


def small_copy(image: ProductImage) -> tuple[str, int]:
    """The file lists load, and its width: the smallest of photo_sources."""
    return photo_sources(image)[0]


def flattened(image: Image.Image) -> Image.Image:
    """`image` in the modes WebP stores: RGBA if it has transparency, else RGB."""
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")


def webp(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    """`image` shrunk to fit side × side, as WebP, with its new width and height."""
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=85 if side == MAX_SIDE else 80)
    return out.getvalue(), copy.width, copy.height


def _normalised(content: bytes) -> tuple[bytes, int, int, dict[int, bytes]]:
    """The image as WebP at most MAX_SIDE wide or high without its metadata, and its copies."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed({"image": _("The image is larger than 12 MB.")})
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind, (width, height) = probe.format, probe.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            probe.verify()
        if kind not in ALLOWED_FORMATS:
            raise ValidationFailed({"image": _("Upload a JPEG, PNG or WebP image.")})
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            converted = flattened(image)
            data, width, height = webp(converted, MAX_SIDE)
            return data, width, height, {side: webp(converted, side)[0] for side in THUMB_SIDES}
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationFailed({"image": _("Upload a JPEG, PNG or WebP image.")}) from None


def write_whole(target: Path, data: bytes) -> None:
    """Write `data` to `target` completely or not at all (a full disk leaves no half file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def add_image(
    actor: Account | None, product_id: int, content: bytes, *, media_dir: Path
) -> ProductImage:
    """Store a photo for one of the actor's products. Side effects: a file, an outbox row."""
    product = await own_product(actor, product_id)
    if await ProductImage.filter(product=product).count() >= MAX_IMAGES:
        raise ValidationFailed({"image": _("A product has at most 8 photos.")})
    data, width, height, copies = await in_thread(_normalised, content)
    relative = Path("products") / str(product.id) / f"{uuid.uuid4().hex}.webp"
    target = media_dir / relative
    smaller = {side: media_dir / thumbnail_path(str(relative), side) for side in copies}
    for side, copy in copies.items():
        write_whole(smaller[side], copy)
    write_whole(target, data)
    try:
        async with in_transaction():
            position = await ProductImage.filter(product=product).count()
            image = await ProductImage.create(product=product, path=str(relative), width=width,
                                              height=height, position=position, has_thumbnail=True)
            await enqueue(product.id)
    except Exception:
        for written in (target, *smaller.values()):
            written.unlink(missing_ok=True)
        raise
    return image


async def remove_image(actor: Account | None, product_id: int, image_id: int, *, media_dir: Path) -> None:
    product = await own_product(actor, product_id)
    image = await ProductImage.get_or_none(id=image_id, product=product)
    if image is None:
        raise NotFound("image")
    async with in_transaction():
        await image.delete()
        await enqueue(product.id)
    for path in (image.path, *(thumbnail_path(image.path, side) for side in THUMB_SIDES)):
        (media_dir / path).unlink(missing_ok=True)
