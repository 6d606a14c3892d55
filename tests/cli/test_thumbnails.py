"""`ocop thumbnails`: an operator gives older photos their small copies; twice is harmless."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PIL import Image

from tests.cli.processes import clean_env, ocop


def test_thumbnails_command_makes_the_missing_ones_once(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "var")
    assert ocop("migrate", env=env).returncode == 0
    assert ocop("seed", "--quiet", "--products", "20", "--buyers", "2", "--demands", "2",
                env=env, timeout=120).returncode == 0
    media = tmp_path / "var" / "media"
    photo = media / "products" / "1" / "old.webp"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (1200, 900), (90, 60, 30)).save(photo, "WEBP")
    with sqlite3.connect(tmp_path / "var" / "ocop.sqlite3") as database:
        database.execute("INSERT INTO product_image (product_id, path, width, height, position, "
                         "has_thumbnail) VALUES (1, 'products/1/old.webp', 1200, 900, 0, 0)")

    first = ocop("thumbnails", env=env)
    second = ocop("thumbnails", env=env)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "1 thumbnails made, 0 found on disk, 0 photos missing"
    with Image.open(media / "products" / "1" / "old-480.webp") as small:
        assert small.size == (480, 360)
    with Image.open(media / "products" / "1" / "old-960.webp") as phone:
        assert phone.size == (960, 720)
    assert second.stdout.strip() == "0 thumbnails made, 0 found on disk, 0 photos missing"
