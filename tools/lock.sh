#!/usr/bin/env bash
# Refresh requirements/constraints.txt: every package the tests, linters and extras use, pinned to one version each,
# resolved from PyPI for every platform and Python the project supports (uv's universal resolution).
#   python3 -m pip install uv && tools/lock.sh
# The README's test command and .ci/run install with `-c requirements/constraints.txt`; leaving the `-c` out installs
# today's newest releases instead, which the suite must also pass.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=$(python3 - <<'PY'
import tomllib
with open("pyproject.toml", "rb") as f:
    extras = tomllib.load(f)["project"]["optional-dependencies"]
print(" ".join(f"--extra {name}" for name in sorted(extras) if name != "bench"))
PY
)
# shellcheck disable=SC2086
uv pip compile pyproject.toml $extras --universal --python-version 3.10 --no-header --no-annotate \
    --output-file requirements/constraints.txt "$@"
{
  echo "# Pinned versions for the tests, linters and every extra (made by tools/lock.sh; do not edit by hand)."
  cat requirements/constraints.txt
} > requirements/constraints.txt.new
mv requirements/constraints.txt.new requirements/constraints.txt
