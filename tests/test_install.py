"""The distributions work anywhere: build the sdist and the wheel, install the wheel in a fresh venv, use it elsewhere.

The distributions and the venv are made once per run, shared by the xdist workers (tests/_once.py); then each test
uses them: ``python -m build --no-isolation`` makes the sdist and then the
wheel *from the sdist* (so the sdist must carry everything, assets included); the wheel goes into a fresh venv (it
reuses this machine's packages, ``--system-site-packages``, so no download is needed) and, in an empty folder with no
checkout above it, ``geo init``, ``validate``, ``build --offline``, ``summary``, ``serve`` and the notebook run against
it. Then the sdist's own tests are collected and a few of them run from the unpacked sdist.
"""

import json
import os
import re
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from _once import once

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
LEAFLET = "geo/static/vendor/leaflet/dist/leaflet.js"


def _require_build() -> None:
    try:
        import build  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must run the install test: pip install build (the dev extra)")
        pytest.skip("the `build` package is not installed (pip install build)")
    if not (REPO / "node_modules" / "leaflet" / "package.json").is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must run the install test: run npm ci first")
        pytest.skip("node_modules is missing (npm ci): the wheel takes the page's assets from it")


def _run(args, **kwargs):
    out = subprocess.run(args, capture_output=True, text=True, timeout=1800, **kwargs)
    assert out.returncode == 0, f"{args}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a user who never saw the checkout: no PYTHONPATH, no GEO_* settings."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("GEO_")}
    env["HOME"] = str(home)
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.fixture(scope="session")
def dists(tmp_path_factory):
    """The sdist and the wheel, built once for the run (whichever xdist worker gets here first; see tests/_once.py)."""
    _require_build()

    def make(out: Path) -> None:
        _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)])

    out = once(tmp_path_factory, "install-dists", make)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="session")
def venv(dists, tmp_path_factory):
    """A fresh venv with the wheel installed, made once for the run; the tests run it, never install into it."""
    wheel, _ = dists

    def make(root: Path) -> None:
        _run([sys.executable, "-m", "venv", "--system-site-packages", str(root / "env")])
        _run([str(root / "env" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
              "--ignore-installed", "--disable-pip-version-check", str(wheel)], env=_clean_env(root))  # fmt: skip

    return once(tmp_path_factory, "install-venv", make) / "env" / "bin" / "python"


def test_the_wheel_carries_the_data_and_the_assets_and_the_sdist_its_tests(dists):
    wheel, sdist = dists
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("geo/data/locations.geojson", "geo/data/synthetic_river_grid.osm", "geo/data/gazetteer.csv",
                 "geo/data/locations.schema.json",
                 LEAFLET, "geo/static/vendor/leaflet/LICENSE", "geo/static/vendor/leaflet-draw/dist/leaflet.draw.js",
                 "geo/static/atlas.js", "geo/static/atlas.js.map", "geo/py.typed"):  # fmt: skip
        assert name in names, name
    assert not any(n.startswith(("tests/", "data/", "node_modules/")) for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(meta).decode("utf-8")
    assert (
        "License-Expression: MIT AND BSD-2-Clause" in metadata
        and "Classifier: Topic :: Scientific/Engineering :: GIS" in metadata
    )
    assert "Provides-Extra: serve" in metadata and "pip install -e" not in metadata
    assert len(metadata) < 8000  # the short PyPI description, not the developer README
    bundled = zipfile.ZipFile(wheel).read("geo/data/locations.geojson")
    assert bundled == (REPO / "data" / "locations.geojson").read_bytes()
    with tarfile.open(sdist) as tar:
        members = {m.split("/", 1)[1] for m in tar.getnames() if "/" in m}
    for name in ("LICENSE", "tests/conftest.py", "tests/_browser.py", "tests/data/places_valid.geojson",
                 "data/locations.geojson", "package-lock.json", "setup.py", LEAFLET):  # fmt: skip
        assert name in members, name
    assert not any(m.startswith("node_modules/") or "__pycache__" in m for m in members)
    _run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)])


