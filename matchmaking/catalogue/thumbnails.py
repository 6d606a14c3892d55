"""Thumbnails for photos stored before thumbnails existed (`ocop thumbnails`, the thumbnails job).

Pages show such a photo itself until its small copy is written (catalogue.images.small_copy);
this walks the photos without one, writes it from the stored photo and marks it. Running it
again does nothing more: a photo whose copy is already on disk is only marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from matchmaking.catalogue.images import (
    MAX_PIXELS,
    THUMB_SIDE,
    flattened,
    thumbnail_path,
    webp,
    write_whole,
)
from matchmaking.models import ProductImage
from matchmaking.offload import in_thread

BATCH = 100


@dataclass
class ThumbnailReport:
    made: int = 0  # small copies written
    found: int = 0  # already on disk, only marked
    missing: int = 0  # the photo's own file is gone (or unreadable): left as it is
    more: bool = False  # stopped at the limit with photos still to look at

    def summary(self) -> str:
        text = f"{self.made} thumbnails made, {self.found} found on disk, {self.missing} photos missing"
        return text + ("; more to do" if self.more else "")


def _small_copy(source: Path, target: Path) -> bool:
    """Write the THUMB_SIDE copy of the stored photo `source`; False if it cannot be read."""
    try:
        with Image.open(source) as image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.load()
            converted = flattened(image)
    except (OSError, SyntaxError, Image.DecompressionBombError):
        return False
    write_whole(target, webp(converted, THUMB_SIDE)[0])
    return True


async def make_missing_thumbnails(*, media_dir: Path, limit: int | None = None) -> ThumbnailReport:
    """Give each photo without a thumbnail its small copy, at most `limit` made (None: all).

    Side effects: files beside the photos, ProductImage.has_thumbnail set. Pillow runs in the
    bounded threads (matchmaking.offload), never on the event loop.
    """
    report = ThumbnailReport()
    after = 0
    while True:
        batch = await ProductImage.filter(has_thumbnail=False, id__gt=after).order_by("id") \
            .limit(BATCH)
        for image in batch:
            if limit is not None and report.made >= limit:
                report.more = True
                return report
            after = image.id
            target = media_dir / thumbnail_path(image.path)
            if target.is_file():
                report.found += 1
            elif await in_thread(_small_copy, media_dir / image.path, target):
                report.made += 1
            else:
                report.missing += 1
                continue
            await ProductImage.filter(id=image.id).update(has_thumbnail=True)
        if len(batch) < BATCH:
            return report
