"""The page's Content-Security-Policy: its own scripts only, each page with a fresh nonce."""

from __future__ import annotations

from geo.render import CDN_BASE

__all__ = ["content_security_policy", "served_assets_base"]

#: The CDN's origin (``https://cdn.jsdelivr.net``), allowed only when the pinned assets are not served locally.
_CDN_ORIGIN = CDN_BASE.split("/npm")[0]


def served_assets_base(*, local: bool) -> str:
    """Return where the page loads its pinned front-end assets from: the server's ``lib/`` or the CDN.

    Parameters
    ----------
    local : bool
        The server has the assets (``node_modules`` or an installed package's copy).

    Returns
    -------
    str
    """
    return "lib" if local else CDN_BASE


def content_security_policy(nonce: str, *, local: bool) -> str:
    """Return the page's Content-Security-Policy: scripts with ``nonce`` and, without local assets, the CDN's.

    Parameters
    ----------
    nonce : str
        This response's nonce (on every script element of the page).
    local : bool
        The pinned assets are served by the server (then no other origin is allowed).

    Returns
    -------
    str
    """
    cdn = "" if local else " " + _CDN_ORIGIN
    return (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'{cdn}; style-src 'self' 'unsafe-inline'{cdn}; "
        f"img-src 'self' data: blob: https: http:; font-src 'self' data:{cdn}; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
