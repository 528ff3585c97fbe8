"""``pse-desk render FILE.md`` in a real subprocess: the page, warnings and failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pse_desk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_render_writes_a_standalone_page_with_the_first_heading_as_title(tmp_path: Path) -> None:
    source = tmp_path / "article.md"
    source.write_text("# Councils look ahead\n\nA *plan* for the year.\n\n"
                      "<script>alert(1)</script>\n", encoding="utf-8")
    target = tmp_path / "article.html"
    done = pse_desk("render", str(source), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    page = target.read_text(encoding="utf-8")
    assert '<h1 class="pse-title">Councils look ahead</h1>' in page
    assert "<p>A <em>plan</em> for the year.</p>" in page
    assert "<script" not in page and "<style>" in page and "<link" not in page


def test_render_without_output_prints_the_page(tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text("Just text.", encoding="utf-8")
    done = pse_desk("render", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!DOCTYPE html>")
    assert '<h1 class="pse-title">notes</h1>' in done.stdout


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "latin1.md"
    source.write_bytes(b"Caf\xe9 culture\n")
    done = pse_desk("render", str(source))
    assert done.returncode == 0
    assert done.stderr.strip() == (f"pse-desk: {source} is not valid UTF-8 (the first bad byte "
                                   "is at offset 3); undecodable bytes are shown as \ufffd.")
    assert "Caf\ufffd culture" in done.stdout


def test_text_that_cannot_render_in_time_exits_1_naming_the_line(tmp_path: Path) -> None:
    source = tmp_path / "hostile.md"
    source.write_text("# Title\n\nFine.\n\n" + "[" * 20000 + "a" + "]" * 20000, encoding="utf-8")
    target = tmp_path / "hostile.html"
    done = pse_desk("render", str(source), "-o", str(target), "--deadline", "1")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("pse-desk: This text could not be rendered within 1 second; "
                                  "the trouble starts at line 5")
    assert not target.exists()


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    done = pse_desk("render", str(tmp_path / "nope.md"))
    assert done.returncode == 1
    assert done.stderr == f"pse-desk: {tmp_path / 'nope.md'} does not exist.\n"


def test_a_deadline_that_is_not_positive_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("text", encoding="utf-8")
    done = pse_desk("render", str(source), "--deadline", "0")
    assert done.returncode == 1
    assert done.stderr == "pse-desk: --deadline must be a positive number of seconds.\n"


def test_a_block_too_large_to_format_is_written_whole_with_a_warning(tmp_path: Path) -> None:
    line = "".join(f"word{i} " for i in range(460_000))  # one line of about 5 MB
    source = tmp_path / "long.md"
    source.write_text(f"# Long\n\nShort first.\n\n{line}\n\nShort last.\n", encoding="utf-8")
    target = tmp_path / "long.html"
    done = pse_desk("render", str(source), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("pse-desk: The block at line 5 is too large to format (4.9 million "
                           "characters) and is shown as plain text; the page holds all of its "
                           "text.\n")
    page = target.read_text(encoding="utf-8")
    assert line.strip() in page  # every word, in order
    assert "more characters not shown" not in page
    assert "<p>Short first.</p>" in page and "<p>Short last.</p>" in page
