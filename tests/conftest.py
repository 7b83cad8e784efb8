"""Shared fixtures. Tests never touch the real data/ folder or the internet."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

HERE = Path(__file__).parent
DATA = HERE / "data"
REPO = HERE.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-network", action="store_true", help="run tests that need the internet")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Long tests first (slow ones, then the browser suites), each group in its usual order: the workers
    # (pytest-xdist) take the long ones while the rest queue, so no worker is left alone with one at the end.
    items.sort(key=lambda item: 0 if "slow" in item.keywords else 1 if "browser" in item.keywords else 2)
    if config.getoption("--run-network"):
        return
    skip = pytest.mark.skip(reason="needs the internet; run with --run-network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The one Chromium each worker shared between its browser tests (tests/_browser.py).
    from _fork import stop_helper

    from _browser import stop_shared_browser

    stop_shared_browser()
    stop_helper()  # the process that forks the `geo serve` of the server tests (tests/_fork.py)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data's offline site, built once for the run (tests/_once.py): tests serve and read it, never change it."""
    from geo.render import build_site

    from _once import once

    def make(out: Path) -> None:
        build_site(REPO / "data" / "locations.geojson", out, offline=True, node_modules=REPO / "node_modules")

    return once(tmp_path_factory, "bundled-site", make)


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for driving the ``geo`` group end to end."""
    return CliRunner()


@pytest.fixture
def valid_path(tmp_path: Path) -> Path:
    """A private copy of tests/data/places_valid.geojson (5 hand-made places)."""
    dest = tmp_path / "places.geojson"
    shutil.copy(DATA / "places_valid.geojson", dest)
    return dest


@pytest.fixture
def bundled_path(tmp_path: Path) -> Path:
    """A private copy of the bundled data/locations.geojson."""
    dest = tmp_path / "locations.geojson"
    shutil.copy(REPO / "data" / "locations.geojson", dest)
    return dest


@pytest.fixture
def data(bundled_path: Path) -> Path:
    """The bundled data's private copy that a real `geo serve` works on (the server suites)."""
    return bundled_path


@pytest.fixture
def served(data: Path) -> Iterator[object]:
    """A real `geo serve` on 127.0.0.1 over :func:`data`, stopped after the test."""
    from _server import running

    with running(data) as s:
        yield s


@pytest.fixture
def places_gdf(valid_path: Path):
    """The hand-made places as a GeoDataFrame."""
    from geo.store import load_locations

    return load_locations(valid_path)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep caches in tmp and strip GEO_* variables a developer may have set."""
    for key in list(os.environ):
        if key.startswith("GEO_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    # Fake services on loopback need no politeness delay; rate-limit tests set their own.
    monkeypatch.setenv("GEO_MIN_DELAY_SECONDS", "0")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    # A browser page that saw a test fail is not handed to the next test (tests/_browser.py's pool).
    report = yield
    if report.failed and "browser" in item.keywords:
        from _browser import discard_idle

        discard_idle()
    return report
