"""Write the data file's JSON Schema, ``geo/data/locations.schema.json``, from the rule set (``geo.rules.json_schema``).

    python3 tools/write_schema.py           # write it
    python3 tools/write_schema.py --check   # exit 1 if the file differs from what the rule set says

Run it after changing ``geo/rules.py``; ``tests/test_rules.py`` fails while the file is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.rules import schema_text

TARGET = Path(__file__).resolve().parent.parent / "geo" / "data" / "locations.schema.json"


def main() -> int:
    """Write or check the schema file; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is up to date")
    args = parser.parse_args()
    text = schema_text()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET} is out of date: run python3 tools/write_schema.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
