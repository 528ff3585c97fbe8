#!/usr/bin/env python3
"""Start PSE Desk from a fresh checkout, or run its tests: the README's two commands.

``python3 main.py [options] [COMMAND ...]`` and ``python3 main.py test [pytest args]``.

Outside the project's virtual environment this file uses only the standard library: it creates
``.venv``, installs the project into it with pip, installs (as root, with apt-get) the Debian
libraries that Qt, QtWebEngine and WeasyPrint need, and then re-runs itself with
``.venv/bin/python``. A stamp file in ``.venv`` remembers what was installed (a hash of
``pyproject.toml`` and the package list), so a second launch skips all of it.

Inside the virtual environment it either runs pytest (``test``) or, when the selected database
does not exist yet and no subcommand is given, builds the demo newsroom first and then hands
over to ``pse_desk.app.main``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
BOOTSTRAP_ENV = "PSE_DESK_BOOTSTRAPPED"

# Qt offscreen with QtWebEngine, a real window through xcb, WeasyPrint, fonts, spelling.
# See ../shared/PITFALLS.md for where these lists come from.
QT_DEBS = [
    "libegl1", "libgl1", "libx11-6", "libxcomposite1", "libxdamage1", "libxext6", "libxfixes3",
    "libxrandr2", "libxtst6", "libasound2", "libbrotli1", "libdbus-1-3", "libfontconfig1",
    "libfreetype6", "libgbm1", "libglib2.0-0", "libnspr4", "libnss3", "libxcb-dri3-0", "libxcb1",
    "libxkbcommon0", "libxkbfile1",
]
XCB_DEBS = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-render-util0",
    "libxcb-render0", "libxcb-shape0", "libxcb-util1", "libxcb-xkb1", "libxkbcommon-x11-0",
]
PRINT_DEBS = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "poppler-utils",
              "fonts-dejavu-core", "fonts-dejavu-extra"]
SPELL_DEBS = ["libenchant-2-2", "hunspell-en-gb"]
RUNTIME_DEBS = QT_DEBS + XCB_DEBS + PRINT_DEBS + SPELL_DEBS
# what the test suite needs on top: a display server, the PostgreSQL server, PDF checkers
TEST_DEBS = [*RUNTIME_DEBS, "xvfb", "postgresql", "poppler-utils", "qpdf"]


def say(sentence: str) -> None:
    print(f"PSE Desk: {sentence}", file=sys.stderr, flush=True)


class SetupFailed(Exception):
    """A setup step failed; ``str()`` is the sentence to show."""


# --- outside the virtual environment: standard library only ------------------------------------

def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def stamp_path(testing: bool) -> Path:
    return VENV / (".pse-desk-stamp-test" if testing else ".pse-desk-stamp")


def wanted_stamp(testing: bool) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update("\n".join(TEST_DEBS if testing else RUNTIME_DEBS).encode())
    digest.update(f"{sys.version_info[:2]} root={os.geteuid() == 0}".encode())
    return digest.hexdigest()


def read_stamp(testing: bool) -> tuple[str, bool] | None:
    """What the last set-up recorded: the hash, and whether no Debian package was missing."""
    stamp = stamp_path(testing)
    if not VENV_PYTHON.exists() or not stamp.exists():
        return None
    lines = stamp.read_text().split()
    return (lines[0], "debs-missing" not in lines) if lines else None


def write_stamp(testing: bool, debs_ok: bool) -> None:
    text = wanted_stamp(testing) + ("" if debs_ok else "\ndebs-missing")
    stamp_path(testing).write_text(text + "\n")


def run_logged(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    """Run a command with its output in ``log``; raise with the log's tail when it fails."""
    with log.open("w") as fh:
        result = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, check=False)
    if result.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-15:])
        raise SetupFailed(f"`{' '.join(cmd[:4])} …` failed (exit {result.returncode}); "
                          f"the last lines of {log} follow.\n{tail}")


