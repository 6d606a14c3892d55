"""Vietnam's administrative units since 1 July 2025 (34 provinces, then wards and communes)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from vietnam_provinces import Province, Ward


@cache
def _provinces() -> dict[int, Province]:
    return {int(p.code): p for p in Province.iter_all()}


@cache
def _wards() -> dict[int, Ward]:
    return {int(w.code): w for w in Ward.iter_all()}


def province_codes() -> list[int]:
    """All current province codes, in official order."""
    return sorted(_provinces())


def is_province(code: int) -> bool:
    return code in _provinces()


def ward_in_province(ward_code: int, province_code: int) -> bool:
    """Whether `ward_code` is a current ward or commune of `province_code`."""
    ward = _wards().get(ward_code)
    return ward is not None and int(ward.province_code) == province_code


def province_name(code: int) -> str:
    """The province's full name, e.g. 'Tỉnh Lạng Sơn'; empty for an unknown code."""
    province = _provinces().get(code)
    return province.name if province else ""


def short_province_name(code: int) -> str:
    """The name without its 'Tỉnh' / 'Thành phố' prefix, as people say it."""
    name = province_name(code)
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def ward_name(code: int | None) -> str:
    if code is None:
        return ""
    ward = _wards().get(code)
    return ward.name if ward else ""


# Since 1 July 2025 the 63 provinces are 34; old names in records and searches map to these.
LEGACY_PROVINCES: dict[str, str] = {
    "Hà Giang": "Tuyên Quang", "Bắc Kạn": "Thái Nguyên", "Hòa Bình": "Phú Thọ",
    "Vĩnh Phúc": "Phú Thọ", "Bắc Giang": "Bắc Ninh", "Yên Bái": "Lào Cai",
    "Hải Dương": "Hải Phòng", "Thái Bình": "Hưng Yên", "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Thừa Thiên Huế": "Huế",
    "Quảng Nam": "Đà Nẵng", "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa", "Phú Yên": "Đắk Lắk", "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng", "Bình Phước": "Đồng Nai", "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh", "Bà Rịa Vũng Tàu": "Hồ Chí Minh",
    "Long An": "Tây Ninh", "Tiền Giang": "Đồng Tháp", "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long", "Kiên Giang": "An Giang", "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ", "Bạc Liêu": "Cà Mau", "Sài Gòn": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh", "HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh",
}


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics: 'Đắk Lắk' -> 'dak lak'."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().replace("-", " ").split())


@cache
def _province_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for code in province_codes():
        short = short_province_name(code)
        index[fold(short)] = code
        index[fold(province_name(code))] = code
    for old, new in LEGACY_PROVINCES.items():
        index[fold(old)] = index[fold(new)]
    return index


