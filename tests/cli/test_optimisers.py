"""`ocop allocate-booths` and `ocop schedule-meetings` on their JSON instance files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OCOP = str(Path(sys.executable).parent / "ocop")

BOOTHS = {
    "booths": [
        {"id": "A-01", "zone": "food", "x": 0, "y": 0, "w": 3, "h": 3},
        {"id": "A-02", "zone": "food", "x": 3, "y": 0, "w": 3, "h": 3},
        {"id": "A-03", "zone": "mixed", "x": 6, "y": 0, "w": 3, "h": 3},
    ],
    "applications": [
        {"id": "htx-che", "province": "8", "category": "tea", "zones": ["food"], "booths": 2,
         "weight": 400, "preferences": {"A-01": 20}},
        {"id": "mat-ong", "province": "8", "category": "honey", "zones": ["food", "mixed"],
         "booths": 1, "weight": 300, "preferences": {}},
        {"id": "det-may", "province": "8", "category": "craft", "zones": ["craft"], "booths": 1,
         "weight": 300, "preferences": {}},
    ],
    "rules": {"province_cap": None, "competitor_penalty": 30},
}
MEETINGS = {
    "slots": ["2026-06-12T09:00", "2026-06-12T09:20"],
    "tables": 1,
    "participants": [{"id": "b-1"}, {"id": "p-1"}, {"id": "p-2"}],
    "requests": [{"id": "r-1", "a": "b-1", "b": "p-1", "weight": 3},
                 {"id": "r-2", "a": "b-1", "b": "p-2", "weight": 2}],
}


def run(tmp_path: Path, command: str, instance: object) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(instance), encoding="utf-8")
    env = {**os.environ, "OCOP_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run([OCOP, command, str(path), "--time-limit", "10"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_allocate_booths_prints_the_result(tmp_path: Path) -> None:
    result = run(tmp_path, "allocate-booths", BOOTHS)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["assignments"]["htx-che"] and answer["assignments"]["mat-ong"] == ["A-03"]
    assert answer["status"] == "optimal" and answer["bound"] == answer["objective"]
    assert answer["waitlist"] == ["det-may"]
    assert answer["reasons"] == {"det-may": "no_zone"}


def test_schedule_meetings_prints_the_result(tmp_path: Path) -> None:
    result = run(tmp_path, "schedule-meetings", MEETINGS)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {v["slot"] for v in answer["schedule"].values()} == {0, 1}
    assert answer["objective"] == 5.0


def test_malformed_instance_names_the_field(tmp_path: Path) -> None:
    broken = {**BOOTHS, "applications": [{**BOOTHS["applications"][0], "booths": 7}]}
    result = run(tmp_path, "allocate-booths", broken)
    assert result.returncode == 2
    assert "applications[0].booths" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_file_that_is_not_json_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json")
    env = {**os.environ, "OCOP_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run([OCOP, "schedule-meetings", str(path)], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_schedule_meetings_stdout_is_only_the_answer(tmp_path: Path) -> None:
    result = run(tmp_path, "schedule-meetings", MEETINGS)
    assert json.loads(result.stdout)["status"] == "optimal"