def missing_debs(packages: list[str]) -> list[str]:
    """The Debian packages in ``packages`` that dpkg does not list as installed."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *packages],
        capture_output=True, text=True, check=False)
    installed = {line.split()[0] for line in result.stdout.splitlines()
                 if line.endswith(" installed")}
    return [p for p in packages if p not in installed]


def ensure_debs(packages: list[str]) -> bool:
    """Install missing Debian packages as root, else name them; True when none is missing."""
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        return True  # not Debian: the user installs the libraries their own way
    missing = missing_debs(packages)
    if not missing:
        return True
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        say(f"{len(missing)} Debian package(s) that PSE Desk needs are missing; install them "
            f"with:\n    sudo apt-get update && sudo {' '.join(command)}")
        return False
    say(f"installing {len(missing)} Debian package(s) with apt-get (first run only) …")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run_logged(["apt-get", "update"], Path("/tmp/pse-desk-apt-update.log"), env)
    run_logged(command, Path("/tmp/pse-desk-apt-install.log"), env)
    return True


def ensure_venv() -> None:
    if VENV_PYTHON.exists():
        probe = subprocess.run([str(VENV_PYTHON), "-c", "import sys"], capture_output=True,
                               check=False)
        if probe.returncode == 0:
            return
        say(f"the virtual environment in {VENV} does not run; making it again …")
        shutil.rmtree(VENV)
    say(f"creating a virtual environment in {VENV} …")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        raise SetupFailed("could not create a virtual environment (on Debian install "
                          f"python3-venv: apt-get install python3-venv).\n{result.stderr}")


def ensure_python_packages(testing: bool) -> None:
    target = f"{ROOT}[test]" if testing else str(ROOT)  # the project, wherever we run from
    what = "the project and its test tools" if testing else "the project"
    say(f"installing {what} into .venv with pip (first run only; PySide6 is large, "
        "this can take a few minutes) …")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore")
    run_logged([str(VENV_PYTHON), "-m", "pip", "install", "-e", target], VENV / "pip.log", env)


def bootstrap(testing: bool) -> None:
    """Create or update .venv and the system libraries unless the stamp says all is in place."""
    stamp = read_stamp(testing)
    if stamp == (wanted_stamp(testing), True):
        return
    debs_ok = ensure_debs(TEST_DEBS if testing else RUNTIME_DEBS)
    if stamp is None or stamp[0] != wanted_stamp(testing):
        ensure_venv()
        ensure_python_packages(testing)
    write_stamp(testing, debs_ok)
    if testing:  # the test set-up holds everything the application needs too
        write_stamp(False, debs_ok)


def reexec_in_venv(argv: list[str]) -> None:
    if os.environ.get(BOOTSTRAP_ENV):
        raise SetupFailed(f"{VENV_PYTHON} did not start inside {VENV}; delete that folder "
                          "and run this command again.")
    os.environ[BOOTSTRAP_ENV] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "main.py"), *argv])


# --- inside the virtual environment ------------------------------------------------------------

def run_tests(pytest_args: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.geteuid() == 0:  # QtWebEngine refuses to start as root without these
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    env.pop(BOOTSTRAP_ENV, None)
    code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    if code == 5:
        say("pytest collected no tests; that counts as a failure.")
    return code


def build_demo_newsroom(path: Path) -> int:
    """Build the demo beside ``path`` and move it into place when it is complete, so an
    interrupted first run never leaves a half-built newsroom that later launches would open."""
    import sqlite3

    from pse_desk import cli
    from pse_desk.errors import DeskError
    from pse_desk.store.preflight import preflight

    try:
        preflight(path)  # a read-only or unusable place is reported with the path the user gave
    except DeskError as exc:
        print(f"pse-desk: {exc}", file=sys.stderr)
        return 1
    side = path.with_name(path.name + ".building")
    companions = [side, *(side.with_name(side.name + end) for end in ("-wal", "-shm"))]
    for leftover in companions:
        leftover.unlink(missing_ok=True)
    say(f"no newsroom at {path} yet; building the demo newsroom there …")
    code = cli.main(["--db", str(side), "demo", "--quiet"])
    sys.stdout.flush()  # its summary line before whatever the window prints
    if code == 0:
        con = sqlite3.connect(side)  # fold the write-ahead log into the file before moving it
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        os.replace(side, path)
    for leftover in companions:
        leftover.unlink(missing_ok=True)
    return code


def run_app(argv: list[str]) -> int:
    os.environ.pop(BOOTSTRAP_ENV, None)
    from pse_desk import cli
    from pse_desk.paths import resolve_db_path

    args = cli.build_parser().parse_args(argv)  # --help and bad options exit here
    if args.command is None:
        path = resolve_db_path(args.db)
        if not path.exists() or path.stat().st_size == 0:
            code = build_demo_newsroom(path)
            if code != 0:
                return code
    from pse_desk.app import main as app_main

    return app_main(argv)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever python3 the system has
        say(f"PSE Desk needs Python 3.11 or newer; this is Python {sys.version.split()[0]}.")
        return 1
    testing = argv[:1] == ["test"]
    try:
        if not in_project_venv():
            bootstrap(testing)
            reexec_in_venv(argv)
    except SetupFailed as exc:
        say(str(exc))
        return 1
    except KeyboardInterrupt:
        say("setup interrupted; run the command again to finish it.")
        return 130
    return run_tests(argv[1:]) if testing else run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
