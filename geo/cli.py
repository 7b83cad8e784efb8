"""The ``geo`` command line: thin commands over the library.

Each command parses its options, calls one library function and prints the
result. Library errors (:class:`geo.errors.GeoError`) become one-line
messages and exit code 1; heavy libraries are imported inside the commands so
that ``geo --help`` stays fast.
"""

from __future__ import annotations

import errno
import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from geo import __version__, settings
from geo.errors import GeoError, Problem, ValidationError

#: The summary's tidy tables (geo.summary.TABLES), named here so that `geo --help` imports no pandas.
SUMMARY_TABLES = ("parks", "park_classes", "categories", "pocket_parks", "access", "disagreements", "per_capita",
                  "walking", "walking_homes", "district_figures", "nearest")  # fmt: skip

__all__ = ["main"]

logger = logging.getLogger(__name__)

DATA_HELP = "Data file (default: `geo --data`, GEO_DATA, else data/locations.geojson here or in a parent folder)."


def _group_data(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """Return a command's --data, else the group's (`geo --data FILE COMMAND`)."""
    return value if value is not None else (ctx.obj or {}).get("data")


# Shared options, defined once.
data_opt = click.option(
    "--data",
    "data_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=_group_data,
    help=DATA_HELP,
    show_default=False,
)
data_any_opt = click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    callback=_group_data,
    help=DATA_HELP + " With --engine dask also a GeoParquet folder.",
)


