"""Photos and spreadsheets from strangers: bounded before they are decoded, decoded off the
event loop, and a full disk leaves nothing half-written."""

from __future__ import annotations

import csv
import errno
import io
import threading
import zlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PIL import Image, ImageFile

from matchmaking.catalogue import images
from matchmaking.catalogue.imports import ImportFileError, import_products
from matchmaking.errors import ValidationFailed
from matchmaking.fairs.plan import DirectoryEntry, directory_csv
from matchmaking.models import Product, ProductImage, SearchOutbox
from tests.factories import make_account, make_producer, make_product


def _png_bomb(side: int) -> bytes:
    """A valid PNG of side × side black pixels, a few hundred KB once compressed."""
    raw = zlib.compress(b"".join(b"\x00" + bytes(side) for _ in range(side)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _jpeg(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


async def _own_product() -> tuple[Any, Product]:
    account = await make_account("producer")
    return account, await make_product(await make_producer(owner=account))


async def test_huge_png_is_refused_before_decoding(db: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    account, product = await _own_product()
    bomb = _png_bomb(8900)
    assert len(bomb) < 400_000
    decoded: list[object] = []
    load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> Any:
        decoded.append(self)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    with pytest.raises(ValidationFailed) as refused:
        await images.add_image(account, product.id, bomb, media_dir=tmp_path)
    assert decoded == []
    assert "điểm ảnh" in refused.value.errors["image"]  # says why, not "not an image"
    assert await ProductImage.all().count() == 0


async def test_large_but_not_absurd_png_is_refused_for_its_pixels(db: str, tmp_path: Path) -> None:
    account, product = await _own_product()
    with pytest.raises(ValidationFailed) as refused:
        await images.add_image(account, product.id, _png_bomb(6000), media_dir=tmp_path)
    assert "điểm ảnh" in refused.value.errors["image"]


async def test_photos_are_decoded_off_the_event_loop(db: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    account, product = await _own_product()
    threads: list[str] = []
    normalised = images._normalised

    def spy(content: bytes) -> tuple[bytes, int, int]:
        threads.append(threading.current_thread().name)
        return normalised(content)

    monkeypatch.setattr(images, "_normalised", spy)
    await images.add_image(account, product.id, _jpeg(), media_dir=tmp_path)
    assert threads and threads[0] != threading.main_thread().name


async def test_disk_full_while_writing_a_photo_leaves_nothing_behind(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account, product = await _own_product()
    real_write = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        real_write(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(OSError):
        await images.add_image(account, product.id, _jpeg(), media_dir=tmp_path)
    monkeypatch.undo()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert await ProductImage.all().count() == 0
    assert not await SearchOutbox.filter(entity="product", entity_id=product.id).exists()
    image = await images.add_image(account, product.id, _jpeg(), media_dir=tmp_path)
    assert (tmp_path / image.path).stat().st_size > 0


def _xlsx(cells: dict[str, Any]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["Tên sản phẩm", "Nhóm", "Giá"])
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def test_far_away_cell_in_a_tiny_workbook_is_refused_fast(db: str) -> None:
    account = await make_account("producer")
    await make_producer(owner=account)
    content = _xlsx({"A2": "Trà", "A1048576": "x"})
    assert len(content) < 10_000
    with pytest.raises(ImportFileError) as refused:  # from the sheet's size, before its rows
        await import_products(account, "sp.xlsx", content, dry_run=True)
    assert "quá xa" in refused.value.message


async def test_far_away_column_in_a_tiny_workbook_is_refused_fast(db: str) -> None:
    account = await make_account("producer")
    await make_producer(owner=account)
    content = _xlsx({**{f"A{n}": "Trà" for n in range(2, 4000)}, "XFD3": "x"})
    with pytest.raises(ImportFileError) as refused:
        await import_products(account, "sp.xlsx", content, dry_run=True)
    assert "quá xa" in refused.value.message


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x.vn\",\"Bấm\")", "@SUM(A1:A9)",
                                     "+1+2", "-1-2", "\t=1", "\r=1"])
def test_directory_csv_cells_never_run_as_formulas(hostile: str) -> None:
    entry = DirectoryEntry(exhibitor=hostile, province=hostile, booths=["A1"], zone="A",
                           products=[Product(name=hostile)], stars=4, producer_id=1)
    rows = list(csv.reader(io.StringIO(directory_csv([entry]).lstrip("\ufeff"))))
    exhibitor, province, products = rows[1][1], rows[1][2], rows[1][5]
    for cell in (exhibitor, province, products):
        assert cell == "'" + hostile
