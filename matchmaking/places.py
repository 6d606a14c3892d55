"""Vietnam's administrative units since 1 July 2025 (34 provinces, then wards and communes)."""

from __future__ import annotations

from functools import cache

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