def _set_wait(_ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    if value is not None:
        import os

        os.environ["GEO_LOCK_TIMEOUT"] = repr(value)  # read by geo.store when it takes the lock


wait_opt = click.option(
    "--wait",
    type=click.FloatRange(0, 3600),
    default=None,
    expose_value=False,
    callback=_set_wait,
    metavar="SECONDS",
    help="How long to wait for another process's lock on the data file (default 30).",
)
_dry_run = click.option("--dry-run", is_flag=True, help="Check and report, but write nothing.")


def dry_run_opt(func: Any) -> Any:
    """Add --dry-run and --wait: every command that may write takes both."""
    return _dry_run(wait_opt(func))


datum_opt = click.option(
    "--datum",
    "datum",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default="wgs84",
    show_default=True,
    help="Datum of the given coordinates (gcj02: copied from Amap/Tencent; bd09: from Baidu).",
)


network_opt = click.option(
    "--network",
    "network_file",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help="Use a street network (from `geo network import`; default: network.graphml beside the data).",
)


def _network(network_file: str | None, data_path: Path | None) -> Any:
    """Load the street network a command was asked to use, or None."""
    if network_file is None:
        return None
    from geo.network import load_network

    return load_network(network_file or None, data_path=data_path)


#: The option that sets each field a problem may name (a problem names the field, the command line its option).
OPTIONS: dict[str, str] = {"stated_area_m2": "--area", "park_class": "--class", "status": "--status",
                           "datum": "--datum", "outline": "--outline", "lonlat": "--lonlat", "address": "--address",
                           "location_source": "--source", "stated_area_source": "--source",
                           "status_source": "--source", "source": "--source", "name_en": "--name-en",
                           "uncertainty_m": "--uncertainty", "reason": "--reason", "zoom": "--lonlat"}  # fmt: skip
#: What the command line adds to a problem of a code: the option that accepts or fixes it.
_HINTS = {"area_mismatch": "pass --confirm-area --reason TEXT to accept",
          "class_too_large": "pass --confirm-area --reason TEXT to accept",
          "class_too_small": "pass --confirm-area --reason TEXT to accept",
          "outside_district": "pass --allow-outside to keep it", "duplicate": "pass --update to replace it",
          "one_location": "give one of --address, --lonlat or --geometry"}  # fmt: skip


def problem_line(problem: Problem, options: dict[str, str] | None = None) -> str:
    """Return a problem as the command line says it: the option that sets its field, and how to accept it.

    Parameters
    ----------
    problem : geo.errors.Problem
    options : dict, optional
        Field -> option for this command (default :data:`OPTIONS`).

    Returns
    -------
    str
    """
    table = OPTIONS if options is None else options
    option = table.get(problem.field)
    where = problem.where
    if option and where == problem.field:
        where = option
    elif option and where.endswith(f": {problem.field}"):
        where = f"{where.removesuffix(problem.field)}{option}"
    text = problem.text.replace("(a repair fixes it)", "(--repair fixes it)")
    if problem.code == "cannot_update":
        from geo.places import FIELD_OPTIONS

        text = f"cannot be updated (options: {', '.join(f'--{k}' for k in FIELD_OPTIONS)})"
        where = f"--{problem.field}"
    hint = _HINTS.get(problem.code)
    if hint:
        text = f"{text}; {hint}"
    return f"{where}: {text}" if where else text


#: The library's words for what a command-line option does, and the option that does it.
_OPTION_WORDS = {"add it to a gazetteer file or try an online provider": "add it to a gazetteer (--gazetteer) or try --provider",
                 "a same-name place elsewhere?": "a same-name place elsewhere? (--allow-outside keeps it)",
                 "try again when it is done, or wait longer": "try again when it is done, or wait longer with --wait SECONDS"}  # fmt: skip


def _with_options(text: str) -> str:
    for words, said in _OPTION_WORDS.items():
        text = text.replace(words, said)
    return text


def _fail(err: GeoError, options: dict[str, str] | None = None) -> NoReturn:
    """Turn a library error into a click error: message lines on stderr, exit 1."""
    if isinstance(err, ValidationError):
        lines = [_with_options(problem_line(p, options)) for p in err.problems]
        raise click.ClickException("\n".join(lines)) from err
    raise click.ClickException(_with_options(str(err))) from err


def _data(path: Path | None) -> Path:
    """Find the data file (--data, GEO_DATA, data/locations.geojson here or above), or fail in one line."""
    from geo.resources import find_data_path

    try:
        return find_data_path(path)
    except GeoError as err:
        _fail(err)


#: Errors of a full device: a write that meets one says so in one line (the data file is written atomically).
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class _Group(click.Group):
    """The command group; a full device met by any write becomes one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as err:
            if err.errno not in _FULL:
                raise
            where = f" {str(err.filename)!r}" if err.filename else ""
            msg = f"cannot write{where}: {err.strerror or 'no space left on device'} (free some space and run it again)"
            raise click.ClickException(msg) from err


class _StderrHandler(logging.Handler):
    """Log lines to the current standard error (click's, so tests that swap it see them)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {self.format(record)}", err=True)


def _configure_logging(ctx: click.Context, verbose: int) -> None:
    """-v shows what each command does (INFO), -vv details (DEBUG), -q only errors; for the geo package's loggers.

    The level and the handler last as long as the command: a script calling ``main`` twice, or a test, starts afresh.
    """
    package = logging.getLogger("geo")
    level, handler = package.level, _StderrHandler()
    package.setLevel(max(logging.WARNING - 10 * verbose, logging.DEBUG))
    package.addHandler(handler)

    def restore() -> None:
        package.setLevel(level)
        package.removeHandler(handler)

    ctx.call_on_close(restore)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geo")
@click.option(
    "--data",
    "data_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Data file for every command (a command's own --data wins; default: GEO_DATA, else "
    "data/locations.geojson in this folder or a parent).",
)
@click.option("-v", "--verbose", count=True, help="Say what each command does (-vv: more detail).")
@click.option("-q", "--quiet", count=True, help="Less log output (repeatable).")
@click.pass_context
def main(ctx: click.Context, data_path: Path | None, verbose: int, quiet: int) -> None:
    """Map, geocode and summarise the parks and projects of Nanguan District (南关区), Changchun.

    \b
    Examples:
      geo validate                      # check data/locations.geojson
      geo build                         # write site/index.html
      geo geocode "人民大街与卫星路交会处"
      geo add-park 新公园 --area 5000 --lonlat 125.33,43.84 --datum gcj02
      geo summary --format json
      geo init atlas && cd atlas        # a working folder with the report's data
    """
    _configure_logging(ctx, verbose - quiet)
    ctx.obj = {"data": data_path, "verbosity": verbose - quiet}


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False)
def init(folder: Path) -> None:
    """Make a working folder: the report's data (data/locations.geojson) and a short README.

    Every command run in FOLDER, or below it, then finds the data by itself. An existing data
    file is never replaced.

    \b
    Examples:
      geo init                # here
      geo init nanguan && cd nanguan && geo build --offline
    """
    from geo.store import init_folder

    try:
        written = init_folder(folder)
    except GeoError as err:
        _fail(err)
    for path in written:
        click.echo(f"wrote {path}")
    where = "" if folder == Path() else f"cd {folder} && "
    click.echo(f"next: {where}geo validate, geo build --offline, geo summary", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def versions(as_json: bool) -> None:
    """Print the versions of Python, this package, its files and its dependencies (for bug reports).

    \b
    Example:
      geo versions
    """
    from geo.resources import format_versions
    from geo.resources import versions as collect

    info = collect()
    click.echo(json.dumps(info, ensure_ascii=False, indent=2) if as_json else format_versions(info), nl=as_json)


@main.command()
@data_opt
def validate(data_path: Path | None) -> None:
    """Check the data file against the model and RFC 7946, and its history against it; list every problem.

    Exit 0 when the file is clean, 1 with one line per problem otherwise. The history
    (locations.history.jsonl) must agree with the file: a torn last line, a line that is not a
    record, or a change that was started but that the file shows neither made nor undone is a problem.

    \b
    Example:
      geo validate --data data/locations.geojson
    """
    from geo.history import check
    from geo.store import find_problems, version_of

    path = _data(data_path)
    try:
        obj, problems = find_problems(path)
        if not problems:  # the history is checked against a file that loads
            problems = [
                Problem.of(line)
                for line in check(path, {f["properties"]["id"]: version_of(f) for f in obj["features"]})
            ]
    except GeoError as err:
        _fail(err)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{path}: {len(problems)} problem(s)", err=True)
        sys.exit(1)
    features = obj["features"]
    located = sum(f.get("geometry") is not None for f in features)
    click.echo(f"{path}: valid, {len(features)} places ({located} located, {len(features) - located} unlocated)")


@main.command()
@data_opt
@click.option(
    "--out",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Output folder (default: {settings.site_dir}).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Ship every script and stylesheet next to the page (the copies installed with the package).",
)
@click.option(
    "--node-modules",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Take the pinned assets from this `npm ci` folder (default: those installed with the package, "
    "else ./node_modules).",
)
@network_opt
@click.option(
    "--basemap",
    type=click.Choice(["osm", "esri", "amap"]),
    default="osm",
    show_default=True,
    help="The basemap shown first (amap: 高德, overlays in GCJ-02); the others stay in the layer control.",
)
def build(data_path: Path | None, site_dir: Path | None, offline: bool, node_modules: Path | None,
          network_file: str | None, basemap: str) -> None:  # fmt: skip
    """Build the map: write site/index.html from the data file.

    With --network the map also shows, per park, the area reachable on foot
    within each radius along the streets, beside the straight-line radii.

    \b
    Example:
      geo build --offline --out site
      geo build --network
      geo build --basemap amap       # open on 高德 (Amap), overlays shifted to GCJ-02
    """
    from geo.render import build_site
    from geo.resources import asset_dir

    assets = asset_dir(node_modules) or Path("node_modules")
    try:
        network = _network(network_file, data_path)
        index = build_site(data_path, site_dir, offline=offline, node_modules=assets, network=network,
                           basemap=basemap)  # fmt: skip
    except GeoError as err:
        _fail(err)
    click.echo(f"wrote {index}")


@main.command()
@data_opt
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "csv", "kml", "gpkg", "parquet"]),
    default=None,
    help="Output format (default: from --out's suffix).",
)
@click.option(
    "--out",
    "out",
    default=None,
    metavar="FILE",
    help="Output file, or - for standard output (GeoJSON, CSV, KML). Default: places.<format>.",
)
def export(data_path: Path | None, fmt: str | None, out: str | None) -> None:
    """Write every place (the unlocated ones too) as GeoJSON, CSV, KML, GeoPackage or GeoParquet.

    The same files `geo build` writes beside the page, with the same fields: CSV has lon/lat
    columns and a byte-order mark for Excel (not when written to standard output).

    \b
    Examples:
      geo export --out places.gpkg
      geo export --format csv --out - | head
      geo export --format kml --out nanguan.kml      # for Google Earth
    """
    from geo.export import FORMATS, export_places
    from geo.store import load_frame

    if fmt is None:
        if out in (None, "-"):
            msg = "--format is required when writing to standard output or to the default file"
            raise click.UsageError(msg)
        by_suffix = {suffix: name for name, suffix in FORMATS.items()} | {".json": "geojson", ".geoparquet": "parquet"}
        fmt = by_suffix.get(Path(out).suffix.lower())
        if fmt is None:
            msg = f"--format: cannot tell the format from --out {out!r}; give one of {', '.join(FORMATS)}"
            raise click.UsageError(msg)
    try:
        gdf, members = load_frame(data_path)
        if out == "-":
            export_places(gdf, fmt, sys.stdout, metadata=members.get("metadata"))
            return
        target = Path(out) if out is not None else Path(f"places{FORMATS[fmt]}")
        export_places(gdf, fmt, target, metadata=members.get("metadata"))
    except GeoError as err:
        _fail(err)
    located = int(gdf.geometry.notna().sum())
    click.echo(f"wrote {target}: {len(gdf)} places ({located} located, {len(gdf) - located} unlocated)")


