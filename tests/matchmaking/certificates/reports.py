"""Register fixtures mirroring the five reports of shared/domain.md (and shared/seeds/).

Each builder returns a register file (CSV, the spec's format) whose decisions reproduce the
report's figures; products and producers are invented, the counts are the report's.
"""

from __future__ import annotations

from datetime import date, timedelta

from matchmaking.places import LEGACY_PROVINCES, province_codes, short_province_name
from tests.matchmaking.certificates.register_files import register_csv

GROUPS = ("Thực phẩm", "Đồ uống", "Thảo dược", "Thủ công mỹ nghệ")


def _rows(province: str, decided: date, number: str, *, stars: list[int], producers: int,
          start: int = 0, authority: str = "", level: str = "") -> list[dict[str, str]]:
    """One decision's rows: len(stars) products spread over `producers` producers."""
    rows = []
    for i, count in enumerate(stars):
        n = start + i
        rows.append({
            "decision_number": number, "decision_date": decided.strftime("%d/%m/%Y"),
            "authority": authority or f"UBND tỉnh {province}", "level": level,
            "province": province, "producer_name": f"HTX {province} số {n % producers + 1}",
            "producer_kind": "Hợp tác xã" if n % 3 else "Doanh nghiệp",
            "product_name": f"Sản phẩm {province} {n + 1}", "group": GROUPS[n % len(GROUPS)],
            "stars": str(count),
        })
    return rows


def bac_ninh() -> bytes:
    """Bắc Ninh 2020: 14 producers, 33 products rated, 3 at 3 stars and 30 at 4; by 04/2023
    93 provincial products, 59 at 4 stars and 34 at 3 (report of 2023)."""
    rows = _rows("Bắc Ninh", date(2020, 11, 20), "2130/QĐ-UBND", stars=[3] * 3 + [4] * 30,
                 producers=14)
    rows += _rows("Bắc Ninh", date(2021, 12, 10), "1755/QĐ-UBND", stars=[3] * 12 + [4] * 11,
                  producers=9, start=33)
    rows += _rows("Bắc Ninh", date(2022, 12, 5), "1980/QĐ-UBND", stars=[3] * 14 + [4] * 12,
                  producers=10, start=56)
    rows += _rows("Bắc Ninh", date(2023, 3, 28), "412/QĐ-UBND", stars=[3] * 5 + [4] * 6,
                  producers=5, start=82)
    return register_csv(rows)


def hoa_binh() -> bytes:
    """Hòa Bình 2019 (now Phú Thọ): 27 products of 21 producers recognised, 9 at 4 stars and 18
    at 3; the district round before it is history (a 2-star district result among it)."""
    districts = _rows("Hòa Bình", date(2019, 8, 15), "85/QĐ-UBND", stars=[2] * 7,
                      producers=7, start=100, authority="UBND huyện Cao Phong", level="district")
    rows = _rows("Hòa Bình", date(2019, 12, 26), "2956/QĐ-UBND", stars=[4] * 9 + [3] * 18,
                 producers=21)
    return register_csv(districts + rows)


def lang_son() -> bytes:
    """Lạng Sơn 2022: 34 products certified that year, 120 in all, 24 at 4 stars, 96 at 3."""
    rows = _rows("Lạng Sơn", date(2019, 12, 20), "2450/QĐ-UBND", stars=[3] * 24 + [4] * 6,
                 producers=12)
    rows += _rows("Lạng Sơn", date(2020, 12, 18), "2511/QĐ-UBND", stars=[3] * 22 + [4] * 6,
                  producers=11, start=30)
    rows += _rows("Lạng Sơn", date(2021, 12, 22), "2603/QĐ-UBND", stars=[3] * 22 + [4] * 6,
                  producers=11, start=58)
    rows += _rows("Lạng Sơn", date(2022, 7, 8), "1266/QĐ-UBND", stars=[3] * 12 + [4] * 3,
                  producers=8, start=86)
    rows += _rows("Lạng Sơn", date(2022, 12, 16), "2480/QĐ-UBND", stars=[3] * 16 + [4] * 3,
                  producers=9, start=101)
    return register_csv(rows)


# The country by 10/2020: 48 provinces had rated products; the four the report names, the rest
# spread so that the total is 2,170 (90.4% of the 2,400 the 2018-2020 programme aimed at).
NAMED = {"Hà Nội": 301, "Quảng Ninh": 191, "Hà Giang": 120, "Bắc Kạn": 105}
COUNTRY_TOTAL = 2170


def old_provinces() -> list[str]:
    """The 63 provinces before 2025: 33 names still in use and the 30 merged away."""
    merged = [name for name in dict.fromkeys(LEGACY_PROVINCES)
              if name not in ("Bà Rịa Vũng Tàu", "Sài Gòn", "TP HCM", "HCM", "TPHCM")]
    current = [short_province_name(code) for code in province_codes()]
    return [name for name in current if name != "Huế"] + merged  # Huế was Thừa Thiên Huế


def country() -> bytes:
    others = [name for name in old_provinces() if name not in NAMED][:48 - len(NAMED)]
    remaining = COUNTRY_TOTAL - sum(NAMED.values())
    counts = dict(NAMED)
    for i, name in enumerate(others):
        counts[name] = remaining // len(others) + (1 if i < remaining % len(others) else 0)
    rows: list[dict[str, str]] = []
    for p, (name, count) in enumerate(counts.items()):
        first = date(2019, 6, 1) + timedelta(days=p * 9)
        half = count // 2
        rows += _rows(name, first, f"{100 + p}/QĐ-UBND", stars=[3] * half,
                      producers=max(1, count // 3))
        rows += _rows(name, date(2020, 9, 30), f"{900 + p}/QĐ-UBND",
                      stars=[4] * (count - half), producers=max(1, count // 3), start=half)
    return register_csv(rows)
