"""``geo geocode`` (a name, an address or a copied coordinate to WGS-84) and ``geo locate`` (fill the unlocated)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from geo.cli.helpers import make_geocoder
from geo.cli.messages import fail, next_step
from geo.cli.options import (
    DATUMS,
    allow_outside_opt,
    data_opt,
    gazetteer_opt,
    online_opts,
    provider_opt,
    wait_opt,
)
from geo.coords import parse_lonlat, to_wgs84
from geo.errors import GeoError
from geo.geocode import geocode_place
from geo.places import locate_missing, missing_places
from geo.store import load_collection

__all__ = ["COMMANDS", "geocode", "locate"]

#: What ``geocode`` prints of a location's provenance, besides the point.
_RAW_KEYS = ("precision", "uncertainty_m", "source", "provider", "datum_in", "matched")
#: Members printed only when the answer has them.
_OPTIONAL_KEYS = ("offset", "ambiguous", "candidates", "fallback", "outside_m")


def _from_coordinates(query: str, datum_in: str) -> dict[str, Any]:
    lon0, lat0 = parse_lonlat(query, field="QUERY")
    lon, lat = to_wgs84(lon0, lat0, datum_in)
    return {
        "lon": round(float(lon), 7),
        "lat": round(float(lat), 7),
        "precision": "exact",
        "uncertainty_m": 0.0,
        "source": f"coordinate given in {datum_in}: {lon0}, {lat0}",
        "provider": "coordinates",
        "datum_in": datum_in,
        "matched": None,
    }


def _from_geocoder(query: str, coder: Any, allow_outside: bool) -> dict[str, Any]:
    loc = geocode_place(query, geocoder=coder, allow_outside=allow_outside)
    out = {"lon": round(loc.longitude, 7), "lat": round(loc.latitude, 7), **{k: loc.raw.get(k) for k in _RAW_KEYS}}
    out.update({k: loc.raw[k] for k in _OPTIONAL_KEYS if loc.raw.get(k)})
    return out


def _print_location(out: dict[str, Any]) -> None:
    click.echo(f"{out['lon']:.7f}, {out['lat']:.7f}  (lon, lat WGS-84)")
    click.echo(f"  precision: {out['precision']} ±{out['uncertainty_m']:,.0f} m   provider: {out['provider']}")
    if out.get("matched"):
        click.echo(f"  matched:   {out['matched']}")
    if out.get("offset"):
        click.echo(f"  offset:    {out['offset']}")
    click.echo(f"  source:    {out['source']}")
    if out.get("ambiguous"):
        click.echo(f"  warning: ambiguous answer; candidates: {', '.join(map(str, out['candidates']))}", err=True)
    if out.get("fallback"):
        click.echo("  warning: only the district as a whole matched", err=True)


@click.command()
@click.argument("query")
@provider_opt
@gazetteer_opt
@click.option(
    "--datum-in",
    type=click.Choice(DATUMS),
    default=None,
    help="QUERY is 'LON,LAT' in this datum (e.g. copied from Amap: gcj02); print it in WGS-84.",
)
@click.option(
    "--district-fallback", is_flag=True, help="Answer with the district centre (8 km uncertainty) if nothing matches."
)
@allow_outside_opt
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@online_opts
def geocode(
    query: str,
    provider: str,
    gazetteer: Path | None,
    datum_in: str | None,
    district_fallback: bool,
    allow_outside: bool,
    as_json: bool,
    **online: Any,
) -> None:
    """Print the WGS-84 point of a name, an address or a copied coordinate, with its provenance.

    \b
    Examples:
      geo geocode "人民大街与卫星路交会处东侧500米"
      geo geocode 万象城 --json
      geo geocode "125.325912,43.879077" --datum-in gcj02
      GEO_USER_AGENT="me@example.org" geo geocode 南溪湿地公园 --provider nominatim
    """
    try:
        if datum_in is not None:
            out = _from_coordinates(query, datum_in)
        else:
            coder = make_geocoder(provider, gazetteer, online, district_fallback=district_fallback)
            out = _from_geocoder(query, coder, allow_outside)
    except GeoError as err:
        fail(err)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        _print_location(out)


@click.command()
@click.option("--missing", is_flag=True, required=True, help="Fill the places whose geometry is null.")
@data_opt
@provider_opt
@gazetteer_opt
@allow_outside_opt
@click.option("--id", "ids", multiple=True, help="Only this place (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many places.")
@wait_opt
@online_opts
def locate(
    missing: bool,
    data_path: Path | None,
    provider: str,
    gazetteer: Path | None,
    allow_outside: bool,
    ids: tuple[str, ...],
    limit: int | None,
    wait: float | None,
    **online: Any,
) -> None:
    """Geocode the places without a location and store what is found, with provenance.

    Each success is saved at once, so an interrupted run (Ctrl-C) keeps what it
    found; run it again to resume. Online answers are cached, so a second run
    makes no request for what was already asked.

    \b
    Examples:
      geo locate --missing
      GEO_AMAP_KEY=... geo locate --missing --provider amap
    """
    try:
        coder = make_geocoder(provider, gazetteer, online)
        todo, _ = missing_places(load_collection(data_path)["features"], ids=ids or None, limit=limit)
        with click.progressbar(length=len(todo), label=f"locating with {provider}", file=sys.stderr) as bar:
            report = locate_missing(
                data_path,
                geocoder=coder,
                allow_outside=allow_outside,
                ids=ids or None,
                limit=limit,
                progress=lambda _id: bar.update(1),
                wait=wait,
            )
    except GeoError as err:
        fail(err)
    for ident, source in report.located.items():
        click.echo(f"located {ident}: {source}")
    for ident, reason in report.failed.items():
        click.echo(f"not placed {ident}: {reason}")
    skipped = f", {report.skipped} left for the next run" if report.skipped else ""
    click.echo(f"{len(report.located)} located, {len(report.failed)} not placed{skipped}")
    if report.located:
        next_step()


#: This module's commands.
COMMANDS = [geocode, locate]
