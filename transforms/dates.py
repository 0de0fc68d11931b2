"""Publication dates as written (ISO 8601, RFC 2822, a bare day) to one UTC timestamp.

Pages and feeds mix "2024-03-05", "2024-03-05T10:00:00+02:00", "2024-03-05 10:00"
and "Tue, 05 Mar 2024 10:00:00 GMT"; a dashboard groups by day, so all become an
aware ``datetime`` in UTC.  A time without a zone is taken as UTC, a bare day as
its midnight UTC.  Anything else is no date (the raw string is kept beside it).
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

#: Python's ISO parser wants "+02:00" or "Z"; feeds also write "+0200" and "UTC".
_ZONE_FIXES = (
    (re.compile(r"([+-]\d{2})(\d{2})$"), r"\1:\2"),
    (re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE), "+00:00"),
)
#: Years outside this range are typos or placeholders ("0001-01-01"), not dates.
_PLAUSIBLE_YEARS = range(1900, 2200)


def parse_timestamp(raw: str | None) -> dt.datetime | None:
    """``raw`` as an aware UTC datetime, or None when it is not a date."""
    text = (raw or "").strip()
    if not text:
        return None
    parsed = _iso(text) or _rfc2822(text)
    if parsed is None or parsed.year not in _PLAUSIBLE_YEARS:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _iso(text: str) -> dt.datetime | None:
    candidate = text
    for pattern, replacement in _ZONE_FIXES:
        candidate = pattern.sub(replacement, candidate)
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc2822(text: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
