"""`ocop users create --role officer --province P` and `ocop certificates import FILE`."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_commands import assert_one_clear_line, env, ocop  # noqa: F401
from tests.matchmaking.certificates.register_files import register_csv, row


def test_officer_created_then_register_imported_dry_then_for_real(
    env: dict[str, str], tmp_path: Path  # noqa: F811
) -> None:
    assert ocop("migrate", env=env).returncode == 0
    created = ocop("users", "create", "--email", "ocop@langson.gov.vn", "--role", "officer",
                   "--province", "Lạng Sơn", "--password", "Hoi-Van-Quan-2026", env=env)
    assert created.returncode == 0, created.stderr
    wrong = ocop("users", "create", "--email", "x@y.vn", "--role", "officer", "--province",
                 "Atlantis", "--password", "Hoi-Van-Quan-2026", env=env)
    assert_one_clear_line(wrong, "province")
    path = tmp_path / "qd-1520.csv"
    path.write_bytes(register_csv([row(), row(product_name="Rượu Mẫu Sơn")]))
    dry = ocop("certificates", "import", str(path), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Nothing has been saved" in dry.stdout or "Chưa lưu" in dry.stdout or dry.stdout
    real = ocop("certificates", "import", str(path), "--officer-email", "ocop@langson.gov.vn",
                env=env)
    assert real.returncode == 0, real.stderr
    again = ocop("certificates", "import", str(path), env=env)
    assert again.returncode == 0 and ": 2" in again.stdout.splitlines()[-2]  # both already there
    bad = tmp_path / "bad.csv"
    bad.write_bytes(register_csv([row(stars="7")]))
    refused = ocop("certificates", "import", str(bad), env=env)
    assert refused.returncode == 2 and "stars" in refused.stdout.lower() + refused.stderr
