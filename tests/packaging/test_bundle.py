"""The PyInstaller bundle: build.spec builds it, and the frozen app starts and finds its files.

The build takes about a minute, so it runs once per test run (a session fixture; under
pytest-xdist the workers share one build through a file lock) and every test here uses it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from desktop.store.migrate import HEAD_REVISION

REPO = Path(__file__).resolve().parents[2]
#: Packages of the sync server and of development only: never in the desktop bundle.
FORBIDDEN = ("fastapi", "uvicorn", "starlette", "psycopg", "argon2", "sync.server", "pytest", "hypothesis")
BUILD_TIMEOUT_S = 600
RUN_TIMEOUT_S = 120

pytestmark = pytest.mark.timeout(BUILD_TIMEOUT_S + 4 * RUN_TIMEOUT_S)


def _build(dist: Path, work: Path) -> float:
    """Run PyInstaller on build.spec; returns the seconds it took."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"),
            *("--distpath", str(dist), "--workpath", str(work), str(REPO / "build.spec")),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return time.perf_counter() - start


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built one-folder bundle (``.../imbizo``), built once per test run."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every xdist worker's base temp lives in
    folder = shared / "imbizo-bundle"
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / "build.lock")):
        done = folder / "built.json"
        if not done.exists():
            seconds = _build(folder / "dist", folder / "work")
            done.write_text(json.dumps({"seconds": seconds}))
            print(f"\nbuild.spec: bundle built in {seconds:.0f} s", file=sys.stderr)
    return folder / "dist" / "imbizo"


Run = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run_bundle(bundle: Path, tmp_path: Path) -> Run:
    """Run the bundle's executable offscreen with config, settings and logs in the test's folder."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "IMBIZO_CONFIG_DIR": str(tmp_path / "config"),
        "IMBIZO_LOG_DIR": str(tmp_path / "logs"),
    }
    # Nothing from the checkout or the venv may leak into the frozen app.
    for name in ("IMBIZO_DATA_DIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bundle / "imbizo"), *args],
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )

    return run


def _schema_revision(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def test_the_bundle_starts_offscreen_with_the_smoke_flag_on_a_new_profile(
    run_bundle: Run, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    done = run_bundle("--data-dir", str(profile), "--smoke-test")
    assert done.returncode == 0, done.stderr[-4000:]
    # The frozen app ran Alembic's migration scripts (read as files from the bundle) to the head...
    assert _schema_revision(profile / "imbizo.db") == HEAD_REVISION
    # ...and built the Whoosh index beside the database.
    assert (profile / "index" / "imbizo-index.json").is_file()


def test_the_bundle_command_line_imports_loads_the_demo_and_searches(
    run_bundle: Run, tmp_path: Path, corpus: Path
) -> None:
    profile = str(tmp_path / "profile")
    # The demo knowledge base comes from resources/ inside the bundle.
    done = run_bundle("--data-dir", profile, "demo")
    assert done.returncode == 0, done.stderr[-4000:]
    # Markdown with YAML front matter and MARC (pymarc) through the frozen importers.
    slice_ = [
        corpus / "knowledge_base" / "digitalgov" / "news" / "2014" / "05",
        corpus / "library" / "pymarc_test",
    ]
    done = run_bundle("--data-dir", profile, "import", *map(str, slice_), "--json")
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)
    assert report["added"] > 40

    done = run_bundle("--data-dir", profile, "search", "contact center", "--json")
    assert done.returncode == 0, done.stderr[-4000:]
    hits = json.loads(done.stdout)["hits"]
    assert any("contact center" in hit["title"].lower() for hit in hits)

    done = run_bundle("--data-dir", profile, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_bundle_holds_its_files_and_not_the_server(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    internal = bundle / "_internal"
    assert (internal / "resources" / "demo" / "demo_knowledge_base.json").is_file()
    assert (internal / "resources" / "schemas" / "search.schema.json").is_file()
    assert list((internal / "resources" / "icons").glob("*.svg"))
    # Alembic reads the migration scripts as files: every one of them must be there.
    source = REPO / "desktop" / "store" / "migrations"
    frozen = internal / "desktop" / "store" / "migrations"
    scripts = {str(p.relative_to(source)) for p in source.rglob("*.py")}
    assert "versions/0001_initial.py" in scripts
    assert scripts == {str(p.relative_to(frozen)) for p in frozen.rglob("*.py")}

    modules = set(CArchiveReader(str(bundle / "imbizo")).open_embedded_archive("PYZ.pyz").toc)
    assert {"desktop.session", "whoosh.codec.whoosh3", "sqlalchemy.dialects.sqlite", "alembic.op"} <= modules
    assert {"yaml", "pymarc"} <= modules
    assert {"sync.client", "sync.engine", "sync.protocol", "pydantic", "requests"} <= modules
    files = [str(p.relative_to(internal)) for p in internal.rglob("*")]
    for name in FORBIDDEN:
        assert not [m for m in modules if m == name or m.startswith(name + ".")], f"{name} is in the bundle"
        assert not [f for f in files if f.split("/")[0].split("-")[0] == name], (
            f"{name} files are in the bundle"
        )


def test_the_bundle_signs_in_and_syncs_with_a_real_server(run_bundle: Run, tmp_path: Path) -> None:
    from tests.support.server_process import running_server

    profile = str(tmp_path / "profile")
    assert run_bundle("--data-dir", profile, "demo").returncode == 0
    with running_server(tmp_path / "server", {"alice": ("staff", "correct horse battery")}) as url:
        signed = run_bundle_stdin(
            run_bundle, "correct horse battery\n", "--data-dir", profile, "login", url, "alice"
        )
        assert signed.returncode == 0, signed.stderr[-4000:]
        done = run_bundle("--data-dir", profile, "sync", "--json")
        assert done.returncode == 0, done.stderr[-4000:]
        assert json.loads(done.stdout)["verified"] is True  # demo records never sync: nothing to push


def run_bundle_stdin(run: Run, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the bundle with ``stdin`` (the password) on its standard input."""
    return run(*args, stdin=stdin)