provider_opt = click.option(
    "--provider",
    type=click.Choice(["gazetteer", "nominatim", "amap", "baidu"]),
    default="gazetteer",
    show_default=True,
    help="Offline gazetteer, or an online service (opt-in; answers are cached on disk).",
)
gazetteer_opt = click.option(
    "--gazetteer",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A gazetteer CSV replacing the bundled one (same columns).",
)
online_opts = [
    click.option("--api-key", default=None, help="Amap/Baidu key (default: GEO_AMAP_KEY / GEO_BAIDU_KEY)."),
    click.option("--user-agent", default=None, help="Nominatim User-Agent (default: GEO_USER_AGENT)."),
    click.option("--base-url", default=None, help="Service URL (default: GEO_<PROVIDER>_URL or the public service)."),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Answer cache (default: GEO_CACHE_DIR).",
    ),
]
allow_outside_opt = click.option(
    "--allow-outside",
    is_flag=True,
    help="Keep a location outside the district polygon (same-name places elsewhere are refused otherwise).",
)


def _online(func: Any) -> Any:
    for option in reversed(online_opts):
        func = option(func)
    return func


def _geocoder(provider: str, gazetteer: Path | None, api_key: str | None, user_agent: str | None,
              base_url: str | None, cache_dir: Path | None, district_fallback: bool = False) -> Any:  # fmt: skip
    from geo.geocode import get_geocoder

    return get_geocoder(provider, gazetteer=gazetteer, district_fallback=district_fallback, api_key=api_key,
                        user_agent=user_agent, base_url=base_url, cache_dir=cache_dir)  # fmt: skip


