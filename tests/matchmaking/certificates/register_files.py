"""Register files for tests, in the spec's format (specs/certificate-register.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

HEADER = ("decision_number", "decision_date", "authority", "level", "province", "producer_name",
          "producer_kind", "tax_code", "product_name", "group", "subgroup", "stars", "score",
          "certificate_number", "expiry")


def row(**values: object) -> dict[str, str]:
    """A valid row of a Lạng Sơn decision, with `values` changed."""
    base: dict[str, object] = {
        "decision_number": "1520/QĐ-UBND", "decision_date": "15/09/2025",
        "authority": "UBND tỉnh Lạng Sơn", "province": "Lạng Sơn",
        "producer_name": "HTX Hồi Văn Quan", "producer_kind": "Hợp tác xã",
        "product_name": "Tinh dầu hồi Văn Quan", "group": "Thảo dược", "stars": "4",
    }
    base.update(values)
    return {name: "" if value is None else str(value) for name, value in base.items()}


def register_csv(rows: Iterable[Mapping[str, str]], *, header: Iterable[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
