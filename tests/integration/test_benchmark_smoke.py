"""Every benchmark in benchmarks/ runs end to end in its ``--smoke`` mode (tiny sizes, a few
seconds, its databases in a temporary folder) and prints one well-formed JSON line per figure:
{"metric", "value", "unit", "target", "better"}, the target a number or, for a figure the
script's docstring names as informational, null.

Only that each benchmark works is checked, not its figures: they depend on the machine and its
load (the full runs stay outside the suite; README.md, Benchmarks). A benchmark added without a
smoke mode fails here, because the scripts tested must be every script in benchmarks/.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def _xvfb_and_xlib() -> str | None:
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (Debian package xvfb): the on-screen benchmark needs a " \
               "real X server"
    try:
        import Xlib  # noqa: F401
    except ImportError:
        return "python-xlib is not installed (the test extra has it)"
    return None


def _onscreen_order(by_name: dict[str, float]) -> None:
    assert 0 < by_name["onscreen.startup.window_mapped_s.2000w"] \
        <= by_name["onscreen.startup.editor_text_s.2000w"]


# what each smoke run prints: every figure of the full run, at the smoke's sizes
SMOKE_FIGURES: dict[str, set[str]] = {
    "autosave": {
        "autosave_2000_words", "autosave_2000_words_p95", "autosave_2000_words_cpu",
        "autosave_2000_words_unchanged",
        "autosave_2000_words_what_if_lazy_checkpoint",
        "autosave_2000_words_what_if_lazy_checkpoint_cpu",
        "autosave_2000_words_what_if_lazy_checkpoint_and_fts",
        "autosave_2000_words_what_if_lazy_checkpoint_and_fts_cpu",
    },
    "demo_build": {"demo_build_default", "demo_build_2000_comments"},
    "dump": {
        "dump.export_rows_per_s", "dump.restore_rows_per_s", "dump.restored_equal",
        "dump.export_gz_rows_per_s", "dump.size_mb", "dump.gz_size_mb",
    },
    "import": {"import.comments_per_s", "import.peak_rss_mb", "import.seconds"},
    "export": {
        "export.wall_s.48p", "export.peak_rss_mb.48p", "export.bare_weasyprint_s.48p",
        "export.ratio_to_bare.48p", "export.preflight_s.48p", "export.pages.48p",
        "export.preview_follow_s.48p", "export.preview_max_stall_ms.48p",
    },
    "editor": {
        "editor.load_ms.2000w", "editor.keystroke_ms.median.2000w",
        "editor.keystroke_ms.max.2000w", "editor.hostile_line_style_ms",
        "editor.hostile_line_spell_ms", "editor.long_line_open_stall_ms",
        "editor.long_line_split_stall_ms", "editor.long_line_paste_stall_ms",
    },
    "moderation": {
        "moderate_open_pending_first_page_median", "moderate_jk_step_detail_median",
        "moderate_search_two_operators_median", "moderate_peak_rss_scrolled",
        "moderate_bulk_approve_200", "moderate_bulk_approve_200_max_gui_stall",
        "moderate_bulk_approve_200_idle_stall", "moderate_bulk_approve_200_until_wal_folded",
        "moderation_rules_throughput", "moderation_rules_throughput_cpu",
        "moderation_odd_comment_s",
    },
    "moderation_engine": {
        "moderation_rules_throughput", "moderation_rules_throughput_cpu",
        "moderation_odd_comment_s", "moderation_search_two_operators_median",
        "moderation_bulk_approve_200",
    },
    "onscreen": {
        "onscreen.startup.window_mapped_s.2000w", "onscreen.startup.editor_text_s.2000w",
        "onscreen.startup.preview_body_s.2000w", "onscreen.startup.window_recreated.2000w",
        "onscreen.startup.blink_ms.2000w", "onscreen.startup.layout_jumps.2000w",
        "onscreen.keystroke_ms.median.2000w", "onscreen.keystroke_ms.p95.2000w",
        "onscreen.keystroke_missed.2000w",
    },
    "preview": {
        "preview.keystroke_ms.median.2000w", "preview.keystroke_ms.p95.2000w",
        "preview.stall_ms.max.2000w", "preview.stall_ms.max.idle_baseline",
        "preview.full_markdown_ms.2000w", "preview.full_to_keystroke_ratio.2000w",
        "preview.hostile_failure_s", "preview.stall_ms.max.hostile",
        "preview.stall_ms.max.long_line",
    },
    "render": {
        "render.full_ms.2000w", "render.keystroke_ms.median.2000w",
        "render.keystroke_ms.p95.2000w", "render.full_to_keystroke_ratio.2000w",
        "render.worker.hang_failure_s", "render.worker.quarantined_rerender_s",
        "render.worker.bad_input_s", "render.worker.cancel_s",
    },
    "layout": {
        "layout.move_to_preview_ms.median", "layout.move_to_preview_ms.p95",
        "layout.undo_to_preview_ms.median", "layout.grab_ms.median",
        "layout.resolve_ms.median.2000", "layout.resolve_ms.p95.2000",
        "layout.move_write_ms.median",
    },
    "layout_resolve": {
        "layout.resolve_ms.median.2000", "layout.resolve_ms.p95.2000",
        "layout.move_write_ms.median",
    },
    "writing": {
        "writing.hostile_aids_s", "writing.diff_s.scattered_edits.10000w",
        "writing.diff_s.one_paragraph.10000w", "writing.long_lines_find_ms.1mb",
        "writing.long_lines_split_s.1mb",
    },
    "sync": {
        "sync.upload_rows_per_s", "sync.initial_pull_rows_per_s",
        "sync.initial_pull_peak_rss_mb", "sync.bulk_copy_rows_per_s", "sync.initial_pull_ratio",
        "sync.push_rows_per_s", "sync.incremental_round_trip_ms",
    },
    "startup": {
        "startup_first_paint_demo", "startup_first_paint_2000_comments",
        "startup_ratio_2000_comments_vs_demo", "startup_data_ready_demo",
        "startup_data_ready_2000_comments", "startup_data_ready_ratio_2000_comments_vs_demo",
        "startup_locked_db_refused_s",
    },
}
def _postgresql() -> str | None:
    from pg_server import PgUnavailable, find_bin_dir

    try:
        find_bin_dir()
    except PgUnavailable as exc:
        return f"PostgreSQL: {exc}"
    return None


NEEDS: dict[str, Callable[[], str | None]] = {"onscreen": _xvfb_and_xlib, "sync": _postgresql}
EXTRA_CHECKS: dict[str, Callable[[dict[str, float]], None]] = {"onscreen": _onscreen_order}
KEYS = {"metric", "value", "unit", "target", "better"}

pytestmark = pytest.mark.slow


def benchmark_scripts() -> set[str]:
    """The benchmarks: every script in benchmarks/ (``_*.py`` are their shared modules)."""
    return {p.stem for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_")}


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def named_informational(docstring: str, metric: str) -> bool:
    """Whether the docstring names ``metric`` (sizes as ``<N>``, ``*`` for a family) and says
    that some of its figures are informational."""
    general = re.sub(r"(?<![A-Za-z\d])\d+[km]?", "<N>", metric)
    names = re.findall(r"[\w.<>*]+", docstring)
    return "informational" in docstring and any(
        fnmatch.fnmatchcase(general, name) or fnmatch.fnmatchcase(metric, name)
        for name in names)


def test_every_benchmark_has_a_smoke_run_here() -> None:
    assert benchmark_scripts() == set(SMOKE_FIGURES), (
        "each script in benchmarks/ needs a --smoke mode and its figures in SMOKE_FIGURES")


@pytest.mark.parametrize("name", sorted(SMOKE_FIGURES))
def test_smoke_run_prints_a_well_formed_line_with_a_target_for_every_figure(name: str) -> None:
    missing = NEEDS.get(name, lambda: None)()
    if missing:
        pytest.skip(missing)
    script = BENCHMARKS / f"{name}.py"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, str(script), "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    figures = [json.loads(line) for line in lines]
    docstring = ast.get_docstring(ast.parse(script.read_text())) or ""
    for figure in figures:
        assert set(figure) == KEYS, figure
        assert isinstance(figure["metric"], str) and figure["metric"], figure
        assert is_number(figure["value"]), figure
        assert isinstance(figure["unit"], str) and figure["unit"], figure
        assert figure["better"] in ("lower", "higher"), figure
        target = figure["target"]
        assert target is None or is_number(target), figure
        if target is None:
            assert named_informational(docstring, figure["metric"]), \
                f"{figure['metric']} has no target and {name}.py does not call it informational"
    metrics = [f["metric"] for f in figures]
    assert len(metrics) == len(set(metrics)), f"a figure printed twice: {metrics}"
    assert set(metrics) == SMOKE_FIGURES[name], done.stdout
    assert any(f["target"] is not None for f in figures), "a benchmark with no target at all"
    if name in EXTRA_CHECKS:
        EXTRA_CHECKS[name]({f["metric"]: f["value"] for f in figures})
