"""Starting the desk as a user does, in a subprocess: screenshots, no display, a bad file."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from pse_desk.ui.launch import NO_DISPLAY, SCREENSHOT_SIZE


def _run(args: list[str], env: dict[str, str], tmp_path: Path,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=timeout)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PSE_DESK_DB")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env.update(extra)
    return env


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("workspace", ["moderate"])
def test_screenshot_writes_a_png_of_the_window_size(tmp_path: Path, newsroom_db: Path,
                                                    workspace: str) -> None:
    out = tmp_path / "shots" / f"{workspace}.png"
    done = _run(["--db", str(newsroom_db), "--workspace", workspace, "--screenshot", str(out)],
                _env(tmp_path), tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000
    assert _png_size(out) == SCREENSHOT_SIZE
    assert not (tmp_path / "config").exists()  # a screenshot run leaves the preferences alone


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_without_a_display_one_sentence_points_at_screenshot(tmp_path: Path) -> None:
    done = _run(["--db", str(tmp_path / "x.sqlite")], _env(tmp_path), tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == NO_DISPLAY
    assert "--screenshot" in done.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_a_non_database_file_gives_one_sentence_exit_1_and_is_unchanged(tmp_path: Path) -> None:
    bogus = tmp_path / "letter.sqlite"
    bogus.write_bytes(b"Dear editor, this is a letter and not a database.\n" * 40)
    before = bogus.read_bytes()
    done = _run(["--db", str(bogus), "--screenshot", str(tmp_path / "s.png")],
                _env(tmp_path), tmp_path)
    assert done.returncode == 1
    sentence = [line for line in done.stderr.splitlines() if line.startswith("pse-desk:")]
    assert len(sentence) == 1 and "is not a PSE Desk database" in sentence[0]
    assert bogus.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.sqlite"]


def test_startup_probe_prints_the_first_paint_time(tmp_path: Path, newsroom_db: Path) -> None:
    done = _run(["--db", str(newsroom_db)],
                _env(tmp_path, QT_QPA_PLATFORM="offscreen", PSE_DESK_STARTUP_PROBE="1"),
                tmp_path)
    assert done.returncode == 0, done.stderr
    word, seconds = done.stdout.split()
    assert word == "first-paint" and 0 < float(seconds) < 30
