"""Publication dates as pages and feeds write them, to one UTC timestamp."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.dates import parse_timestamp

UTC = dt.UTC


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-03-05", dt.datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-05T10:00:00Z", dt.datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("2024-03-05T10:00:00+02:00", dt.datetime(2024, 3, 5, 8, tzinfo=UTC)),
        ("2024-03-05T10:00:00+0200", dt.datetime(2024, 3, 5, 8, tzinfo=UTC)),
        ("2024-03-05 10:00", dt.datetime(2024, 3, 5, 10, tzinfo=UTC)),  # no zone: taken as UTC
        ("2024-03-05 10:00:00 UTC", dt.datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", dt.datetime(2024, 3, 5, 10, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:00:00 -0500", dt.datetime(2024, 3, 5, 15, tzinfo=UTC)),
        ("  2024-03-05  ", dt.datetime(2024, 3, 5, tzinfo=UTC)),
    ],
)
def test_dates_as_written_become_utc_timestamps(raw, expected):
    assert parse_timestamp(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "yesterday", "March", "0001-01-01", "2024-13-45", "12/03/2024"])
def test_what_is_not_a_date_is_none(raw):
    assert parse_timestamp(raw) is None