@main.command()
@click.argument("query")
@provider_opt
@gazetteer_opt
@click.option(
    "--datum-in",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default=None,
    help="QUERY is 'LON,LAT' in this datum (e.g. copied from Amap: gcj02); print it in WGS-84.",
)
@click.option(
    "--district-fallback", is_flag=True, help="Answer with the district centre (8 km uncertainty) if nothing matches."
)
@allow_outside_opt
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_online
def geocode(query: str, provider: str, gazetteer: Path | None, datum_in: str | None, district_fallback: bool,
            allow_outside: bool, as_json: bool, api_key: str | None, user_agent: str | None,
            base_url: str | None, cache_dir: Path | None) -> None:  # fmt: skip
    """Print the WGS-84 point of a name, an address or a copied coordinate, with its provenance.

    \b
    Examples:
      geo geocode "人民大街与卫星路交会处东侧500米"
      geo geocode 万象城 --json
      geo geocode "125.325912,43.879077" --datum-in gcj02
      GEO_USER_AGENT="me@example.org" geo geocode 南溪湿地公园 --provider nominatim
    """
    from geo.coords import parse_lonlat, to_wgs84

    out: dict[str, Any]
    try:
        if datum_in is not None:
            lon0, lat0 = parse_lonlat(query, field="QUERY")
            lon, lat = to_wgs84(lon0, lat0, datum_in)
            out = {"lon": round(float(lon), 7), "lat": round(float(lat), 7), "precision": "exact", "uncertainty_m": 0.0,
                   "source": f"coordinate given in {datum_in}: {lon0}, {lat0}", "provider": "coordinates",
                   "datum_in": datum_in, "matched": None}  # fmt: skip
        else:
            from geo.geocode import geocode_place

            coder = _geocoder(provider, gazetteer, api_key, user_agent, base_url, cache_dir, district_fallback)
            loc = geocode_place(query, geocoder=coder, allow_outside=allow_outside)
            raw = loc.raw
            out = {"lon": round(loc.longitude, 7), "lat": round(loc.latitude, 7), "precision": raw.get("precision"),
                   "uncertainty_m": raw.get("uncertainty_m"), "source": raw.get("source"), "provider": raw.get("provider"),
                   "datum_in": raw.get("datum_in"), "matched": raw.get("matched")}  # fmt: skip
            for key in ("offset", "ambiguous", "candidates", "fallback", "outside_m"):
                if raw.get(key):
                    out[key] = raw[key]
    except GeoError as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
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


@main.command()
@click.option("--missing", is_flag=True, required=True, help="Fill the places whose geometry is null.")
@data_opt
@provider_opt
@gazetteer_opt
@allow_outside_opt
@click.option("--id", "ids", multiple=True, help="Only this place (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many places.")
@wait_opt
@_online
def locate(missing: bool, data_path: Path | None, provider: str, gazetteer: Path | None, allow_outside: bool,
           ids: tuple[str, ...], limit: int | None, api_key: str | None, user_agent: str | None,
           base_url: str | None, cache_dir: Path | None) -> None:  # fmt: skip
    """Geocode the places without a location and store what is found, with provenance.

    Each success is saved at once, so an interrupted run (Ctrl-C) keeps what it
    found; run it again to resume. Online answers are cached, so a second run
    makes no request for what was already asked.

    \b
    Examples:
      geo locate --missing
      GEO_AMAP_KEY=... geo locate --missing --provider amap
    """
    from geo.places import locate_missing
    from geo.store import load_collection

    try:
        coder = _geocoder(provider, gazetteer, api_key, user_agent, base_url, cache_dir)
        todo = [f for f in load_collection(data_path)["features"] if f["geometry"] is None]
        if ids:
            todo = [f for f in todo if f["properties"]["id"] in ids]
        total = min(len(todo), limit) if limit else len(todo)
        with click.progressbar(length=total, label=f"locating with {provider}", file=sys.stderr) as bar:
            report = locate_missing(data_path, geocoder=coder, allow_outside=allow_outside, ids=ids or None,
                                    limit=limit, progress=lambda _id: bar.update(1))  # fmt: skip
    except GeoError as err:
        _fail(err)
    for ident, source in report.located.items():
        click.echo(f"located {ident}: {source}")
    for ident, reason in report.failed.items():
        click.echo(f"not placed {ident}: {reason}")
    click.echo(
        f"{len(report.located)} located, {len(report.failed)} not placed"
        + (f", {report.skipped} left for the next run" if report.skipped else "")
    )
    if report.located:
        _next_step()


def _report(result: Any, dry_run: bool, data_path: Path | None = None) -> None:
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    verb = {"add": "added", "import": "imported", "remove": "removed", "update": "updated"}[result.action]
    if dry_run:
        click.echo(f"dry run: would have {verb} {', '.join(result.ids)}; nothing written")
        for feature in result.features:
            click.echo(json.dumps(feature, ensure_ascii=False))
    elif not result.written:
        click.echo(f"nothing to change: {', '.join(result.ids)} already as asked; nothing written or recorded")
    else:
        # The change is in the history already: every command records through geo.history.apply_change.
        click.echo(f"{verb} {', '.join(result.ids)}")
        _next_step()


def _next_step() -> None:
    """Say what shows the change: the built page is stale until the next build."""
    click.echo("next: run `geo build` to redraw site/index.html with this change (a running `geo serve` shows it now)",
               err=True)  # fmt: skip


write_opts = [
    click.option("--update", "update_existing", is_flag=True, help="Replace a place with the same id, name or spot."),
    allow_outside_opt,
    click.option(
        "--confirm-area",
        is_flag=True,
        help="Accept an outline >10 % off its stated area or far outside its class's sizes (needs --reason).",
    ),
    click.option("--reason", default=None, help="Why --confirm-area accepts the difference (kept in the history)."),
    click.option(
        "--repair", is_flag=True, help="Close, orient and make_valid a broken outline instead of refusing it."
    ),
    dry_run_opt,
]


