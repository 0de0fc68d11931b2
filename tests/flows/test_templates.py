"""Publisher templates learned across runs, end to end: a first run over many pages of a
generated publisher, then five new pages whose prose-shaped furniture only that history
reveals; and a publisher that changes its furniture sees the old lines age out."""

from __future__ import annotations

import json
import random

from tests.conftest import query

PUBLISHER = "Harbour Gazette"
SUBJECTS = [
    "council",
    "ferry operator",
    "port authority",
    "school board",
    "fishing cooperative",
    "museum",
    "hospital trust",
    "water company",
]
ACTIONS = ["approved", "delayed", "questioned", "announced", "rejected", "welcomed", "reviewed", "funded"]
OBJECTS = [
    "the new budget",
    "a dredging contract",
    "the summer timetable",
    "plans for a sea wall",
    "a pay offer",
    "the library merger",
    "a rescue boat",
    "the bridge repairs",
]

# Furniture shaped like prose and headlines: no menu word, no "subscribe", no link
# marker.  A page shows one appeal and two "most read" headlines, in rotation, so five
# pages show each at most twice: too few for the in-batch template rule (3 documents).
APPEALS_OLD = [
    "Our reporters spend weeks on stories like this one, and readers like you make that work possible every day.",
    "Local journalism costs more than it ever has, and your support keeps our newsroom on the waterfront open.",
    "Every week our small team covers the meetings, courts and harbour news that nobody else in the region reports.",
    "We answer to readers rather than owners, which is why the help of people like you matters so much to us.",
]
HEADLINES_OLD = [
    "Lighthouse keeper's cottage goes on sale for the first time in ninety years",
    "Storm damage closes the coastal path between the two northern coves",
    "Record crowds turn out for the annual regatta despite the heavy rain",
    "Former mayor remembered as a tireless champion of the old fish market",
]
APPEALS_NEW = [
    "Independent reporting on the coast depends on readers, and a small gift each month keeps it going strong.",
    "Nobody else sends a reporter to every harbour board meeting, and we can only keep doing it with your help.",
    "The stories that matter here take time to report properly, and readers who chip in give us that time.",
    "We have covered this coast for a hundred years and would like to cover it for a hundred more with you.",
]
HEADLINES_NEW = [
    "Seal pup rescued from the marina is returned to the open sea by volunteers",
    "New ferry timetable brings an earlier crossing for island commuters",
    "Harbour cafe named the best small business in the county this spring",
    "Volunteers clear two tonnes of plastic from the beaches below the cliffs",
]


def _story(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        subject, action, obj = rng.choice(SUBJECTS), rng.choice(ACTIONS), rng.choice(OBJECTS)
        out.append(
            f"The {subject} {action} {obj} on {rng.choice(['Monday', 'Tuesday', 'Friday'])} after a meeting that "
            f"ran for {rng.randint(2, 9)} hours, and members said they expected a further vote within "
            f"{rng.randint(2, 12)} weeks as residents pressed for more detail on the costs."
        )
    return out


def _page(i: int, appeals: list[str], headlines: list[str], *, html: bool = False) -> dict:
    rng = random.Random(i)
    title = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(ACTIONS)} {rng.choice(OBJECTS)} ({i})"
    body = _story(rng, 3)
    furniture = [
        appeals[i % len(appeals)],
        "Most read",
        headlines[i % len(headlines)],
        headlines[(i + 1) % len(headlines)],
    ]
    lines = [title, *body[:2], furniture[0], body[2], *furniture[1:]]
    record = {"id": f"hg-{i}", "publisher": PUBLISHER, "url": f"https://harbour-gazette.example/news/{i}"}
    if html:
        record["html"] = (
            "<html><head><title>"
            + title
            + "</title></head><body><article><h1>"
            + title
            + "</h1>"
            + "".join(f"<p>{line}</p>" for line in lines[1:])
            + "</article></body></html>"
        )
    else:
        record["text"] = "\n\n".join(lines)
    return record


def _write(path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def _furniture_fate(data_dir, ids: list[str], furniture: list[str]) -> dict[str, str]:
    """For each furniture line on the pages ``ids``: 'kept' or the rule that removed it."""
    marks = ",".join("?" * len(ids))
    kept = query(
        data_dir, f"SELECT p.text FROM paragraphs p JOIN documents d USING (doc_id) WHERE d.source_id IN ({marks})", ids
    )
    removed = query(
        data_dir,
        f"SELECT r.text, r.rule FROM removed_lines r JOIN documents d USING (doc_id) WHERE d.source_id IN ({marks})",
        ids,
    )
    fate = {}
    for line in furniture:
        rules = {rule for text, rule in removed if text.strip() == line}
        if any(line in text for (text,) in kept):
            fate[line] = "kept"
        elif rules:
            fate[line] = "/".join(sorted(rules))
    return fate


def test_templates_learned_in_one_run_clean_the_next(run_flow, tmp_path):
    history = [_page(i, APPEALS_OLD, HEADLINES_OLD) for i in range(48)]
    # five new pages, two of them raw HTML: the template applies on both paths
    new = [_page(1000 + i, APPEALS_OLD, HEADLINES_OLD, html=i >= 3) for i in range(5)]
    new_ids = [r["id"] for r in new]
    furniture = APPEALS_OLD + HEADLINES_OLD
    _write(tmp_path / "run1" / "history.jsonl", history)
    _write(tmp_path / "run2" / "new.jsonl", new)

    # before: the five pages alone, in a warehouse without history
    alone = tmp_path / "alone"
    run_flow([tmp_path / "run2"], alone)
    before = _furniture_fate(alone, new_ids, furniture)
    kept_before = {line for line, fate in before.items() if fate == "kept"}
    assert kept_before >= set(APPEALS_OLD), before  # the prose-shaped appeals pass every other rule

    warehouse = tmp_path / "warehouse"
    run_flow([tmp_path / "run1"], warehouse)
    learned = query(warehouse, "SELECT text FROM templates WHERE publisher = ? AND in_force", [PUBLISHER])
    assert {line for (line,) in learned} >= set(furniture)
    run_flow([tmp_path / "run2"], warehouse)
    after = _furniture_fate(warehouse, new_ids, furniture)
    assert {line: after[line] for line in kept_before} == dict.fromkeys(kept_before, "template"), after
    # the stories themselves are untouched: every other kept line is kept alike
    kept = f"SELECT d.source_id, p.text FROM paragraphs p JOIN documents d USING (doc_id) WHERE d.source_id IN ({','.join('?' * 5)})"
    assert set(query(warehouse, kept, new_ids)) == {
        (i, t) for i, t in query(alone, kept, new_ids) if t not in kept_before
    }

    # the publisher changes its furniture: after two runs without them the old lines are out
    for run in (3, 4):
        pages = [_page(run * 10_000 + i, APPEALS_NEW, HEADLINES_NEW) for i in range(48)]
        _write(tmp_path / f"run{run}" / "pages.jsonl", pages)
        run_flow([tmp_path / f"run{run}"], warehouse)
    in_force = {
        line for (line,) in query(warehouse, "SELECT text FROM templates WHERE publisher = ? AND in_force", [PUBLISHER])
    }
    assert in_force >= set(APPEALS_NEW + HEADLINES_NEW)
    assert not in_force & set(furniture)
