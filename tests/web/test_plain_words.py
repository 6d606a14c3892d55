"""Organiser and admin pages speak in words: allocation quality, audit codes, zones, sizes."""

from __future__ import annotations

from config import i18n
from matchmaking.fairs.plan import DirectoryEntry, directory_csv
from web.labels import allocation_quality, audit_label, zone_label


def test_allocation_quality_is_a_share_of_the_best_possible_not_raw_scores() -> None:
    i18n.set_language("vi")
    best = "Phương án tốt nhất có thể theo các mức ưu tiên và nguyện vọng này."
    assert allocation_quality(8410, 8410) == best
    assert allocation_quality(4.0, 5.0) == "Đạt 80% so với phương án tốt nhất có thể."
    assert allocation_quality(0, 0) == "Chưa có đơn đăng ký nào để xếp gian."
    i18n.set_language("en")
    try:
        assert allocation_quality(999, 1000) == "99% as good as the best possible allocation."
    finally:
        i18n.set_language("vi")


def test_audit_codes_read_as_words_and_unknown_codes_stay_readable() -> None:
    i18n.set_language("vi")
    assert audit_label("account.create") == "Đã tạo tài khoản"
    assert audit_label("something.new") == "something.new"


def test_directory_csv_names_zones_in_the_readers_language() -> None:
    i18n.set_language("vi")
    entry = DirectoryEntry(exhibitor="HTX Chè Bản Liền", province="Tuyên Quang", booths=["A-01"],
                           zone="beverages", products=[], stars=4, producer_id=1)
    rows = directory_csv([entry], zone_label=zone_label).splitlines()
    assert rows[1].split(",")[3] == zone_label("beverages") != "beverages"
