"""Hall layout as plain data: the booth grid generator, booth CSV rows, adjacency.

Pure functions: no database, so they are tested on their own and reused by the verbs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from config.i18n import gettext as _
from matchmaking.enums import BoothKind, ProductGroup
from matchmaking.errors import ValidationFailed
from matchmaking.optim.booths_model import Booth as GeometryBooth
from matchmaking.optim.booths_model import derive_adjacency

MIXED = "mixed"
ZONES = (*(g.value for g in ProductGroup), MIXED)
MAX_BOOTHS_PER_HALL = 2000
MAX_CODE = 20
CSV_COLUMNS = ("code", "zone", "kind", "price", "x", "y", "w", "h")


@dataclass(frozen=True)
class BoothSpec:
    """A booth before it is saved: code, zone, kind, price and its rectangle on the grid."""

    code: str
    zone: str
    kind: BoothKind
    price_vnd: int
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class GridSpec:
    """What the organiser asks of the generator."""

    rows: int
    columns: int
    booth_w: int
    booth_h: int
    aisle_every_columns: int
    aisle_every_rows: int
    aisle_width: int
    zones: tuple[str, ...]
    island: bool
    prices: Mapping[BoothKind, int]
    code_prefix: str = ""


@dataclass(frozen=True)
class Layout:
    booths: list[BoothSpec]
    width: int
    height: int


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip().replace(".", "").replace(",", "")
    return int(text) if text.lstrip("-").isdigit() else None


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


def parse_price(value: object) -> int | None:
    from matchmaking.parsing import parse_vnd

    if value is None or str(value).strip() == "":
        return 0
    return parse_vnd(value)


def validate_grid(data: Mapping[str, Any]) -> GridSpec:
    """Check the generator's inputs; ValidationFailed names every wrong field."""
    errors: dict[str, str] = {}

    def number(name: str, low: int, high: int, default: int | None = None) -> int:
        raw = data.get(name)
        value = default if (raw is None or str(raw).strip() == "") and default is not None else _whole(raw)
        if value is None or not low <= value <= high:
            errors[name] = _("Enter a whole number from {low} to {high}.").format(low=low, high=high)
            return low
        return value

    rows = number("rows", 1, 60)
    columns = number("columns", 1, 60)
    booth_w = number("booth_w", 1, 20, 3)
    booth_h = number("booth_h", 1, 20, 3)
    every_columns = number("aisle_every_columns", 0, 60, 0)
    every_rows = number("aisle_every_rows", 0, 60, 0)
    aisle = number("aisle_width", 1, 10, 2)
    if "rows" not in errors and "columns" not in errors and rows * columns > MAX_BOOTHS_PER_HALL:
        errors["columns"] = _("A hall holds at most {n} booths.").format(n=MAX_BOOTHS_PER_HALL)
    raw_zones = data.get("zones") or []
    zones = [raw_zones] if isinstance(raw_zones, str) else [str(z) for z in raw_zones]
    zones = [z.strip() for z in zones if z.strip()]
    if any(z not in ZONES for z in zones):
        errors["zones"] = _("Choose zones among the six product groups, or mixed.")
    groups = tuple(dict.fromkeys(z for z in zones if z != MIXED)) or (MIXED,)
    prices: dict[BoothKind, int] = {}
    for kind in BoothKind:
        price = parse_price(data.get(f"price_{kind.value}"))
        if price is None or price < 0:
            errors[f"price_{kind.value}"] = _("Enter the price as a whole number of đồng.")
        prices[kind] = price or 0
    prefix = str(data.get("code_prefix") or "").strip()
    if len(prefix) > 6 or not all(c.isalnum() or c in "-_" for c in prefix):
        errors["code_prefix"] = _("A prefix has at most 6 letters, digits or dashes.")
    if errors:
        raise ValidationFailed(errors)
    return GridSpec(rows=rows, columns=columns, booth_w=booth_w, booth_h=booth_h,
                    aisle_every_columns=every_columns, aisle_every_rows=every_rows,
                    aisle_width=aisle, zones=groups, island=_flag(data.get("island")),
                    prices=prices, code_prefix=prefix)


