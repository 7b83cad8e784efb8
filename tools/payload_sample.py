"""Print a page payload and its packed form, as JSON, for the JS unit tests (tests/js/payload.test.mjs).

The payload is what :func:`geo.render.encode_payload` makes of a data file (default: the bundled
``data/locations.geojson``) and the packed form what :func:`geo.render.pack_payload` makes of it, so the page's
decoder is tested against the Python encoder's real output, never a copy that could drift.

    python3 tools/payload_sample.py [DATA_FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson

from geo import render
from geo.store import load_locations

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "locations.geojson"


def main(argv: list[str]) -> None:
    """Write ``{"payload": ..., "packed": ...}`` to standard output."""
    path = Path(argv[0]) if argv else DEFAULT
    payload = render.encode_payload(load_locations(path))
    plain = orjson.loads(orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY))  # as the page's JSON has it
    sys.stdout.write(json.dumps({"payload": plain, "packed": render.pack_payload(payload)}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
