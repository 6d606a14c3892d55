"""Thumbnails for photos stored before them (`ocop thumbnails`, the thumbnails job).

Pages show such a photo itself until its smaller copies are written (catalogue.images.
photo_sources); this walks the photos not marked as having them, writes the missing copies from
the stored photo and marks it. Running it again does nothing more: copies already on disk are
kept, and a photo with all of them is only marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from matchmaking.catalogue.images import (
    MAX_PIXELS,
    THUMB_SIDES,
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
    made: int = 0  # photos given the copies they lacked
    found: int = 0  # photos whose copies were all on disk already: only marked
    missing: int = 0  # the photo's own file is gone (or unreadable): left as it is
    more: bool = False  # stopped at the limit with photos still to look at

    def summary(self) -> str:
        text = f"{self.made} thumbnails made, {self.found} found on disk, {self.missing} photos missing"
        return text + ("; more to do" if self.more else "")


def _write_copies(source: Path, targets: dict[int, Path]) -> bool:
    """Write each side's copy of the stored photo `source`; False if it cannot be read."""
    try:
        with Image.open(source) as image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.load()
            converted = flattened(image)
    except (OSError, SyntaxError, Image.DecompressionBombError):
        return False
    for side, target in targets.items():
        write_whole(target, webp(converted, side)[0])
    return True


async def make_missing_thumbnails(*, media_dir: Path, limit: int | None = None) -> ThumbnailReport:
    """Give each photo without its copies the ones it lacks, at most `limit` photos (None: all).

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
            missing = {side: media_dir / thumbnail_path(image.path, side) for side in THUMB_SIDES}
            missing = {side: path for side, path in missing.items() if not path.is_file()}
            if not missing:
                report.found += 1
            elif await in_thread(_write_copies, media_dir / image.path, missing):
                report.made += 1
            else:
                report.missing += 1
                continue
            await ProductImage.filter(id=image.id).update(has_thumbnail=True)
        if len(batch) < BATCH:
            return report
