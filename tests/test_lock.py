"""The venv holds exactly what requirements.lock pins: what was tested is what runs."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[_canonical(match.group(1))] = match.group(2)
    return pins


def _installed() -> dict[str, str]:
    return {
        _canonical(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if dist.metadata["Name"]
    }


def test_every_locked_package_is_installed_at_its_locked_version() -> None:
    installed = _installed()
    wrong = {
        name: (version, installed.get(name))
        for name, version in _locked().items()
        if installed.get(name) != version
    }
    assert wrong == {}


def test_nothing_is_installed_that_the_lock_does_not_pin() -> None:
    extra = set(_installed()) - set(_locked()) - {"ocop-connect", "pip"}
    assert extra == set()


def test_every_pin_carries_a_hash() -> None:
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    unhashed = [block.split()[0] for block in blocks if PIN.match(block) and "--hash=sha256:" not in block]
    assert unhashed == []