def _write_options(func: Any) -> Any:
    for option in reversed(write_opts):
        func = option(func)
    return func


@main.command("add-park")
@click.argument("name")
@click.option("--area", "area", required=True, help="Stated area in square metres.")
@click.option("--address", default=None, help="Address, geocoded (offline gazetteer unless --provider).")
@click.option("--lonlat", default=None, help="'LON,LAT' point, in --datum.")
@click.option(
    "--geometry",
    "geometry_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="GeoJSON file with the park's outline (Polygon), in --datum ('-': standard input).",
)
@datum_opt
@click.option("--class", "park_class", default=None, help="CJJ/T 85-2017 class: 综合公园, 社区公园, 专类公园 or 游园.")
@click.option("--status", default="open", show_default=True, help="open, under_construction, planned or unknown.")
@click.option("--name-en", default=None, help="English name.")
@click.option("--id", "ident", default=None, help="Stable ASCII id (default: from --name-en, or a hash of the name).")
@click.option("--quote", default=None, help="The sentence of a source that names the park.")
@click.option("--source", default=None, help="Where the park's facts come from.")
@click.option(
    "--outline",
    type=click.Choice(["drawn", "surveyed", "schematic"]),
    default="drawn",
    show_default=True,
    help="What the --geometry outline is.",
)
@data_opt
@provider_opt
@gazetteer_opt
@_write_options
@_online
def add_park(name: str, area: str, address: str | None, lonlat: str | None, geometry_file: Path | None, datum: str,
             park_class: str | None, status: str, name_en: str | None, ident: str | None, quote: str | None,
             source: str | None, outline: str, data_path: Path | None, provider: str, gazetteer: Path | None,
             update_existing: bool, allow_outside: bool, confirm_area: bool, reason: str | None, repair: bool,
             dry_run: bool, api_key: str | None, user_agent: str | None, base_url: str | None, cache_dir: Path | None) -> None:  # fmt: skip
    """Add a park by address, by a point (e.g. copied from Amap) or by an outline.

    Every problem is reported at once and the data file is left untouched.

    \b
    Examples:
      geo add-park 新绿园 --area 6200 --address "人民大街与卫星路交会处东侧200米" --class 游园
      geo add-park 新绿园 --area 6200 --lonlat 125.3341,43.8412 --datum gcj02
      geo add-park 新绿园 --area 6200 --geometry new_park.geojson
    """
    from geo.places import add_place, make_park, read_features

    try:
        problems: list[Problem] = []
        geometry = None
        if geometry_file is not None:
            features, file_datum = read_features(geometry_file)
            if len(features) != 1:
                problems.append(
                    Problem("--geometry", "geometry", f"expected one feature or geometry, got {len(features)}")
                )
            else:
                geometry = features[0].get("geometry")
                datum = (
                    datum
                    if datum != "wgs84"
                    else (features[0].get("properties") or {}).get("datum") or file_datum or datum
                )
        coder = None
        if (address is not None and provider != "gazetteer") or gazetteer is not None:
            coder = _geocoder(provider, gazetteer, api_key, user_agent, base_url, cache_dir)
        try:
            feature, remarks = make_park(name, area_m2=area, address=address, lonlat=lonlat, datum=datum,
                                         geometry=geometry, park_class=park_class, status=status, name_en=name_en,
                                         quote=quote, source=source, ident=ident, outline=outline, geocoder=coder,
                                         repair=repair)  # fmt: skip
        except ValidationError as err:
            raise ValidationError(problems + err.problems) from err
        if problems:
            raise ValidationError(problems)
        for remark in remarks:
            click.echo(f"note: {remark}", err=True)
        result = add_place(feature, data_path, update=update_existing, allow_outside=allow_outside,
                           confirm_area=confirm_area, dry_run=dry_run, reason=reason)  # fmt: skip
    except GeoError as err:
        _fail(err)
    _report(result, dry_run, data_path)


@main.command("extract")
@click.argument("report", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "geojson"]), default="table", show_default=True,
              help="table for people, json for tools, geojson for `geo import`.")  # fmt: skip
