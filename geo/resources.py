"""Find the files the package works with: the data file, the report's data and the page's assets.

A wheel carries its own copies, put there when the distribution is built (see ``setup.py``): the
report's data (``geo/data/locations.geojson``), a small street extract for examples
(``geo/data/synthetic_river_grid.osm``) and the page's front-end assets, laid out as ``node_modules``
(``geo/static/vendor/<package>/``). None of them is in git. Run from a source checkout, the same
functions answer with the checkout's own files (``data/``, ``tests/data/``, ``node_modules/``).

The data file a command works on is found by :func:`find_data_path`: an explicit path (``--data``),
then :data:`geo.settings.locations_path` when a script set it, then ``GEO_DATA``, then
``data/locations.geojson`` in the current folder or the nearest parent that has one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo import settings
from geo._docs import shared_docs
from geo.errors import MissingExtraError, StoreError

__all__ = [
    "DATA_NAME",
    "EXTRAS",
    "asset_dir",
    "companion",
    "companion_path",
    "find_data_path",
    "format_versions",
    "need",
    "report_data",
    "sample_extract",
    "versions",
]

logger = logging.getLogger(__name__)

#: Where a working folder keeps its data file (``geo init`` writes it there).
DATA_NAME = Path("data") / "locations.geojson"

PACKAGE = Path(__file__).resolve().parent
#: The source checkout this module runs from, if it runs from one (its parent folder).
CHECKOUT = PACKAGE.parent
#: The bundled assets' folder, laid out as ``node_modules`` so :mod:`geo.render` reads it the same way.
VENDOR = PACKAGE / "static" / "vendor"


#: The optional parts of the package (``pip install "nanguan-geo[EXTRA]"``) and the modules each brings.
EXTRAS: dict[str, tuple[str, ...]] = {
    "serve": ("starlette", "uvicorn", "watchfiles"),
    "network": ("osmnx", "osmium", "networkx", "scipy"),
    "plot": ("matplotlib",),
    "dask": ("dask_geopandas", "distributed", "pyarrow"),
    "extract": ("rjieba", "opencc", "charset_normalizer"),
}


def need(extra: str, what: str) -> None:
    """Raise a one-line :class:`~geo.errors.MissingExtraError` unless every module of ``extra`` is installed.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`.
    what : str
        What needs it, for the message (``"geo serve"``).
    """
    import importlib.util

    def absent(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is None
        except ImportError:  # a finder that refuses it (or a broken install) counts as not installed
            return True

    missing = [name for name in EXTRAS[extra] if absent(name)]
    if missing:
        msg = (
            f'{what} needs the [{extra}] extra ({", ".join(missing)} not installed): pip install "nanguan-geo[{extra}]"'
        )
        raise MissingExtraError(msg)


def _first_file(kind: str, *candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    msg = f"{kind} is not in this installation ({candidates[0]}); reinstall nanguan-geo"
    raise StoreError(msg)


def report_data() -> Path:
    """Return the report's data as it ships: the wheel's copy, else the checkout's ``data/locations.geojson``.

    Returns
    -------
    pathlib.Path
        The data file.

    Raises
    ------
    geo.errors.StoreError
        When neither exists (a broken installation).
    """
    return _first_file("the report's data", PACKAGE / "data" / "locations.geojson", CHECKOUT / DATA_NAME)


def sample_extract() -> Path:
    """Return the synthetic street extract (an OSM XML grid with a river; no street in it exists).

    Returns
    -------
    pathlib.Path
        The wheel's copy, else the checkout's ``tests/data`` one.

    Raises
    ------
    geo.errors.StoreError
        When neither exists (a broken installation).
    """
    name = "synthetic_river_grid.osm"
    return _first_file("the sample street extract", PACKAGE / "data" / name, CHECKOUT / "tests" / "data" / name)


def _has_assets(folder: Path) -> bool:
    return (folder / "leaflet" / "package.json").is_file()


def asset_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the folder of the page's front-end assets, laid out as ``node_modules``, or None.

    Parameters
    ----------
    explicit : str or path-like, optional
        A folder the user named (``--node-modules``): returned as it is, checked by whoever reads it.

    Returns
    -------
    pathlib.Path or None
        ``explicit``; else the assets bundled in the package; else ``node_modules`` in the current
        folder or in the source checkout (after ``npm ci``); else None (the page then uses a CDN).
    """
    if explicit is not None:
        return Path(explicit)
    for folder in (VENDOR, Path("node_modules"), CHECKOUT / "node_modules"):
        if _has_assets(folder):
            logger.info("front-end assets: %s", folder)
            return folder
    return None


@shared_docs()
def companion_path(data_path: str | os.PathLike[str] | None, suffix: str) -> Path:
    """Return a file that belongs to a data file: ``<stem><suffix>`` beside it (history, editors, proposals).

    Parameters
    ----------
    suffix : str
        What follows the data file's stem, e.g. ``.history.jsonl``.

    Returns
    -------
    pathlib.Path
    """
    p = find_data_path(data_path)
    return p.with_name(f"{p.stem}{suffix}")


def companion(module: str, name: str, pattern: str, what: str) -> Callable[[str | os.PathLike[str] | None], Path]:
    """Make the function that finds one kind of file beside a data file (history, editors, proposals, network).

    Parameters
    ----------
    module, name : str
        The module and name the function is known by (``"geo.history"``, ``"history_path"``).
    pattern : str
        The file's name, ``{stem}`` standing for the data file's stem: ``"{stem}.history.jsonl"``.
    what : str
        What the file is, for the function's docstring: ``"the history file"``.

    Returns
    -------
    callable
        ``finder(data_path=None) -> pathlib.Path``, documented like any function of ``module``.
    """

    def finder(data_path: str | os.PathLike[str] | None = None) -> Path:
        p = find_data_path(data_path)
        return p.with_name(pattern.format(stem=p.stem))

    finder.__module__, finder.__name__, finder.__qualname__ = module, name, name
    finder.__doc__ = f"""Return {what} of a data file: ``{pattern}`` beside it.

    Returns
    -------
    pathlib.Path
    """
    return shared_docs()(finder)


def find_data_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the data file to work on.

    Parameters
    ----------
    path : str or path-like, optional
        A path given explicitly (``--data``); it wins and is returned as it is.

    Returns
    -------
    pathlib.Path
        ``path``; else :data:`geo.settings.locations_path` if set; else ``GEO_DATA``; else
        ``data/locations.geojson`` in the current folder (returned relative) or the nearest parent.

    Raises
    ------
    geo.errors.StoreError
        When none of them gives a file: the message says to run ``geo init``.
    """
    if path is not None:
        logger.info("data file %s", path)
        return Path(path)
    if settings.locations_path:
        logger.info("data file %s (geo.settings.locations_path)", settings.locations_path)
        return Path(settings.locations_path)
    env = os.environ.get("GEO_DATA")
    if env:
        logger.info("data file %s (from GEO_DATA)", env)
        return Path(env)
    here = Path.cwd()
    if (here / DATA_NAME).is_file():
        logger.info("data file %s (in the current folder)", DATA_NAME)
        return DATA_NAME
    for folder in here.parents:
        if (folder / DATA_NAME).is_file():
            logger.info("data file %s (in a parent folder)", folder / DATA_NAME)
            return folder / DATA_NAME
    msg = (
        f"no data file: none given (--data or GEO_DATA) and no {DATA_NAME.as_posix()} in {str(here)!r} "
        "or a parent folder; run `geo init` to make a working folder with the report's data"
    )
    raise StoreError(msg)


def _dependency_names() -> dict[str, list[str]]:
    """Return the distribution's requirements by extra (``""`` for the base), from its installed metadata."""
    import re
    from importlib.metadata import PackageNotFoundError, requires

    try:
        lines = requires("nanguan-geo") or []
    except PackageNotFoundError:
        return {}
    groups: dict[str, list[str]] = {}
    for line in lines:
        name = re.split(r"[\s;<>=!~\[]", line, maxsplit=1)[0]
        extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", line)
        groups.setdefault(extra.group(1) if extra else "", []).append(name)
    return groups


def _version_of(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def _libraries() -> dict[str, str | None]:
    """Return the C libraries' versions the geometry stack runs on (GEOS, PROJ, GDAL), None where unknown."""
    out: dict[str, str | None] = {}
    for label, module, attr in (
        ("GEOS", "shapely", "geos_version_string"),
        ("PROJ", "pyproj", "proj_version_str"),
        ("GDAL", "pyogrio", "__gdal_version_string__"),
    ):
        try:
            out[label] = str(getattr(__import__(module), attr))
        except (ImportError, AttributeError):
            out[label] = None
    return out


def versions() -> dict[str, Any]:
    """Return what a bug report needs: Python, platform, this package, its files and every dependency's version.

    Returns
    -------
    dict
        ``system`` (python, executable, machine), ``geo`` (version, package folder, data file found or
        the reason none is, report data, front-end assets), ``libraries`` (GEOS, PROJ, GDAL) and
        ``dependencies``: by extra (``base``, ``serve``, ...), each a mapping of name to version (None:
        not installed).
    """
    import platform
    import sys

    from geo import __version__

    try:
        data = str(find_data_path())
    except StoreError as err:
        data = f"none ({err})"
    try:
        report = str(report_data())
    except StoreError:
        report = None
    assets = asset_dir()
    groups = _dependency_names()
    ours = {
        "version": __version__,
        "package": str(PACKAGE),
        "data file": data,
        "report data": report,
        "front-end assets": None if assets is None else str(assets),
    }
    deps = {(extra or "base"): {name: _version_of(name) for name in names} for extra, names in groups.items()}
    return {
        "system": {"python": sys.version.split()[0], "executable": sys.executable, "machine": platform.platform()},
        "geo": ours,
        "libraries": _libraries(),
        "dependencies": deps,
    }


def format_versions(info: dict[str, Any]) -> str:
    """Return :func:`versions` as aligned text, one section per part (like ``geopandas.show_versions()``).

    Parameters
    ----------
    info : dict
        What :func:`versions` returns.

    Returns
    -------
    str
        The text to print.
    """
    sections = [("SYSTEM", info["system"]), ("NANGUAN-GEO", info["geo"]), ("GEOS, PROJ, GDAL", info["libraries"])]
    sections += [
        (f"DEPENDENCIES [{extra}]" if extra != "base" else "DEPENDENCIES", names)
        for extra, names in info["dependencies"].items()
    ]
    lines: list[str] = []
    for title, values in sections:
        width = max((len(k) for k in values), default=0)
        lines += ["", title, "-" * len(title)]
        lines += [f"{key:<{width}} : {'not installed' if value is None else value}" for key, value in values.items()]
    return "\n".join(lines[1:]) + "\n"
