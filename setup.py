"""Build hooks: put the report's data and the page's front-end assets into the distributions.

Everything else about the build is in ``pyproject.toml``. None of these copies is in git: the checkout keeps one
working data file (``data/locations.geojson``) and gets the assets from npm (``npm ci``, pinned by
``package-lock.json``). When a distribution is built they are copied in:

- the wheel's ``geo/data/`` gets ``data/locations.geojson`` and the sample street extract
  (``tests/data/synthetic_river_grid.osm``), so ``geo init`` and the notebook work after ``pip install``;
- the wheel's ``geo/static/vendor/`` gets, for each npm package the page uses, its ``package.json`` and the files
  ``geo.render`` copies for an offline site, at the version ``package-lock.json`` pins;
- the sdist carries ``geo/static/vendor/`` too (it has no ``node_modules``), so a wheel built from it has them.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
VENDOR = Path("geo") / "static" / "vendor"
#: Files of the checkout copied into the package's geo/data/ (source, name in the package).
DATA_FILES = (("data/locations.geojson", "locations.geojson"),
              ("tests/data/synthetic_river_grid.osm", "synthetic_river_grid.osm"))  # fmt: skip


def _asset_files() -> dict[str, tuple[str, ...]]:
    """Read ``geo.render._ASSET_DIRS`` (what an offline site copies) without importing the package."""
    tree = ast.parse((ROOT / "geo" / "render.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "_ASSET_DIRS":
            return dict(ast.literal_eval(node.value))
    msg = "geo/render.py has no _ASSET_DIRS: cannot tell which front-end files the page needs"
    raise SystemExit(msg)


def _locked_versions() -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return {name.removeprefix("node_modules/"): entry["version"] for name, entry in lock["packages"].items() if name}


def _vendor(dest: Path) -> None:
    """Copy the page's npm packages from node_modules into ``dest`` (laid out as node_modules), checked against the lock."""
    locked = _locked_versions()
    for package, items in _asset_files().items():
        src = ROOT / "node_modules" / package
        try:
            got = json.loads((src / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            msg = f"building nanguan-geo needs the page's assets: {package} is not in node_modules; run `npm ci` first"
            raise SystemExit(msg) from None
        if got != locked.get(package):
            msg = f"node_modules has {package} {got}, package-lock.json pins {locked.get(package)}; run `npm ci`"
            raise SystemExit(msg)
        target = dest / package
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copy2(src / "package.json", target / "package.json")
        for notice in sorted(src.glob("LICEN[CS]E*")):  # each package's licence travels with its files
            shutil.copy2(notice, target / notice.name)
        for item in items:
            if (src / item).is_dir():
                shutil.copytree(src / item, target / item)
            else:
                shutil.copy2(src / item, target / item)


def _bundle(package_dir: Path) -> None:
    """Put the data files and the assets into a built ``geo`` package folder."""
    (package_dir / "data").mkdir(parents=True, exist_ok=True)
    for source, name in DATA_FILES:
        shutil.copy2(ROOT / source, package_dir / "data" / name)
    _assets(package_dir / "static" / "vendor")


def _assets(dest: Path) -> None:
    """Put the assets into ``dest``: from an unpacked sdist's own copy, else from the checkout's node_modules."""
    shipped = ROOT / VENDOR  # present in an unpacked sdist, never in a checkout
    if (shipped / "leaflet" / "package.json").is_file():
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(shipped, dest)
    else:
        _vendor(dest)


class BuildPy(build_py):
    """Build the package, then add the report's data and the front-end assets (not for editable installs)."""

    def run(self) -> None:
        """Run setuptools' build_py, then bundle."""
        super().run()
        if not getattr(self, "editable_mode", False):  # an editable install reads the checkout's own files
            _bundle(Path(self.build_lib) / "geo")


class Sdist(sdist):
    """Make the sdist, with the front-end assets (an sdist has no node_modules to build a wheel from)."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """Make the release tree, then add the assets to it."""
        super().make_release_tree(base_dir, files)
        _assets(Path(base_dir) / VENDOR)


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
