"""warehouse.history on a temporary directory: journals, the rows they leave, and
``newsetl runs``'s history (published rows and journals)."""

from __future__ import annotations

import datetime as dt

from schemas.models import SCHEMA_VERSION, RunRow
from tests.warehouse.direct_run import publish_run, run_id
from warehouse import history
from warehouse.layout import DataLayout


def _journal_row(n: int, status: str = "aborted") -> RunRow:
    started = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    return RunRow(
        run_id=run_id(n),
        ingest_date=started.date(),
        started_at=started,
        finished_at=None,
        status=status,
        inputs="pages/",
        n_seen=0,
        n_processed=0,
        n_skipped=0,
        n_quarantined=0,
        n_paragraphs=0,
        n_quotes=0,
        n_removed_lines=0,
        schema_version=SCHEMA_VERSION,
    )


def test_journals_and_published_rows_make_the_history(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("A story.\n\nIts second paragraph.\n", encoding="utf-8")
    data = tmp_path / "data [v1]"  # no path is ever a pattern
    layout = DataLayout(str(data))
    publish_run(data, [pages], 1)
    history.write_journal(layout, _journal_row(2))  # died without a word
    history.write_journal(layout, _journal_row(3))  # the run holding the lock
    (data / ".journal" / "notes.txt").write_text("not a journal")

    assert [row.run_id for row in history.journal_rows(layout)] == [run_id(2), run_id(3)]
    assert history.published_run_ids(layout, [run_id(1), run_id(2)]) == {run_id(1)}
    assert [row.run_id for row in history.unpublished_rows(layout, current_run_id=run_id(3))] == [run_id(2)]

    columns, rows = history.run_history(layout, last=10, lock_held=True)
    assert columns[:2] == ["run_id", "status"]
    assert [(row[0], row[1]) for row in rows] == [
        (run_id(3), "running"),
        (run_id(2), "aborted"),
        (run_id(1), "completed"),
    ]
    _, rows = history.run_history(layout, last=2, lock_held=False)
    assert [(row[0], row[1]) for row in rows] == [(run_id(3), "aborted"), (run_id(2), "aborted")]

    history.forget(layout, [run_id(2), run_id(3), run_id(9)])
    assert history.journal_rows(layout) == []
    assert [row[0] for row in history.run_history(layout, last=10, lock_held=False)[1]] == [run_id(1)]


def test_an_unreadable_journal_is_skipped(tmp_path):
    layout = DataLayout(str(tmp_path / "data"))
    layout.ensure()
    history.write_journal(layout, _journal_row(1, status="failed"))
    with open(layout.journal_path(run_id(2)), "w") as fh:
        fh.write('{"run_id": ')  # cut off mid-write (write_journal itself replaces atomically)
    assert [(row.run_id, row.status) for row in history.journal_rows(layout)] == [(run_id(1), "failed")]