def row_label(index: int) -> str:
    """A, B, ... Z, AA, AB, ... like spreadsheet columns."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(65 + rest) + label
    return label


def _offset(index: int, size: int, every: int, aisle: int) -> int:
    return index * size + ((index // every) * aisle if every else 0)


def _block_count(count: int, every: int) -> int:
    return (count + every - 1) // every if every else 1


def _zone(spec: GridSpec, column: int) -> str:
    zones = spec.zones
    blocks = _block_count(spec.columns, spec.aisle_every_columns)
    if spec.aisle_every_columns and blocks >= len(zones):
        return zones[(column // spec.aisle_every_columns) * len(zones) // blocks]
    return zones[column * len(zones) // spec.columns]


def _kind(spec: GridSpec, row: int, column: int) -> BoothKind:
    every_c, every_r = spec.aisle_every_columns, spec.aisle_every_rows
    if spec.island and every_c and every_r:
        column_block, row_block = column // every_c, row // every_r
        inner_columns = 0 < column_block < _block_count(spec.columns, every_c) - 1
        inner_rows = 0 < row_block < _block_count(spec.rows, every_r) - 1
        if inner_columns and inner_rows:
            return BoothKind.ISLAND
    in_block = column % every_c if every_c else column
    block_end = min(every_c, spec.columns - (column - in_block)) - 1 if every_c else spec.columns - 1
    if spec.columns > 1 and in_block in (0, block_end):
        return BoothKind.CORNER
    return BoothKind.STANDARD


def generate_grid(spec: GridSpec) -> Layout:
    """Booths in rows and columns, with aisles every N columns/rows.

    Zones run in column bands (one per admitted group, aligned with the column blocks when there
    are enough of them). The booths at each end of a row segment are corners; with `island`,
    blocks with aisles on all four sides (not touching the hall's walls) are islands.
    """
    booths = []
    for row in range(spec.rows):
        for column in range(spec.columns):
            kind = _kind(spec, row, column)
            booths.append(BoothSpec(
                code=f"{spec.code_prefix}{row_label(row)}-{column + 1:02d}",
                zone=_zone(spec, column), kind=kind, price_vnd=spec.prices[kind],
                x=_offset(column, spec.booth_w, spec.aisle_every_columns, spec.aisle_width),
                y=_offset(row, spec.booth_h, spec.aisle_every_rows, spec.aisle_width),
                w=spec.booth_w, h=spec.booth_h,
            ))
    width = max(b.x + b.w for b in booths)
    height = max(b.y + b.h for b in booths)
    return Layout(booths, width, height)


def parse_booth_csv(text: str) -> Layout:
    """Booth rows `code, zone, kind, price, x, y, w, h`; all or nothing.

    ValidationFailed maps "row N" (the line in the file) to what is wrong with it.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationFailed({"file": _("The file is empty.")})
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed({"file": _("Missing columns: {columns}.").format(
            columns=", ".join(missing))})
    if len(rows) - 1 > MAX_BOOTHS_PER_HALL:
        raise ValidationFailed({"file": _("A hall holds at most {n} booths.").format(
            n=MAX_BOOTHS_PER_HALL)})
    index = {name: header.index(name) for name in CSV_COLUMNS}
    errors: dict[str, str] = {}
    booths: list[BoothSpec] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
        problems: list[str] = []
        code = cells["code"]
        if not code or len(code) > MAX_CODE:
            problems.append(_("the code is missing or longer than 20 characters"))
        elif code in seen:
            problems.append(_("code {code} is already on row {row}").format(code=code, row=seen[code]))
        zone = cells["zone"].lower() or MIXED
        if zone not in ZONES:
            problems.append(_("unknown zone “{zone}”").format(zone=cells["zone"]))
        kind = cells["kind"].lower() or BoothKind.STANDARD.value
        if kind not in {k.value for k in BoothKind}:
            problems.append(_("the kind is standard, corner or island"))
        price = parse_price(cells["price"])
        if price is None or price < 0:
            problems.append(_("the price is not a whole number of đồng"))
        numbers = {name: _whole(cells[name]) for name in ("x", "y", "w", "h")}
        if any(v is None or v < 0 for v in numbers.values()) or not (numbers["w"] and numbers["h"]):
            problems.append(_("x and y are whole numbers from 0, w and h from 1"))
        if problems:
            errors[f"row {line}"] = "; ".join(problems)
            continue
        seen[code] = line
        booths.append(BoothSpec(code=code, zone=zone, kind=BoothKind(kind), price_vnd=price or 0,
                                x=numbers["x"] or 0, y=numbers["y"] or 0, w=numbers["w"] or 1,
                                h=numbers["h"] or 1))
    if not errors:
        errors.update(_overlaps(booths, seen))
    if errors:
        raise ValidationFailed(errors)
    return Layout(booths, max(b.x + b.w for b in booths), max(b.y + b.h for b in booths))


def _overlaps(booths: list[BoothSpec], lines: Mapping[str, int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    ordered = sorted(booths, key=lambda b: b.x)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x >= a.x + a.w:
                break
            if b.y < a.y + a.h and a.y < b.y + b.h:
                errors[f"row {lines[b.code]}"] = _("booth {code} overlaps booth {other}").format(
                    code=b.code, other=a.code)
    return errors


def adjacency(booths: Iterable[tuple[str, object, int, int, int, int]]) -> dict[str, set[str]]:
    """Neighbours of each booth code: rectangles sharing an edge within the same hall.

    `booths` yields (code, hall, x, y, w, h); booths of different halls are never adjacent.
    """
    by_hall: dict[object, list[GeometryBooth]] = {}
    neighbours: dict[str, set[str]] = {}
    for code, hall, x, y, w, h in booths:
        by_hall.setdefault(hall, []).append(GeometryBooth(code, "", x, y, w, h))
        neighbours[code] = set()
    for hall_booths in by_hall.values():
        for a, b in derive_adjacency(hall_booths):
            neighbours[a].add(b)
            neighbours[b].add(a)
    return neighbours


def is_connected(codes: Iterable[str], neighbours: Mapping[str, set[str]]) -> bool:
    group = set(codes)
    if not group:
        return False
    start = next(iter(group))
    seen, frontier = {start}, [start]
    while frontier:
        for other in neighbours.get(frontier.pop(), set()) & group:
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    return seen == group


def connected_groups(candidates: set[str], neighbours: Mapping[str, set[str]],
                     size: int) -> list[frozenset[str]]:
    """Every connected set of `size` booths among `candidates` (size is at most 4)."""
    found: set[frozenset[str]] = set()
    layer = {frozenset([code]) for code in candidates}
    for _step in range(size - 1):
        layer = {group | {n} for group in layer for code in group
                 for n in neighbours.get(code, set()) & candidates if n not in group}
    found.update(layer)
    return sorted(found, key=lambda g: sorted(g))
