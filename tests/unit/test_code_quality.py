"""House rules checked, not hoped for: import contracts, ruff and mypy run as the tests run.

The import contracts live in pyproject.toml ([tool.importlinter]): Qt stays in ``pse_desk.ui``
and ``pse_desk.app``, and the layers point one way (ui → services → logic → store). Tests here
also prove the contracts bite (a copy of the package with a bad import breaks them) and that
every package of ours is named in them, so a new package cannot slip past unchecked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# modules every layer may use: our exceptions and where files live
CROSS_CUTTING = {"errors", "paths"}
# the Qt side: the only code allowed to import PySide6 and qtawesome
QT_SIDE = {"ui", "app"}


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else name


def run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def our_packages() -> set[str]:
    """Top-level modules and packages of pse_desk, by their last name."""
    names = {p.name for p in (ROOT / "pse_desk").iterdir()
             if p.is_dir() and (p / "__init__.py").exists()}
    names |= {p.stem for p in (ROOT / "pse_desk").glob("*.py") if p.stem != "__init__"}
    return names - {"__main__"}


def contract(kind: str) -> dict[str, Any]:
    contracts = pyproject()["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["type"] == kind)


def layer_names() -> set[str]:
    names: set[str] = set()
    for layer in contract("layers")["layers"]:
        for part in layer.replace("|", ":").split(":"):
            names.add(part.strip().strip("()").removeprefix("pse_desk."))
    return names


def test_import_contracts_are_kept() -> None:
    result = run([tool("lint-imports")])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def lint_a_copy_with(tmp_path: Path, planted: dict[str, str]) -> str:
    """Run the import contracts on a copy of the package with ``planted`` modules added
    (path below pse_desk -> source); the report, after checking that it failed."""
    shutil.copytree(ROOT / "pse_desk", tmp_path / "pse_desk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for name, source in planted.items():
        (tmp_path / "pse_desk" / name).write_text(source)
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = run([tool("lint-imports")], cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    return output


def test_import_contracts_break_on_qt_below_ui_and_on_an_upward_import(tmp_path: Path) -> None:
    output = lint_a_copy_with(tmp_path, {
        "moderation/sneaky_dialog.py":
            '"""A widget where it does not belong."""\nfrom PySide6.QtWidgets import QDialog\n',
        "store/upward.py":
            '"""The store reaching up into a service."""\nimport pse_desk.services.moderation\n',
    })
    assert "pse_desk.moderation.sneaky_dialog -> PySide6" in output
    assert "pse_desk.store.upward -> pse_desk.services.moderation" in output


def test_the_logic_packages_are_independent_and_cycles_break_the_contract(
        tmp_path: Path) -> None:
    output = lint_a_copy_with(tmp_path, {
        "moderation/borrowed.py":
            '"""A logic package reaching into a sibling."""\nimport pse_desk.render.sanitise\n',
        "writing/first.py": '"""One half of a cycle."""\nimport pse_desk.writing.second\n',
        "writing/second.py": '"""The other half."""\nimport pse_desk.writing.first\n',
    })
    assert "pse_desk.moderation.borrowed -> pse_desk.render.sanitise" in output
    assert "No import cycles BROKEN" in output
    assert "No cycles are allowed in pse_desk.writing" in output


def test_every_package_below_ui_is_forbidden_to_import_qt() -> None:
    sources = {m.removeprefix("pse_desk.") for m in contract("forbidden")["source_modules"]}
    missing = our_packages() - QT_SIDE - sources
    assert not missing, (f"add {sorted('pse_desk.' + m for m in missing)} to source_modules "
                         "of the Qt contract in pyproject.toml")


def test_every_package_has_a_place_in_the_layers() -> None:
    missing = our_packages() - CROSS_CUTTING - layer_names()
    assert not missing, (f"add {sorted('pse_desk.' + m for m in missing)} to the layers "
                         "contract in pyproject.toml")


def test_mypy_checks_every_package_below_ui() -> None:
    config = pyproject()["tool"]["mypy"]
    checked = {name.removeprefix("pse_desk.")
               for name in config.get("packages", []) + config.get("modules", [])}
    missing = our_packages() - QT_SIDE - checked
    assert not missing, (f"add {sorted('pse_desk.' + m for m in missing)} to [tool.mypy] "
                         "packages or modules in pyproject.toml")


def test_ruff_finds_nothing() -> None:
    result = run([tool("ruff"), "check", "--no-cache", "."])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_below_ui() -> None:
    result = run([sys.executable, "-m", "mypy"])
    assert result.returncode == 0, result.stdout + result.stderr