def test_the_installed_wheel_works_in_an_empty_folder(venv, tmp_path):
    geo = [str(venv), "-m", "geo"]
    env = _clean_env(tmp_path)
    where = _run([str(venv), "-c", "import geo; print(geo.__file__)"], cwd=tmp_path, env=env).stdout
    assert str(venv.parent.parent) in where, where  # the venv's copy, not a checkout's
    missing = subprocess.run([*geo, "validate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 1 and "run `geo init`" in missing.stderr
    _run([*geo, "init", "atlas"], cwd=tmp_path, env=env)
    work = tmp_path / "atlas"
    assert "valid, 29 places" in _run([*geo, "validate"], cwd=work, env=env).stdout
    _run([*geo, "build", "--offline"], cwd=work, env=env)
    page = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert 'src="lib/leaflet@1.9.4/dist/leaflet.js"' in page and "cdn.jsdelivr" not in page
    assert (work / "site" / "lib" / "leaflet@1.9.4" / "dist" / "leaflet.js").is_file()
    summary = json.loads(_run([*geo, "summary", "--format", "json"], cwd=work, env=env).stdout)
    assert summary["parks"]["inventory"]["reported_pocket_parks"] == 98
    assert "--commit" in _run([*geo, "serve", "--help"], cwd=work, env=env).stdout
    versions = json.loads(_run([*geo, "versions", "--json"], cwd=work / "site", env=env).stdout)
    assert versions["geo"]["data file"] == str(work / "data" / "locations.geojson")
    assert versions["geo"]["front-end assets"].startswith(str(venv.parent.parent))


def _wait_until_listening(url: str, seconds: float = 60) -> None:
    """The link is printed once the port is bound; uvicorn accepts a moment later: wait for it (a condition)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/payload", timeout=30):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_installed_editor_serves_its_own_assets(venv, tmp_path):
    env = _clean_env(tmp_path)
    _run([str(venv), "-m", "geo", "init"], cwd=tmp_path, env=env)
    server = subprocess.Popen([str(venv), "-m", "geo", "serve", "--port", "0"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = server.stdout.readline()  # "serving data/locations.geojson at http://127.0.0.1:PORT/#token=..."
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        assert match, line
        _wait_until_listening(match[1])
        with urllib.request.urlopen(f"{match[1]}/lib/leaflet@1.9.4/dist/leaflet.js", timeout=60) as answer:
            assert answer.status == 200 and b"Leaflet" in answer.read(4096)
        with urllib.request.urlopen(f"{match[1]}/", timeout=60) as answer:
            assert b'src="lib/leaflet@1.9.4/dist/leaflet.js"' in answer.read()
    finally:
        server.terminate()
        server.communicate(timeout=60)  # waits, and closes its pipes


def test_the_notebook_runs_against_the_installed_package(venv, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    kernels = tmp_path / "jupyter" / "kernels" / "installed-geo"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({"argv": [str(venv), "-m", "ipykernel_launcher", "-f",
                                                              "{connection_file}"], "language": "python",
                                                     "display_name": "installed geo"}), encoding="utf-8")  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    nb = nbformat.read(REPO / "notebooks" / "park_area_summary.ipynb", as_version=4)
    old = os.environ.copy()
    os.environ.update({"JUPYTER_PATH": str(tmp_path / "jupyter"), "MPLBACKEND": "Agg"})
    os.environ.pop("PYTHONPATH", None)
    try:
        NotebookClient(
            nb, timeout=600, kernel_name="installed-geo", resources={"metadata": {"path": str(work)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "SYNTHETIC network synthetic_river_grid.osm" in printed


def test_the_sdist_tests_collect_and_run(dists, tmp_path):
    """The sdist's tests run from it: every test module collects, and the quick tests of two files pass.

    One run collects every test (a module that cannot be collected is an error) and runs test_model's and
    test_anywhere's quick tests, which need the sdist's conftest, helpers and test data. What it leaves out is
    proven by the checkout's own run of the same files from the same sources: test_layout, the base install
    (test_anywhere, about 12 s), the property tests of the fast paths (``never_accepts``, about 12 s of
    hypothesis examples), the plot and the summaries in each distorting CRS. It used to run all three files
    (about 37 s), and before that a ``--collect-only`` run and then a second run collecting them again.
    """
    _, sdist = dists
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    (root,) = tmp_path.iterdir()
    env = {**_clean_env(tmp_path), "PYTHONPATH": str(root)}
    # `-n 0`: in this process, not the two xdist workers of the addopts (each would import and collect it all again).
    quick = ("(test_model.py or test_anywhere.py) and not base_install and not never_accepts and not plot_dash"
             " and not distorting")  # fmt: skip
    ran = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-k", quick],
               cwd=root, env=env)  # fmt: skip
    summary = ran.stdout.strip().splitlines()[-1]
    assert "error" not in summary and "failed" not in summary, ran.stdout[-2000:]
    passed, deselected = (int(re.search(rf"(\d+) {word}", summary)[1]) for word in ("passed", "deselected"))
    assert passed > 100 and passed + deselected > 300, summary
