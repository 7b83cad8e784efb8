"""The pinned front-end files the server sends (``/lib/<package>@<version>/<path>``): looked up, never joined."""

from __future__ import annotations

import re
from pathlib import Path

from geo.render import ASSETS

__all__ = ["page_assets"]

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")?#]+)")


def page_assets(node_modules: Path) -> dict[str, Path]:
    """Return the front-end files the page uses (by ``package@version/path``): its scripts, styles and their images.

    Parameters
    ----------
    node_modules : pathlib.Path
        A ``node_modules`` folder (``npm ci``'s, or an installed package's copy laid out the same way).

    Returns
    -------
    dict
        ``package@version/path`` -> the file; only files inside their package's folder.
    """
    out: dict[str, Path] = {}
    for package, version, rel in ASSETS.values():
        root = (node_modules / package).resolve()
        target = (root / rel).resolve()
        if not target.is_file() or not target.is_relative_to(root):
            continue
        out[f"{package}@{version}/{rel}"] = target
        if rel.endswith(".css"):
            out.update(_images(target, root, f"{package}@{version}"))
    return out


def _images(css: Path, root: Path, prefix: str) -> dict[str, Path]:
    """Return the images a stylesheet refers to inside its package (relative ``url(...)`` only)."""
    out: dict[str, Path] = {}
    for ref in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
        image = (css.parent / ref).resolve()
        if not ref.startswith(("data:", "http:", "https:", "/")) and image.is_file() and image.is_relative_to(root):
            out[f"{prefix}/{image.relative_to(root).as_posix()}"] = image
    return out
