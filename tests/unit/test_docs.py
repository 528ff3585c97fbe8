"""The README documents what exists: every command and option of the CLI registry, the two
first commands a new user types, and the command CI runs.

The CLI reference in README.md has one ``### `pse-desk …` `` heading per command; each
command's options (and their choices) must appear in its own section.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pse_desk.cli import build_parser
from pse_desk.paths import DB_ENV

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]  # () is the program itself
    options: tuple[str, ...]
    choices: tuple[str, ...]


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse._SubParsersAction]:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield action


def walk(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every command that runs something (leaves, and the program itself) with its options."""
    options: list[str] = []
    choices: list[str] = []
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        options.append(max(action.option_strings, key=len))
        choices.extend(str(c) for c in action.choices or ())
    subs = list(_subparsers(parser))
    if not subs or not words:
        yield Command(words, tuple(options), tuple(choices))
    for sub in subs:
        for name, child in sub.choices.items():
            yield from walk(child, (*words, name))


def sections() -> dict[tuple[str, ...], str]:
    """README sections under ``### `pse-desk …` `` headings, keyed by their command words."""
    found: dict[tuple[str, ...], str] = {}
    parts = re.split(r"^### ", README, flags=re.M)
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        match = re.match(r"`pse-desk((?: [a-z][a-z0-9-]*)*)", heading)
        if match:
            found[tuple(match.group(1).split())] = body
    return found


def fenced_blocks(text: str) -> list[list[str]]:
    """The command lines of each fenced code block (prompts and comments dropped)."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.M | re.S)
    return [[line.removeprefix("$ ").strip() for line in block.splitlines()
             if line.strip() and not line.lstrip().startswith("#")] for block in blocks]


def test_every_command_has_its_own_readme_section() -> None:
    documented = sections()
    missing = [" ".join(("pse-desk", *c.words)) for c in walk(build_parser())
               if c.words not in documented]
    assert not missing, f"README.md needs a '### `...`' section for: {missing}"


def test_every_option_and_choice_is_documented_in_its_commands_section() -> None:
    documented = sections()
    undocumented = []
    for command in walk(build_parser()):
        body = documented.get(command.words, "")
        for item in (*command.options, *command.choices):
            if item not in body:
                undocumented.append(f"{' '.join(('pse-desk', *command.words))}: {item}")
    assert not undocumented, f"README.md does not mention: {undocumented}"


def test_the_database_environment_variable_is_documented() -> None:
    assert DB_ENV in sections()[()]


def test_the_first_two_commands_are_launch_and_test() -> None:
    blocks = fenced_blocks(README)
    assert blocks[0] == ["python3 main.py"]
    assert blocks[1] == ["python3 main.py test"]


def test_ci_runs_the_readmes_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    test_command = fenced_blocks(README)[1][0]
    assert re.search(rf"^exec {re.escape(test_command)} \"\$@\"$", script, flags=re.M)
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script


def test_the_walk_sees_the_commands_we_know_exist() -> None:
    names = {c.words for c in walk(build_parser())}
    assert {(), ("demo",), ("db", "upgrade")} <= names


def test_readme_shows_every_screenshot_and_each_one_it_shows_exists() -> None:
    shown = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", README)
    assert len(shown) >= 5, f"README.md should show the workspaces' screenshots, not {shown}"
    missing = [path for path in shown if not (ROOT / path).is_file()]
    assert not missing, f"README.md shows {missing}, which are not in the repository"
    kept = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert kept == set(shown), f"docs/screenshots holds pictures README.md never shows: " \
                               f"{sorted(kept - set(shown))}"


def test_the_debian_packages_added_for_tests_are_named_in_the_readme() -> None:
    spec = importlib.util.spec_from_file_location("pse_desk_bootstrap", ROOT / "main.py")
    assert spec is not None and spec.loader is not None
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    added = set(bootstrap.TEST_DEBS) - set(bootstrap.RUNTIME_DEBS)
    assert {"xvfb", "postgresql"} <= added  # packages we know are there: the loop checks some
    unnamed = sorted(p for p in added if f"`{p}`" not in README)
    assert not unnamed, f"README.md does not name the test packages {unnamed}"