@click.option(
    "--source", "source_name", default=None, help="The report's title, paper and date (kept with each place)."
)
@click.option(
    "--apply", "apply_", is_flag=True, help="Add the new places, unlocated; existing places are never changed."
)
@data_opt
@wait_opt
def extract_(report: str, fmt: str, source_name: str | None, apply_: bool, data_path: Path | None) -> None:
    """Propose every place a Chinese news report names (REPORT: a text file, or - for standard input).

    Nothing is written unless --apply; then `geo locate --missing` or `geo serve` places them.

    \b
    Examples:
      geo extract report.txt
      geo extract report.txt --format json > candidates.json
      geo extract report.txt --apply --source "《报道标题》，报纸名，2026-01-15"
    """
    from geo.extract import apply_candidates, extract_report, render

    if apply_ and not (source_name or "").strip():
        raise click.UsageError("--apply needs --source: the report's title, paper and date")
    try:
        candidates = extract_report(report, data_path)
        click.echo(render(candidates, fmt, source=source_name))
        if not candidates:
            click.echo(f"no places found in {report}", err=True)
        result, matched = apply_candidates(candidates, data_path, source=source_name or "") if apply_ else (None, [])
    except GeoError as err:
        _fail(err)
    for c in matched:
        click.echo(f"matched {c.name} = {c.matches} (unchanged)", err=True)
    if result is not None:
        for feature in result.features:
            click.echo(f"added {feature['properties']['name']} as {feature['properties']['id']} (unlocated)", err=True)
        click.echo("next: `geo locate --missing` or `geo serve` places them; `geo build` redraws the map", err=True)
    elif apply_:
        click.echo("nothing new to add: every place is in the data already", err=True)


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@data_opt
@click.option("--name", default=None, help="Name, for a file with one feature and no name property.")
@click.option("--area", default=None, help="Stated area in m², for a file with one feature.")
@click.option("--class", "park_class", default=None, help="Park class for every feature without one.")
@click.option("--status", default=None, help="Status for every feature without one.")
@click.option(
    "--datum",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default=None,
    help="Datum of the file's coordinates (default: its 'datum' property, else wgs84).",
)
@click.option("--no-input", is_flag=True, help="Never prompt; report missing names and areas (for scripts).")
@_write_options
def import_(source: Path, data_path: Path | None, name: str | None, area: str | None, park_class: str | None,
            status: str | None, datum: str | None, no_input: bool, update_existing: bool, allow_outside: bool,
            confirm_area: bool, reason: str | None, repair: bool, dry_run: bool) -> None:  # fmt: skip
    """Import parks from a GeoJSON file (the map's draw tool export, or any GIS); '-' reads standard input.

    \b
    Examples:
      geo import new_park.geojson --name 新绿园 --area 6200
      ogr2ogr -f GeoJSON /vsistdout/ parks.shp | geo import - --no-input
      geo import parks.geojson --no-input --dry-run
    """
    from geo.places import import_features

    ask = None
    if not no_input and sys.stdin.isatty():

        def ask(field: str, index: int) -> Any:
            label = "name" if field == "name" else "stated area in m² (empty: unknown)"
            value = click.prompt(f"feature[{index}] {label}", default="", show_default=False)
            return value or None

    try:
        result = import_features(source, data_path, name=name, area_m2=area, park_class=park_class, status=status,
                                 datum=datum, update=update_existing, allow_outside=allow_outside,
                                 confirm_area=confirm_area, repair=repair, dry_run=dry_run, ask=ask,
                                 reason=reason)  # fmt: skip
    except GeoError as err:
        _fail(err)
    _report(result, dry_run, data_path)


@main.command()
@click.argument("ident", metavar="ID")
@data_opt
@dry_run_opt
def remove(ident: str, data_path: Path | None, dry_run: bool) -> None:
    """Remove the place with this id (to undo a mistaken add).

    \b
    Example:
      geo remove xinlvyuan
    """
    from geo.places import remove_place

    try:
        result = remove_place(ident, data_path, dry_run=dry_run)
    except GeoError as err:
        _fail(err)
    _report(result, dry_run, data_path)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("ident", metavar="ID")
@click.argument("changes", nargs=-1, type=click.UNPROCESSED, metavar="--FIELD VALUE ...")
@data_opt
@dry_run_opt
def update(ident: str, changes: tuple[str, ...], data_path: Path | None, dry_run: bool) -> None:
    """Change fields of a place: `geo update ID --OPTION VALUE ...` ("null" clears a field).

    Options are those of add-park and import: --name, --name-en, --category,
    --class, --status, --area, --address, --quote, --quote-source, --notes,
    --uncertainty, and --area-source / --status-source (where a new area or
    status comes from; "report" for the report; without one it is recorded as
    entered by hand). Old spellings (--park_class, --stated_area_m2, ...) still
    work, with a note.

    \b
    Example:
      geo update mulin-pocket-park --status open --status-source "site visit 2026-11-20"
    """
    from geo.places import update_place

    pairs: dict[str, str] = {}
    args = list(changes)
    while args:
        key = args.pop(0)
        if not key.startswith("--") or not args:
            msg = f"expected '--FIELD VALUE' pairs, got {key!r}"
            raise click.UsageError(msg)
        if "=" in key:
            key, value = key.split("=", 1)
        else:
            value = args.pop(0)
        pairs[key[2:]] = value
    if not pairs:
        raise click.UsageError("nothing to change: give --FIELD VALUE pairs")
    try:
        result = update_place(ident, pairs, data_path, dry_run=dry_run)
    except GeoError as err:
        from geo.places import FIELD_OPTIONS

        _fail(err, {**OPTIONS, **{field: f"--{option}" for option, field in FIELD_OPTIONS.items()}})
    _report(result, dry_run, data_path)


