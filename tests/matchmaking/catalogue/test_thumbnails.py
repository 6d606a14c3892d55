"""Photos stored before thumbnails existed get their smaller copies, once, from the stored file."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from matchmaking.catalogue.images import thumbnail_path
from matchmaking.catalogue.thumbnails import make_missing_thumbnails
from matchmaking.models import Product, ProductImage
from tests.factories import make_producer, make_product


def write_photo(media_dir: Path, relative: str, size: tuple[int, int] = (1600, 1200)) -> None:
    """A stored photo as uploads wrote it: WebP, at most 1600 px a side."""
    target = media_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (40, 110, 70)).save(target, "WEBP", quality=85)


async def old_photo(product: Product, media_dir: Path, name: str, *, on_disk: bool = True,
                    size: tuple[int, int] = (1600, 1200)) -> ProductImage:
    """A photo uploaded before thumbnails: its file and row, no small copy, not marked."""
    relative = f"products/{product.id}/{name}.webp"
    if on_disk:
        write_photo(media_dir, relative, size)
    return await ProductImage.create(product=product, path=relative, width=size[0],
                                     height=size[1], has_thumbnail=False)


async def test_old_photos_get_a_thumbnail_and_a_second_run_does_nothing(db: str, tmp_path: Path) -> None:
    product = await make_product(await make_producer())
    old = await old_photo(product, tmp_path, "old")
    tall = await old_photo(product, tmp_path, "tall", size=(900, 1600))
    # With both copies already (uploaded before photos were marked): only marked, not redrawn.
    marked = await old_photo(product, tmp_path, "marked")
    write_photo(tmp_path, thumbnail_path(marked.path), (480, 360))
    write_photo(tmp_path, thumbnail_path(marked.path, 960), (960, 720))
    before = (tmp_path / thumbnail_path(marked.path)).stat().st_mtime_ns
    # With the list copy only (uploaded when there was one size): given the phone's copy.
    listed = await old_photo(product, tmp_path, "listed")
    write_photo(tmp_path, thumbnail_path(listed.path), (480, 360))
    gone = await old_photo(product, tmp_path, "gone", on_disk=False)

    report = await make_missing_thumbnails(media_dir=tmp_path)

    assert (report.made, report.found, report.missing, report.more) == (3, 1, 1, False)
    with Image.open(tmp_path / thumbnail_path(old.path)) as small:
        assert (small.format, small.size) == ("WEBP", (480, 360))
    with Image.open(tmp_path / thumbnail_path(old.path, 960)) as phone:
        assert (phone.format, phone.size) == ("WEBP", (960, 720))
    with Image.open(tmp_path / thumbnail_path(tall.path)) as small:
        assert small.size == (270, 480)
    with Image.open(tmp_path / thumbnail_path(listed.path, 960)) as phone:
        assert phone.size == (960, 720)
    assert (tmp_path / thumbnail_path(marked.path)).stat().st_mtime_ns == before
    flags = dict(await ProductImage.all().values_list("id", "has_thumbnail"))
    assert flags == {old.id: True, tall.id: True, marked.id: True, listed.id: True, gone.id: False}
    assert not (tmp_path / thumbnail_path(gone.path)).exists()

    again = await make_missing_thumbnails(media_dir=tmp_path)
    assert (again.made, again.found, again.missing) == (0, 0, 1)


async def test_a_limited_run_stops_at_its_limit_and_the_next_run_finishes(db: str, tmp_path: Path) -> None:
    product = await make_product(await make_producer())
    photos = [await old_photo(product, tmp_path, f"p{n}", size=(800, 600)) for n in range(3)]

    first = await make_missing_thumbnails(media_dir=tmp_path, limit=2)
    assert (first.made, first.more) == (2, True)
    second = await make_missing_thumbnails(media_dir=tmp_path, limit=2)
    assert (second.made, second.more) == (1, False)
    assert all((tmp_path / thumbnail_path(p.path, side)).is_file()
               for p in photos for side in (480, 960))
    assert await ProductImage.filter(has_thumbnail=False).count() == 0


async def test_an_unreadable_stored_photo_is_left_as_it_is(db: str, tmp_path: Path) -> None:
    product = await make_product(await make_producer())
    broken = await old_photo(product, tmp_path, "broken", on_disk=False)
    (tmp_path / broken.path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / broken.path).write_bytes(b"RIFF\x00\x00not a webp")

    report = await make_missing_thumbnails(media_dir=tmp_path)

    assert (report.made, report.missing) == (0, 1)
    assert not (tmp_path / thumbnail_path(broken.path)).exists()
    assert not (await ProductImage.get(id=broken.id)).has_thumbnail
