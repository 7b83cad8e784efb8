import json
import subprocess
import sys

import pytest

from geo import __version__
from geo.cli import main


def test_version_and_help(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "build"):
        assert command in result.output


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "geo", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from geo.cli import main; print(','.join(m for m in ('geopandas','folium','shapely','pyproj') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_validate_clean_file(runner, valid_path):
    result = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert result.exit_code == 0, result.output
    assert "valid, 5 places (3 located, 2 unlocated)" in result.output


def test_validate_lists_every_problem_and_exits_1(runner, valid_path):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    fc["features"][0]["properties"]["category"] = "zoo"
    fc["features"][1]["properties"]["stated_area_m2"] = -3
    fc["features"][2]["geometry"]["coordinates"] = [43.84, 125.33]
    fc["features"][3]["properties"]["id"] = "test-mall"
    valid_path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "test-mall: category must be one of park, commerce" in lines[0]
    assert any(line.startswith("test-square-park: stated_area_m2 must be > 0, got -3") for line in lines)
    assert any("test-gcj-park" in line and "(lat, lon) order" in line for line in lines)
    assert any("id is not unique" in line for line in lines)
    assert lines[-1].endswith("4 problem(s)")
    assert "Traceback" not in result.output


def test_validate_corrupt_file_is_one_line(runner, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: data file") and "is not valid JSON" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_validate_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "nope.geojson")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_build_refuses_invalid_data(runner, valid_path, tmp_path):
    valid_path.write_text('{"type": "Feature"}', encoding="utf-8")
    result = runner.invoke(main, ["build", "--data", str(valid_path), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "type must be 'FeatureCollection'" in result.output
    assert not (tmp_path / "site" / "index.html").exists()


# ------------------------------------------------------------------ the rio shape: declared options, state on ctx.obj


def test_update_help_lists_every_field_option_and_hides_the_old_spellings(runner):
    from geo.places import FIELD_OPTIONS, OLD_SPELLINGS

    result = runner.invoke(main, ["update", "--help"])
    assert result.exit_code == 0, result.output
    options = result.output.split("\nOptions:\n", 1)[1].splitlines()  # the option list, not the text above it
    listed = {line.split()[0].rstrip(",") for line in options if line.strip().startswith("-")}
    listed |= {line.split()[1] for line in options if line.strip().startswith("-h,")}
    assert {f"--{option}" for option in FIELD_OPTIONS} <= listed
    assert {"--data", "--dry-run", "--wait"} <= listed
    assert not {f"--{old}" for old in OLD_SPELLINGS} & listed  # still accepted (test_places), not advertised


def _held_lock(path):
    """Hold the data file's lock from another thread until the returned event is set."""
    import threading

    from geo.store import lock

    taken, release = threading.Event(), threading.Event()

    def hold():
        with lock(path, timeout=5):
            taken.set()
            release.wait(60)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(30)
    return release, thread


@pytest.mark.parametrize("where", ["command", "group"])
def test_wait_reaches_the_lock_as_a_parameter_not_through_the_environment(runner, valid_path, monkeypatch, where):
    import os

    monkeypatch.delenv("GEO_LOCK_TIMEOUT", raising=False)
    before = valid_path.read_bytes()
    change = ["update", "test-mall", "--notes", "改", "--data", str(valid_path)]
    args = [*change, "--wait", "0.5"] if where == "command" else ["--wait", "0.5", *change]
    release, thread = _held_lock(valid_path)
    try:
        result = runner.invoke(main, args)
    finally:
        release.set()
        thread.join(30)
    assert result.exit_code == 1, result.output
    assert "is locked by another process (waited 0.5 s)" in result.output
    assert "wait longer with --wait SECONDS" in result.output
    assert "GEO_LOCK_TIMEOUT" not in os.environ  # no back channel left behind
    assert valid_path.read_bytes() == before
    done = runner.invoke(main, args)  # the lock is free again: the same command goes through
    assert done.exit_code == 0, done.output


def test_a_commands_wait_wins_over_the_groups(runner, valid_path, monkeypatch):
    monkeypatch.delenv("GEO_LOCK_TIMEOUT", raising=False)
    release, thread = _held_lock(valid_path)
    try:
        result = runner.invoke(
            main, ["--wait", "30", "remove", "test-mall", "--wait", "0.2", "--data", str(valid_path)]
        )
    finally:
        release.set()
        thread.join(30)
    assert result.exit_code == 1 and "(waited 0.2 s)" in result.output, result.output


def test_the_group_knows_every_command_of_every_command_module():
    """geo.cli.main.COMMANDS loads each command from its module: none missing, none pointing elsewhere."""
    import importlib

    from geo.cli.main import COMMANDS

    modules = {entry.module for entry in COMMANDS.values()}
    assert modules == {"data", "build", "geocoding", "edit", "summary", "serve", "extract", "network"}
    declared = {c.name: (m, c) for m in modules for c in importlib.import_module(f"geo.cli.{m}").COMMANDS}
    assert set(declared) == set(COMMANDS)
    for name, (module, attribute, short_help) in COMMANDS.items():
        command = getattr(importlib.import_module(f"geo.cli.{module}"), attribute)
        assert declared[name] == (module, command)
        # geo --help lists the table's line without importing the module: it must be the command's own
        assert short_help == command.get_short_help_str(1000), name


def test_help_lists_every_command_without_importing_one():
    code = (
        "import sys; from geo.cli import main; main(['--help'], standalone_mode=False); "
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('geo.cli.', 'geo.places', 'geo.model', 'numpy')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *help_lines, loaded = out.stdout.strip().splitlines()
    assert set(loaded.split(",")) == {"geo.cli.main"}, loaded
    from geo.cli.main import COMMANDS

    rows = help_lines[help_lines.index("Commands:") + 1 :]
    listed = [line.split()[0] for line in rows if line.startswith("  ") and not line.startswith("   ")]
    assert listed == sorted(COMMANDS)


def test_a_command_loads_only_its_own_module():
    code = (
        "import sys; from geo.cli import main; main(['validate', '--help'], standalone_mode=False); "
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('geo.cli.', 'geopy', 'geo.extract')))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.strip().splitlines()[-1].split(","))
    assert "geo.cli.data" in loaded
    assert not loaded & {"geo.cli.serve", "geo.cli.summary", "geo.cli.edit", "geopy", "geo.extract"}, loaded
