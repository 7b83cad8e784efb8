"""``geo serve`` (the map as an editor in the browser) and ``geo editors`` (who may change the data, with what key).

:mod:`geo.server` needs the ``[serve]`` extra (Starlette, uvicorn): it is imported inside
``serve`` once :func:`geo.resources.need` has checked the extra, so that every other command,
and ``geo serve`` without the extra, works with the base install.
"""

from __future__ import annotations

import os
import secrets
import sys
import webbrowser
from pathlib import Path

import click

from geo.cli.messages import fail, find_data
from geo.cli.options import data_opt, node_modules_opt
from geo.editors import add_editor, editors_path, list_editors, revoke_editor
from geo.errors import GeoError
from geo.history import git_root
from geo.resources import asset_dir, need

__all__ = ["COMMANDS", "editors", "serve"]

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _local_assets(node_modules: Path | None) -> Path | None:
    """Return the folder of the pinned front-end assets the server can serve, or None (the page uses a CDN)."""
    found = asset_dir(node_modules)
    return found if found is not None and (found / "leaflet" / "package.json").is_file() else None


def _say_ready(url: str, path: Path, has_roster: bool, open_browser: bool) -> None:
    click.echo(f"serving {path} at {url}", err=False)
    if has_roster:
        click.echo("keys from `geo editors` (each person opens the link they were given); Ctrl+C stops", err=True)
    else:
        click.echo("open that link to edit (the token after # is your write key); Ctrl+C stops", err=True)
    sys.stdout.flush()
    if open_browser:
        webbrowser.open(url)


@click.command()
@data_opt
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the editor in a browser.")
@click.option("--commit", is_flag=True, help="Make every save a git commit of the data file.")
@node_modules_opt(
    "Serve the pinned assets from this `npm ci` folder (default: those installed with the package, "
    "else ./node_modules; a CDN when there are none)."
)
def serve(
    data_path: Path | None, host: str, port: int, open_browser: bool, commit: bool, node_modules: Path | None
) -> None:
    """Serve the map as an editor: place, draw, fix and remove places in the browser.

    The page always shows the data file as it is (no build step). Reading needs
    nothing; saving needs the token in the printed link (or GEO_SERVE_TOKEN), or,
    once `geo editors add` has made an editors file, each person's own key.
    Every save is validated like the command line, recorded in the history
    and, with --commit, committed to git.

    \b
    Example:
      geo serve --open
      geo serve --commit          # then: git log -p data/locations.geojson
    """
    try:
        need("serve", "geo serve")
    except GeoError as err:
        fail(err)
    from geo.server import EditorServer  # the [serve] extra, checked just above
    from geo.server import serve as run

    token = os.environ.get("GEO_SERVE_TOKEN") or secrets.token_urlsafe(24)
    path = find_data(data_path)
    modules = _local_assets(node_modules)
    try:
        if commit and git_root(path) is None:
            msg = f"--commit: {str(path)!r} is not in a git repository"
            raise click.UsageError(msg)
        server = EditorServer(path, token, host=host, port=port, commit=commit, node_modules=modules)
    except GeoError as err:
        fail(err)
    if host not in _LOCAL_HOSTS:
        click.echo(
            f"WARNING: listening on {host}: anyone on your network can read the map and its data. "
            "Writes still need the token.",
            err=True,
        )
    if modules is None:
        click.echo(
            "note: no local front-end assets; the page loads Leaflet from a CDN (reinstall nanguan-geo, or "
            "`npm ci` in a checkout, to serve them locally)",
            err=True,
        )
    try:
        run(server, ready=lambda url: _say_ready(url, path, server.roster.exists(), open_browser))
    except GeoError as err:
        fail(err)


@click.group()
def editors() -> None:
    """Manage the people allowed to change the data through `geo serve`: a key each, and a role.

    \b
    Roles:
      proposer  proposes places, locations and corrections (a reviewer decides)
      editor    changes the data
      reviewer  changes the data and approves or declines proposals
    Kept in <data>.editors.json beside the data file (keys only as salted hashes).
    With no such file, `geo serve` uses its single shared token.
    """


@editors.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["proposer", "editor", "reviewer"]), required=True, help="What they may do.")
@data_opt
@click.option(
    "--url", default="http://127.0.0.1:8765/", show_default=True, help="Where `geo serve` runs, for the link."
)
def editors_add(name: str, role: str, data_path: Path | None, url: str) -> None:
    """Give NAME a key with a role; the key is printed once (only its hash is kept).

    \b
    Example:
      geo editors add 王规划 --role reviewer
      geo editors add 李居民 --role proposer --url http://192.168.1.20:8765/
    """
    path = find_data(data_path)
    try:
        person, key = add_editor(path, name, role)
    except GeoError as err:
        fail(err)
    click.echo(f"added {person.name} as {person.role} to {editors_path(path)}")
    click.echo(f"key (shown only now): {key}")
    click.echo(f"link to open: {url.rstrip('/')}/#token={key}")
    click.echo("give the link to them privately; `geo editors revoke` stops it at once", err=True)


@editors.command("list")
@data_opt
def editors_list(data_path: Path | None) -> None:
    """List everyone given a key: name, role, when added, when revoked."""
    try:
        people = list_editors(find_data(data_path))
    except GeoError as err:
        fail(err)
    for p in people:
        state = f"revoked {p['revoked']}" if p["revoked"] else "working"
        click.echo(f"{p['name']}\t{p['role']}\tadded {p['added']}\t{state}")
    if not people:
        click.echo("no editors file: `geo serve` uses its single shared token")


@editors.command("revoke")
@click.argument("name")
@data_opt
def editors_revoke(name: str, data_path: Path | None) -> None:
    """Stop NAME's key at once (a running `geo serve` refuses it from the next request)."""
    try:
        done = revoke_editor(find_data(data_path), name)
    except GeoError as err:
        fail(err)
    click.echo(f"revoked {done['name']} ({done['role']}) at {done['revoked']}")


#: This module's commands.
COMMANDS = [serve, editors]