@main.command()
@data_any_opt
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table", show_default=True
)
@click.option(
    "--radius",
    "radii",
    type=click.FloatRange(min=1, max=50_000),
    multiple=True,
    help="Access radius in metres, 1 to 50,000 (repeatable; default 300 and 500).",
)
@click.option(
    "--large-parks-at",
    "large_at",
    type=float,
    multiple=True,
    help="At this radius count only parks of 1 ha or more (GB/T 51346-2019 uses 500).",
)
@click.option(
    "--population",
    type=click.IntRange(min=1),
    default=None,
    help="Residents, for park area per person (GB 55014-2021: 8 m²).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(allow_dash=True, path_type=Path),
    default=None,
    help="Write to this file instead of stdout ('-': stdout); with --format csv, a folder for one CSV file per table.",
)
@click.option(
    "--table",
    type=click.Choice(list(SUMMARY_TABLES)),
    default=None,
    help="With --format csv: the one tidy table to print (or to write to --out FILE).",
)
@click.option(
    "--plot",
    "plot",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Also write a PNG chart ('-': to stdout, instead of the text).",
)
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="dask: read --data as partitioned GeoParquet (or partition a GeoJSON file) and compute on a Dask cluster.",
)
@click.option(
    "--scheduler", default=None, help="With --engine dask: a Dask scheduler address (default: a local cluster)."
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="With --engine dask and GeoJSON --data: how many partitions to cut it into.",
)
@network_opt
def summary(data_path: Path | None, fmt: str, radii: tuple[float, ...], large_at: tuple[float, ...],
            population: int | None, out: Path | None, table: str | None, plot: Path | None, engine: str,
            scheduler: str | None, partitions: int, network_file: str | None) -> None:  # fmt: skip
    """Summarise park area (by class and category) and access to parks.

    \b
    Examples:
      geo summary
      geo summary --format json --radius 300 --radius 500 --large-parks-at 500
      geo summary --population 380000 --plot parks.png
      geo summary --engine dask --data parks.parquet/ --scheduler tcp://10.0.0.5:8786
      geo summary --network          # walking access along streets, beside straight lines
      geo summary --format csv --out tables/      # one tidy CSV per table
      geo summary --format csv --table access     # one table on standard output
    """
    from geo.store import load_frame
    from geo.summary import format_summary, plot_summary, summarize, write_summary_tables

    to_stdout = out is None or str(out) == "-"
    if str(plot) == "-" and to_stdout:
        raise click.UsageError("--plot -: the chart takes stdout, so give the text a file with --out FILE")
    tables_folder = fmt == "csv" and table is None
    if tables_folder and to_stdout:
        msg = "--format csv writes one table per file: give --out FOLDER, or --table NAME to print one table"
        raise click.UsageError(msg)
    try:
        kwargs: dict[str, Any] = {
            "radii": radii or (300.0, 500.0),
            "large_park_radii": large_at,
            "population": population,
        }
        path = _data(data_path)
        kwargs["network"] = _network(network_file, path)
        parquet = engine == "dask" and (path.is_dir() or path.suffix in (".parquet", ".geoparquet"))
        # Read the data file once: its places, and the figures it gives for the district as a whole.
        frame, collection = (None, None) if parquet else load_frame(path)
        if engine == "dask":
            from geo.dask_engine import summarize_dask

            result = summarize_dask(path if parquet else frame, scheduler=scheduler, npartitions=partitions, **kwargs)
        else:
            result = summarize(frame, **kwargs)
        if collection is not None:
            result["district_figures"] = list((collection.get("metadata") or {}).get("district_figures") or [])
        if plot is not None:
            plot_summary(result, sys.stdout.buffer if str(plot) == "-" else plot)
        if tables_folder:
            written = write_summary_tables(result, out)
            click.echo(f"wrote {len(written)} tables into {out}: " + ", ".join(p.name for p in written))
            return
        text = format_summary(result, fmt, table=table)
    except GeoError as err:
        _fail(err)
    if not to_stdout and out is not None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as err:  # a missing folder, a full disk, no permission: one line, not a traceback
            msg = f"--out: cannot write {str(out)!r}: {err.strerror}"
            raise click.ClickException(msg) from err
        click.echo(f"wrote {out}", err=str(plot) == "-")
    else:
        click.echo(text, nl=False)


@main.command()
@data_opt
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the editor in a browser.")
@click.option("--commit", is_flag=True, help="Make every save a git commit of the data file.")
@click.option(
    "--node-modules",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Serve the pinned assets from this `npm ci` folder (default: those installed with the package, "
    "else ./node_modules; a CDN when there are none).",
)
def serve(data_path: Path | None, host: str, port: int, open_browser: bool, commit: bool,
          node_modules: Path | None) -> None:  # fmt: skip
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
    import os
    import secrets

    from geo.resources import asset_dir, need

    try:
        need("serve", "geo serve")
    except GeoError as err:
        _fail(err)
    from geo.history import git_root
    from geo.server import EditorServer
    from geo.server import serve as run

    token = os.environ.get("GEO_SERVE_TOKEN") or secrets.token_urlsafe(24)
    path = _data(data_path)
    found = asset_dir(node_modules)
    modules = found if found is not None and (found / "leaflet" / "package.json").is_file() else None
    try:
        if commit and git_root(path) is None:
            msg = f"--commit: {str(path)!r} is not in a git repository"
            raise click.UsageError(msg)
        server = EditorServer(path, token, host=host, port=port, commit=commit, node_modules=modules)
    except GeoError as err:
        _fail(err)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"WARNING: listening on {host}: anyone on your network can read the map and its data. "
                   "Writes still need the token.", err=True)  # fmt: skip
    if modules is None:
        click.echo("note: no local front-end assets; the page loads Leaflet from a CDN (reinstall nanguan-geo, or "
                   "`npm ci` in a checkout, to serve them locally)", err=True)  # fmt: skip

    def ready(url: str) -> None:
        click.echo(f"serving {path} at {url}", err=False)
        if server.roster.exists():
            click.echo("keys from `geo editors` (each person opens the link they were given); Ctrl+C stops", err=True)
        else:
            click.echo("open that link to edit (the token after # is your write key); Ctrl+C stops", err=True)
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run(server, ready=ready)
    except GeoError as err:
        _fail(err)