def resolve_province(text: str) -> int | None:
    """A current province code from a name, old or new, with or without accents or prefix."""
    folded = fold(text)
    for prefix in ("tinh ", "thanh pho ", "tp ", "tp. "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    if folded.isdigit():
        code = int(folded)
        return code if is_province(code) else None
    return _province_index().get(folded)


def wards_of(province_code: int) -> list[tuple[int, str]]:
    """(code, name) of the province's wards and communes, by name."""
    wards = [(int(w.code), w.name) for w in _wards().values() if int(w.province_code) == province_code]
    return sorted(wards, key=lambda item: fold(item[1]))


CENTROIDS = Path(__file__).parent / "data" / "province-centroids.csv"


@cache
def _centroids() -> dict[int, tuple[float, float]]:
    import csv

    with CENTROIDS.open(encoding="utf-8") as handle:
        return {int(row["code"]): (float(row["lat"]), float(row["lon"]))
                for row in csv.DictReader(handle)}


def distance_km(province_a: int, province_b: int) -> float | None:
    """Great-circle distance between two provinces' administrative centres, in km."""
    import math

    points = _centroids()
    if province_a not in points or province_b not in points:
        return None
    (lat1, lon1), (lat2, lon2) = points[province_a], points[province_b]
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")
# Ward names that are also everyday or product words: "sơn mài" is lacquer, "thanh long" dragon
# fruit, "an toàn" safe, "trà tân" the start of "trà Tân Cương".
NOT_PLACES = frozenset({
    "an toan", "son mai", "thanh long", "kim ngan", "tra tan", "doan ket", "trung tam",
    "thong nhat", "tay nam", "thao nguyen", "viet hoa", "hoa vang", "hong ha", "tan lap",
    "tien phong", "hop thanh", "hung thinh", "thanh xuan", "chi minh",
})


@cache
def place_phrases() -> dict[str, tuple[str, int, frozenset[str]]]:
    """Folded place names people type -> ("province", code) or ("ward", its province's code), with
    the names as written with their diacritics.

    Provinces by their current and old names (with and without "tỉnh"/"thành phố"); wards and
    communes by their name of two words or more (one-word names such as "Hà" would catch
    ordinary words).
    """
    phrases: dict[str, tuple[str, int, set[str]]] = {}

    def add(name: str, kind: str, code: int) -> None:
        key = fold(name)
        entry = phrases.setdefault(key, (kind, code, set()))
        if kind == "province" and entry[0] == "ward":
            entry = phrases[key] = (kind, code, entry[2])
        entry[2].add(" ".join(name.lower().replace("-", " ").split()))

    for ward in _wards().values():
        name = ward.name
        for prefix in WARD_PREFIXES:
            name = name.removeprefix(prefix)
        key = fold(name)
        if len(key.split()) >= 2 and not key.split()[-1].isdigit() and key not in NOT_PLACES:
            add(name, "ward", int(ward.province_code))
    for code in province_codes():
        add(short_province_name(code), "province", code)
        add(province_name(code), "province", code)
    for old, new in LEGACY_PROVINCES.items():
        add(old, "province", _province_index()[fold(new)])
    add("Hà Nội", "province", 1)
    return {key: (kind, code, frozenset(names)) for key, (kind, code, names) in phrases.items()}


def find_place(typed: list[str], start: int, folded: list[str] | None = None,
               ) -> tuple[int, str, int] | None:
    """The longest place name starting at `typed[start]`: (how many words, "province" or "ward",
    province code), or None. Words typed with diacritics must match the name's ("bạc hà", mint,
    is not Bắc Hà); words typed without match any."""
    phrases = place_phrases()
    keys = folded if folded is not None else [fold(w) for w in typed]
    for length in range(min(5, len(typed) - start), 0, -1):
        words = typed[start:start + length]
        found = phrases.get(" ".join(keys[start:start + length]))
        if found is None:
            continue
        written = " ".join(w.lower() for w in words)
        if written == " ".join(keys[start:start + length]) or written in found[2]:
            return length, found[0], found[1]
    return None


def place_words(q: str) -> tuple[str, tuple[str, int] | None]:
    """The search text with the places it names taken apart: a province's name, old or new, is
    taken out and returned as (words typed, current province code) for the province filter
    ("chè Hà Giang" -> "chè" in Tuyên Quang); a ward's name moves behind the product words (the
    search takes it out as a place match, search.places). Several provinces, or none, leave the
    text's words alone."""
    typed = q.split()
    found = named_places(typed)
    taken = {i for start, length, *_ in found for i in range(start, start + length)}
    kept = [word for i, word in enumerate(typed) if i not in taken]
    wards = [w for start, length, kind, *_ in found if kind == "ward"
             for w in typed[start:start + length]]
    provinces = [(" ".join(typed[start:start + length]), code)
                 for start, length, kind, _, code in found if kind == "province"]
    if len({code for _, code in provinces}) > 1:
        return " ".join(kept + [w for words, _ in provinces for w in words.split()] + wards), None
    return " ".join(kept + wards), (provinces[0] if provinces else None)


def named_places(typed: list[str]) -> list[tuple[int, int, str, str, int]]:
    """Each place the words name, in order: (first word's index, how many words, "province" or
    "ward", the folded name, the province's code): "Nước mắm Phú Quốc" names the ward "phu quoc"
    (in An Giang) at 2, 2 words."""
    folded = [fold(word) for word in typed]
    found: list[tuple[int, int, str, str, int]] = []
    i = 0
    while i < len(typed):
        place = find_place(typed, i, folded)
        if place is None:
            i += 1
            continue
        found.append((i, place[0], place[1], " ".join(folded[i:i + place[0]]), place[2]))
        i += place[0]
    return found
