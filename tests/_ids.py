"""Test ids that survive a command line: letters, digits and '-' only (mutmut passes ids back to pytest)."""

from __future__ import annotations

import re


def slug(text: str, limit: int = 40) -> str:
    """Return ``text`` as a short id: runs of anything but ASCII letters and digits become one '-'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:limit].strip("-") or "case"
