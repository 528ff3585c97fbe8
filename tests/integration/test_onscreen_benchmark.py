"""benchmarks/onscreen.py --smoke: the on-screen benchmark runs end to end under its own Xvfb
(the real application, XTEST key presses, DAMAGE and GetImage) and prints one well-formed JSON
line per figure, each with a target. Only that it works is checked here, not the figures: they
depend on the machine and its load."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "onscreen.py"
FIGURES = {
    "onscreen.startup.window_mapped_s.2000w", "onscreen.startup.editor_text_s.2000w",
    "onscreen.startup.preview_body_s.2000w", "onscreen.startup.window_recreated.2000w",
    "onscreen.startup.blink_ms.2000w", "onscreen.startup.layout_jumps.2000w",
    "onscreen.keystroke_ms.median.2000w", "onscreen.keystroke_ms.p95.2000w",
    "onscreen.keystroke_missed.2000w",
}

pytestmark = pytest.mark.slow


def test_smoke_run_prints_a_json_line_with_a_target_for_every_figure() -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb): the on-screen benchmark "
                    "needs a real X server")
    pytest.importorskip("Xlib", reason="python-xlib is not installed (the test extra has it)")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    done = subprocess.run([sys.executable, str(SCRIPT), "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    figures = [json.loads(line) for line in lines]
    assert {f["metric"] for f in figures} == FIGURES, done.stdout
    for figure in figures:
        assert set(figure) == {"metric", "value", "unit", "target", "better"}, figure
        assert isinstance(figure["value"], int | float) and math.isfinite(figure["value"])
        assert figure["value"] >= 0, figure
        assert isinstance(figure["target"], int | float), figure
        assert figure["better"] == "lower", figure
        assert figure["unit"] in ("s", "ms", "count"), figure
    by_name = {f["metric"]: f["value"] for f in figures}
    assert 0 < by_name["onscreen.startup.window_mapped_s.2000w"] \
        <= by_name["onscreen.startup.editor_text_s.2000w"]
