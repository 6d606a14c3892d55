from __future__ import annotations

import pytest

from matchmaking.places import (
    distance_km,
    fold,
    province_codes,
    resolve_province,
    ward_in_province,
    wards_of,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Hà Giang", 8), ("ha giang", 8), ("Tỉnh Lạng Sơn", 20), ("TP HCM", 79), ("Bình Dương", 79),
     ("Thua Thien Hue", 46), ("dak lak", 66), ("20", 20), ("Hòa Bình", 25), ("Atlantis", None)],
)
def test_old_and_new_province_names_resolve(text: str, code: int | None) -> None:
    assert resolve_province(text) == code


def test_thirty_four_provinces_each_with_a_centroid_and_wards() -> None:
    assert len(province_codes()) == 34
    for code in province_codes():
        assert distance_km(code, 1) is not None
        assert wards_of(code)


def test_distances_are_plausible() -> None:
    assert distance_km(1, 1) == 0
    assert 1100 < (distance_km(1, 79) or 0) < 1200  # Hà Nội to Hồ Chí Minh City
    assert 130 < (distance_km(1, 20) or 0) < 160  # Hà Nội to Lạng Sơn


def test_wards_belong_to_their_province() -> None:
    code, _ = wards_of(20)[0]
    assert ward_in_province(code, 20) and not ward_in_province(code, 1)


def test_fold_removes_vietnamese_marks() -> None:
    assert fold("Trà Shan Tuyết Đồng Văn") == "tra shan tuyet dong van"
