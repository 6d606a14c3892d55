"""One Meilisearch per data directory: the lock refuses a second process, the record finds the first."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from config.settings import load_settings
from search.binary import ensure_binary
from search.datadir import DataDirBusy, read_address
from search.server import EmbeddedMeili


def embedded(data_dir: Path) -> EmbeddedMeili:
    settings = load_settings(env_file="/nonexistent")
    binary = ensure_binary(settings.meili_cache_dir, settings.meili_bin)
    return EmbeddedMeili(binary=binary, data_dir=data_dir, master_key="k" * 24, production=False)


def test_a_second_meilisearch_on_the_same_data_is_refused_until_the_first_stops(tmp_path: Path) -> None:
    first = embedded(tmp_path / "meili")
    first.start()
    try:
        address = read_address(tmp_path / "meili")
        assert address is not None and address.url == first.url and address.master_key == "k" * 24
        assert "k" * 24 not in repr(address)
        assert stat.S_IMODE((tmp_path / "meili" / "address.json").stat().st_mode) == 0o600
        second = embedded(tmp_path / "meili")
        with pytest.raises(DataDirBusy, match="a Meilisearch already runs on"):
            second.start()
        assert second.process is None
    finally:
        first.stop()
    assert read_address(tmp_path / "meili") is None
    again = embedded(tmp_path / "meili")
    again.start()
    again.stop()
