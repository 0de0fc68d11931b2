"""The Streamlit app: ``newsetl dashboard`` runs ``streamlit run dashboard/app.py -- DIR``.

Five pages over the published Parquet snapshot (``dashboard.data``): Overview,
Quotes, Boilerplate, Runs, Quarantine.  Every number shown is a query of
``warehouse/sql/dashboard.sql`` or a view of ``views.sql``, so it is what
``newsetl sql --parquet`` answers.
"""

from __future__ import annotations

import argparse
import html
import sys

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import SnapshotReader, current_snapshot

SEARCH_LIMIT = 50
TOP_SPEAKERS = 25
SPEAKER_TYPES = ("person", "organisation", "document", "unknown")


def _data_dir() -> str:
    parser = argparse.ArgumentParser(prog="newsetl dashboard")
    parser.add_argument("data_dir")
    return parser.parse_args(sys.argv[1:]).data_dir


@st.cache_resource(max_entries=2)
def _reader(data_dir: str, snapshot_id: str) -> SnapshotReader:
    """One reader per published snapshot (the id is part of the cache key)."""
    return SnapshotReader(data_dir)


@st.cache_data(max_entries=512, show_spinner=False)
def _query(data_dir: str, snapshot_id: str, name: str, params: tuple = ()) -> pd.DataFrame:
    return _reader(data_dir, snapshot_id).query(name, **dict(params))


@st.cache_data(max_entries=64, show_spinner=False)
def _view(data_dir: str, snapshot_id: str, name: str) -> pd.DataFrame:
    return _reader(data_dir, snapshot_id).view(name)


class Page:
    """What a page function needs: the queries of the current snapshot."""

    def __init__(self, data_dir: str, snapshot_id: str):
        self.data_dir, self.snapshot_id = data_dir, snapshot_id

    def query(self, name: str, **params) -> pd.DataFrame:
        return _query(self.data_dir, self.snapshot_id, name, tuple(sorted(params.items())))

    def view(self, name: str) -> pd.DataFrame:
        return _view(self.data_dir, self.snapshot_id, name)

    def columns(self, relation: str) -> set[str]:
        return _reader(self.data_dir, self.snapshot_id).columns(relation)


def _metrics(values: dict[str, int | float | str]) -> None:
    for column, (label, value) in zip(st.columns(len(values)), values.items()):
        column.metric(label, f"{value:,}" if isinstance(value, int) else str(value))


def _ints(row: pd.Series) -> dict[str, int]:
    return {name: int(value) for name, value in row.items()}


def _bars(frame: pd.DataFrame, category: str, value: str, title: str, top: int = 20) -> None:
    if frame.empty:
        st.caption(f"{title}: none")
        return
    data = frame.nlargest(top, value).fillna({category: "(none)"})
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            tooltip=[category, value],
        )
    )
    st.altair_chart(chart)


