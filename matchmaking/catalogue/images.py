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
# The small copy for lists and phones, saved beside the photo (see thumbnail_path).
THUMB_SIDE = 480
MAX_IMAGES = 8
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Decompression bombs: a photo's header gives its size, refused above this before decoding
# (Pillow itself only refuses above twice its MAX_IMAGE_PIXELS, and only warns below).
MAX_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _too_many_pixels() -> ValidationFailed:
    return ValidationFailed({"image": _("The image has too many pixels (at most 24 million, "
                                        "such as 6000 × 4000).")})


def thumbnail_path(path: str) -> str:
    """Where the THUMB_SIDE copy of the photo stored at `path` lives."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}-{THUMB_SIDE}{dot}{suffix}"


def small_copy(image: ProductImage) -> tuple[str, int]:
    """The file lists and phones load, and its width: the thumbnail, or the photo itself while
    it has none (uploaded before thumbnails; catalogue.thumbnails makes the missing ones)."""
    if not image.has_thumbnail:
        return image.path, image.width
    scale = min(1.0, THUMB_SIDE / max(image.width, image.height))
    return thumbnail_path(image.path), round(image.width * scale)


def flattened(image: Image.Image) -> Image.Image:
    """`image` in the modes WebP stores: RGBA if it has transparency, else RGB."""
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")


def webp(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    """`image` shrunk to fit side × side, as WebP, with its new width and height."""
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=85 if side > THUMB_SIDE else 80)
    return out.getvalue(), copy.width, copy.height


def _normalised(content: bytes) -> tuple[bytes, int, int, bytes]:
    """The image as WebP at most MAX_SIDE wide or high without its metadata, and its thumbnail."""
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
            return data, width, height, webp(converted, THUMB_SIDE)[0]
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
    data, width, height, thumbnail = await in_thread(_normalised, content)
    relative = Path("products") / str(product.id) / f"{uuid.uuid4().hex}.webp"
    target = media_dir / relative
    small = media_dir / thumbnail_path(str(relative))
    write_whole(small, thumbnail)
    write_whole(target, data)
    try:
        async with in_transaction():
            position = await ProductImage.filter(product=product).count()
            image = await ProductImage.create(product=product, path=str(relative), width=width,
                                              height=height, position=position, has_thumbnail=True)
            await enqueue(product.id)
    except Exception:
        target.unlink(missing_ok=True)
        small.unlink(missing_ok=True)
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
    (media_dir / image.path).unlink(missing_ok=True)
    (media_dir / thumbnail_path(image.path)).unlink(missing_ok=True)
