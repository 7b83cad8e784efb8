"""The page and the map's payload, built once per version of the file and shared by every request.

Both are keyed by the :class:`~geo.server.saving.View`'s signature: a save or reload makes a new
view, and the next request builds for it. The page is rendered once per version
(:func:`geo.render.nonced_page`): its templates place the nonce, and each response fills in its own,
never by reading or replacing text in the page, which holds data (a note may say anything).
"""

from __future__ import annotations

import threading
from typing import Any

from geo import store
from geo._plugins.atlas import json_for_script
from geo.render import NoncedPage, build_map, encode_payload, nonced_page
from geo.server.saving import Signature, View

__all__ = ["DOWNLOADS", "PageCache", "PayloadCache"]

#: The served page's downloads: the file as the server holds it now, in each format (``/api/download/<format>``).
DOWNLOADS: list[dict[str, Any]] = [
    {"format": f, "href": f"api/download/{f}", "bytes": None} for f in ("geojson", "csv", "kml", "gpkg")
]


class PageCache:
    """The editor page for the file's current version.

    Parameters
    ----------
    assets_base : str
        Where the page loads its pinned assets from (``lib`` or the CDN).
    """

    def __init__(self, assets_base: str) -> None:
        self.assets_base = assets_base
        self._built: tuple[Signature, NoncedPage] | None = None

    def page(self, view: View, nonce: str) -> str:
        """Return the page for ``view``, with ``nonce`` on every script element (builds it once per version).

        Parameters
        ----------
        view : View
        nonce : str

        Returns
        -------
        str
        """
        built = self._built
        if built is None or built[0] != view.signature:
            frame = store.places_to_frame(list(view.features.values()))
            figures = store.district_figures(view.members)
            m = build_map(
                frame, asset_base=self.assets_base, editor={"api": "api"}, district_figures=figures, downloads=DOWNLOADS
            )
            built = self._built = (view.signature, nonced_page(m))
        return built[1].html(nonce)


class PayloadCache:
    """The map's columnar payload (what an open page redraws from) for the file's current version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[Signature, bytes] | None = None

    def payload(self, view: View) -> bytes:
        """Return the payload for ``view`` as JSON bytes (built once per version; others wait for that build).

        Parameters
        ----------
        view : View
            The file as the last save or reload left it.

        Returns
        -------
        bytes
        """
        # One build per version: every page that hears of a change asks at once, and waits for the same build.
        with self._lock:
            if self._built is not None and self._built[0] == view.signature:
                return self._built[1]
            frame = store.places_to_frame(list(view.features.values()))
            data = json_for_script(encode_payload(frame)).encode("utf-8")
            self._built = (view.signature, data)
            return data