def _over_time(frame: pd.DataFrame, value: str, title: str, color: str | None = None, bars: bool = False) -> None:
    if frame.empty:
        st.caption(f"{title}: none")
        return
    encoding = {
        "x": alt.X("day:T", title="day"),
        "y": alt.Y(f"{value}:Q", title=value),
        "tooltip": ["day:T", value] + ([color] if color else []),
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N")
    chart = alt.Chart(frame, title=title)
    chart = (chart.mark_bar() if bars else chart.mark_line(point=True)).encode(**encoding)
    st.altair_chart(chart)


def _md(text: object) -> str:
    """Text shown as Markdown, with Markdown's special characters escaped."""
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$" else c for c in value)


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


def overview(page: Page) -> None:
    st.header("Overview")
    counts = _ints(page.query("overview_counts").iloc[0])
    _metrics(
        {
            "Documents": counts["documents"],
            "Paragraphs": counts["paragraphs"],
            "Quotes": counts["quotes"],
            "Removed lines": counts["removed_lines"],
            "Quarantined inputs": counts["quarantined"],
        }
    )
    _over_time(page.view("documents_per_day"), "documents", "Documents per day (published, else ingested)", bars=True)
    left, right = st.columns(2)
    with left:
        _bars(page.view("documents_per_publisher"), "publisher", "documents", "Documents per publisher")
    with right:
        _bars(page.view("documents_per_language"), "language", "documents", "Languages")
    st.subheader("Publishers")
    st.dataframe(page.view("documents_per_publisher"), hide_index=True)


def quotes(page: Page) -> None:
    st.header("Quotes")
    counts = _ints(page.query("quote_counts").iloc[0])
    _metrics({"Quotes": counts["quotes"], "Direct and partial": counts["speech"], "Speakers": counts["speakers"]})

    if "speaker_type" in page.columns("quotes_with_speakers"):
        speaker_type = st.radio("Speakers", SPEAKER_TYPES, horizontal=True, key="speaker_type")
        top = page.query("top_speakers_of_type", speaker_type=speaker_type, limit=TOP_SPEAKERS)
    else:
        top = page.query("top_speakers", limit=TOP_SPEAKERS)
    left, right = st.columns(2)
    with left:
        _bars(top, "speaker", "quotes", "Top speakers", top=TOP_SPEAKERS)
    with right:
        st.dataframe(top, hide_index=True)

    st.subheader("Search")
    term = st.text_input("Speaker or words of a quote", key="quote_search", placeholder="e.g. a name")
    if term.strip():
        found = int(page.query("quote_search_count", term=term.strip()).iloc[0, 0])
        st.markdown(f"**{found:,}** quotes match" + (f" (first {SEARCH_LIMIT} shown)" if found > SEARCH_LIMIT else ""))
        for row in page.query("quote_search", term=term.strip(), limit=SEARCH_LIMIT).itertuples():
            with st.container(border=True):
                cue = f" ({_md(row.cue)})" if isinstance(row.cue, str) else ""
                st.markdown(f"**{_md(row.speaker) or '(no speaker)'}**{cue} · {_md(row.kind)}: “{_md(row.text)}”")
                st.caption(
                    f"{row.title or '(untitled)'} · {row.publisher or '(no publisher)'} · {row.day} · {row.source_id}"
                )
                st.markdown("> " + _md(row.paragraph))

    left, right = st.columns(2)
    with left:
        _bars(page.view("quotes_per_publisher"), "publisher", "quotes", "Quotes per publisher")
    with right:
        _over_time(page.view("quotes_per_day"), "quotes", "Quotes per day", bars=True)


def boilerplate(page: Page) -> None:
    st.header("Boilerplate")
    counts = _ints(page.query("removal_counts").iloc[0])
    _metrics({"Removed lines": counts["lines"], "Rules that fired": counts["rules"], "Documents": counts["documents"]})
    rules = page.view("removal_rules")
    left, right = st.columns(2)
    with left:
        _bars(rules, "rule", "lines", "Removed lines by rule")
    with right:
        st.dataframe(rules, hide_index=True)
    per_day = page.view("removals_per_day")
    by_rule = per_day.groupby(["day", "rule"], as_index=False)["lines"].sum()
    _over_time(by_rule, "lines", "Removed lines per ingest day and rule", color="rule")
    st.subheader("By publisher and rule")
    per_publisher = page.query("removals_per_publisher")
    if not per_publisher.empty:
        st.dataframe(
            per_publisher.fillna({"publisher": "(none)"}).pivot_table(
                index="publisher", columns="rule", values="lines", aggfunc="sum", fill_value=0
            )
        )

    st.subheader("A document, line by line")
    term = st.text_input("Source id or title contains", key="document_search")
    if not term.strip():
        st.caption("Type part of a source id or title; the documents with most removed lines come first.")
        return
    documents = page.query("document_search", term=term.strip(), limit=SEARCH_LIMIT)
    if documents.empty:
        st.info(f"No document's source id or title contains {term.strip()!r}.")
        return
    labels = {
        row.doc_id: f"{row.source_id} — {row.title or '(untitled)'} ({row.n_removed_lines} removed)"
        for row in documents.itertuples()
    }
    doc_id = st.selectbox("Document", list(labels), format_func=labels.get, key="document")
    _document_lines(page.query("document_lines", doc_id=doc_id))


def _document_lines(lines: pd.DataFrame) -> None:
    """The lines as ``newsetl explain`` prints them: + kept (kind), - removed (rule)."""
    kept = int((lines["action"] == "keep").sum())
    st.markdown(f"{kept} kept, {len(lines) - kept} removed")
    rows = []
    for row in lines.itertuples():
        removed = row.action == "drop"
        line_no = "?" if pd.isna(row.line_no) else int(row.line_no)
        rows.append(
            f'<tr class="{"removed" if removed else "kept"}">'
            f"<td>{'−' if removed else '+'}</td><td>{line_no}</td>"
            f"<td><code>{html.escape(str(row.why))}</code></td><td>{html.escape(str(row.text))}</td></tr>"
        )
    st.html(
        "<style>.lines td{padding:2px 6px;vertical-align:top}.lines tr.removed{color:#a33;background:#fbeaea}"
        ".lines tr.removed td:last-child{text-decoration:line-through}</style>"
        '<table class="lines" data-testid="document-lines"><tr><th></th><th>line</th><th>kind / rule</th>'
        "<th>text</th></tr>" + "".join(rows) + "</table>"
    )


def runs(page: Page) -> None:
    st.header("Runs")
    history = page.query("runs")
    if history.empty:
        st.info("No completed run yet.")
        return
    last = history.iloc[0]
    _metrics(
        {
            "Runs": len(history),
            "Last run": str(last["status"]),
            "Last run seconds": f"{last['seconds']:.1f}",
            "Last run seen": int(last["n_seen"]),
        }
    )
    chart = history.rename(columns={"started_at": "day"})
    _over_time(chart, "seconds", "Duration of each run (s)")
    shown = [
        "run_id",
        "status",
        "started_at",
        "seconds",
        "n_seen",
        "n_processed",
        "n_skipped",
        "n_quarantined",
        "n_paragraphs",
        "n_quotes",
        "n_removed_lines",
    ]
    shown += [c for c in ("error", "errors") if c in history.columns]
    st.dataframe(history[shown + [c for c in history.columns if c not in shown and c != "inputs"]], hide_index=True)


def quarantine(page: Page) -> None:
    st.header("Quarantine")
    counts = _ints(page.query("quarantine_counts").iloc[0])
    _metrics({"Quarantined inputs": counts["inputs"], "Stages": counts["stages"], "Reasons": counts["reasons"]})
    if not counts["inputs"]:
        st.success("Nothing quarantined.")
        return
    left, right = st.columns(2)
    with left:
        _bars(page.query("quarantine_stages"), "stage", "inputs", "Inputs by stage")
    with right:
        st.dataframe(page.view("quarantine_reasons"), hide_index=True)
    inputs = page.query("quarantined_inputs")
    st.dataframe(inputs, hide_index=True)
    source = st.selectbox("Input", inputs["source"].tolist(), key="quarantined_input")
    chosen = inputs[inputs["source"] == source].iloc[0]
    st.markdown(f"**{_md(source)}** · {_md(chosen['stage'])}: {_md(chosen['reason'])}")
    if isinstance(chosen["error"], str):
        st.code(chosen["error"], language=None)
    payload = page.query("quarantine_payload", source=source).iloc[0, 0]
    if payload is None:
        st.caption("no payload kept")
    else:
        name = source.replace("/", "_").replace(":", "_") + ".bin"
        st.download_button(
            f"Download payload ({len(payload):,} bytes)",
            data=bytes(payload),
            file_name=name,
            mime="application/octet-stream",
            key="payload",
        )


PAGES = {
    "overview": ("Overview", overview),
    "quotes": ("Quotes", quotes),
    "boilerplate": ("Boilerplate", boilerplate),
    "runs": ("Runs", runs),
    "quarantine": ("Quarantine", quarantine),
}


def main() -> None:
    st.set_page_config(page_title="newsetl", layout="wide")
    data_dir = _data_dir()
    snapshot_id = current_snapshot(data_dir)
    st.sidebar.caption(f"Data: `{data_dir}`")
    if snapshot_id is None:
        st.sidebar.caption("No snapshot published yet")
        st.info(f"Nothing published in {data_dir} yet: run `newsetl run --data-dir {data_dir}`, then reload.")
        return
    st.sidebar.caption(f"Snapshot `{snapshot_id}` (a newly published one is picked up on the next click or reload)")
    page = Page(data_dir, snapshot_id)

    def show(render):
        return lambda: render(page)

    navigation = st.navigation(
        [
            st.Page(show(render), title=title, url_path=path, default=path == "overview")
            for path, (title, render) in PAGES.items()
        ]
    )
    navigation.run()


main()