@main.command()
@click.argument("ident", metavar="[ID]", required=False)
@data_opt
@click.option("--json", "as_json", is_flag=True, help="Print the records (before and after) as JSON lines.")
def history(ident: str | None, data_path: Path | None, as_json: bool) -> None:
    """List the recorded changes (of one place with ID): when, who, what.

    \b
    Example:
      geo history mulin-pocket-park
      geo undo 20261129101500-a1b2c3
    """
    from geo.history import read_history

    try:
        records = read_history(data_path, ident)
    except GeoError as err:
        _fail(err)
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{record.get('change')}  {record.get('time')}  {record.get('place')}  {record.get('summary')}")
    if not records and not as_json:
        click.echo("no recorded changes" + (f" for {ident}" if ident else ""))


@main.command()
@click.argument("change")
@data_opt
@click.option("--editor", default=None, help="Who undoes it (default: GEO_EDITOR or your user name).")
@wait_opt
def undo(change: str, data_path: Path | None, editor: str | None) -> None:
    """Revert one recorded change (see `geo history`), through the normal validated path.

    The place must still be as that change left it; otherwise nothing is written.

    \b
    Example:
      geo undo 20261129101500-a1b2c3
    """
    import getpass
    import os

    from geo.places import undo_change

    who = editor or os.environ.get("GEO_EDITOR") or f"{getpass.getuser()} (command line)"
    try:
        _, record = undo_change(change, data_path, editor=who[:60])
    except GeoError as err:
        _fail(err)
    click.echo(f"{record['change']}: {record['summary']}")
    _next_step()


@main.group()
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
    from geo.editors import add_editor, editors_path

    try:
        person, key = add_editor(_data(data_path), name, role)
    except GeoError as err:
        _fail(err)
    click.echo(f"added {person.name} as {person.role} to {editors_path(_data(data_path))}")
    click.echo(f"key (shown only now): {key}")
    click.echo(f"link to open: {url.rstrip('/')}/#token={key}")
    click.echo("give the link to them privately; `geo editors revoke` stops it at once", err=True)


@editors.command("list")
@data_opt
def editors_list(data_path: Path | None) -> None:
    """List everyone given a key: name, role, when added, when revoked."""
    from geo.editors import list_editors

    try:
        people = list_editors(_data(data_path))
    except GeoError as err:
        _fail(err)
    for p in people:
        click.echo(
            f"{p['name']}\t{p['role']}\tadded {p['added']}\t"
            + (f"revoked {p['revoked']}" if p["revoked"] else "working")
        )
    if not people:
        click.echo("no editors file: `geo serve` uses its single shared token")


@editors.command("revoke")
@click.argument("name")
@data_opt
def editors_revoke(name: str, data_path: Path | None) -> None:
    """Stop NAME's key at once (a running `geo serve` refuses it from the next request)."""
    from geo.editors import revoke_editor

    try:
        done = revoke_editor(_data(data_path), name)
    except GeoError as err:
        _fail(err)
    click.echo(f"revoked {done['name']} ({done['role']}) at {done['revoked']}")


@main.group()
def network() -> None:
    """Street networks for walking access, from OpenStreetMap extracts."""


@network.command("import")
@click.argument("extract", type=click.Path(dir_okay=False, path_type=Path))
@data_opt
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the GraphML (default: network.graphml beside the data).")  # fmt: skip
@click.option("--source", "source_name", default=None, help="Where the extract comes from (kept with the network).")
@click.option("--date", "extract_date", default=None, help="The extract's date, if its header does not give one.")
def network_import(extract: Path, data_path: Path | None, out: Path | None, source_name: str | None,
                   extract_date: str | None) -> None:  # fmt: skip
    """Read an OpenStreetMap extract (.osm or .osm.pbf) and store its walkable street network.

    Keeps footways, paths, pedestrian areas, steps, living and residential streets and other
    streets with pavements (not motorways, not ways closed to people on foot), simplifies the
    graph and writes GraphML with the extract's source and date.

    \b
    Example:
      geo network import changchun.osm.pbf --source "Geofabrik China extract, (c) OpenStreetMap contributors, ODbL"
      geo network import tests/data/synthetic_river_grid.osm
    """
    from geo.network import import_osm

    try:
        path, facts = import_osm(extract, out, data_path=data_path, source_name=source_name, extract_date=extract_date)
    except GeoError as err:
        _fail(err)
    click.echo(f"wrote {path}: {facts['graph_nodes']:,} nodes, {facts['graph_edges']:,} edges "
               f"from {facts['walkable_ways']:,} walkable ways")  # fmt: skip
    click.echo(f"source: {facts['source']}; extract date: {facts['extract_date']}")
    click.echo("next: `geo summary --network` (walking access) or `geo build --network` (service areas)", err=True)
