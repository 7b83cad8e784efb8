"""The page's JavaScript: the committed bundles are what the sources build to, ESLint is clean, the unit tests pass.

geo/static/atlas.js and editor.js are generated from the ES modules in geo/static/src (``npm run build``) and kept
in the repository, so a fresh clone builds the map without Node. These tests rebuild them into a temporary folder
with the pinned esbuild and compare byte for byte (with their source maps), run ESLint (``npm run lint``) and the ``node --test`` unit tests
(``npm test``). Skipped where Node or the npm packages are missing; failed instead under CI, which installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLES = ("atlas.js", "editor.js")
MAPS = ("atlas.js.map", "editor.js.map")  # the bundles' source maps, beside them


def _node_with(package: str | None) -> str:
    node = shutil.which("node")
    missing = "Node is not installed" if node is None else None
    if node is not None and package and not (REPO / "node_modules" / package / "package.json").is_file():
        missing = f"node_modules/{package} is missing (run npm ci)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: CI must run the JavaScript checks")
        pytest.skip(missing)
    assert node is not None
    return node


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=600, check=False, **kwargs)  # type: ignore[call-overload]


def test_committed_bundles_are_what_the_sources_build_to(tmp_path):
    node = _node_with("esbuild")
    done = _run([node, "tools/build_js.mjs", str(tmp_path)])
    assert done.returncode == 0, done.stderr
    for name in BUNDLES:
        built, committed = (tmp_path / name).read_bytes(), (REPO / "geo" / "static" / name).read_bytes()
        assert built == committed, f"geo/static/{name} is not what geo/static/src builds to: run `npm run build`"
        assert committed.startswith(b"/* GENERATED FILE, do not edit"), name
    for name in MAPS:
        built, committed = (tmp_path / name).read_bytes(), (REPO / "geo" / "static" / name).read_bytes()
        assert built == committed, f"geo/static/{name} is not what geo/static/src builds to: run `npm run build`"


def test_eslint_is_clean():
    node = _node_with("eslint")
    done = _run([node, "node_modules/eslint/bin/eslint.js", "geo/static/src", "tests/js", "tools", "eslint.config.js"])
    assert done.returncode == 0, done.stdout + done.stderr


def test_js_unit_tests_pass():
    # The payload test runs tools/payload_sample.py: with this interpreter, so it imports this checkout's geo.
    node = _node_with(None)
    done = _run([node, "--test", "tests/js/"], env={**os.environ, "PYTHON": sys.executable})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout, done.stdout[-2000:]
