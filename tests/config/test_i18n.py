from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from config import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_interface_string_has_a_vietnamese_translation(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o",
         str(pot), "--omit-header", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    with (ROOT / "config/locale/vi/LC_MESSAGES/messages.po").open("rb") as handle:
        translated = {m.id for m in read_po(handle) if m.id and m.string}
    assert len(wanted) > 50
    assert wanted - translated == set(), "run `make messages` and translate config/locale/vi"


def test_money_reads_as_vietnamese_dong() -> None:
    assert i18n.format_vnd(120_000) == "120.000\xa0₫"
    i18n.set_language("en")
    try:
        assert i18n.format_vnd(1_500_000) == "1.500.000\xa0₫"
    finally:
        i18n.set_language("vi")


def test_unknown_language_falls_back_to_vietnamese() -> None:
    i18n.set_language("fr")
    assert i18n.current_language() == "vi"
    assert i18n.gettext("Log in") == "Đăng nhập"
