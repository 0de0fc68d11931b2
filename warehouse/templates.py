"""Publisher templates learned across runs: what a run records, and what it hands the
cleaner of the next run.

Each shard counts, per template scope, its documents and the short lines they share
(``TemplateTally`` → rows of ``template_scopes`` and ``template_lines``).  The
``templates`` view (``sql/views.sql``) decides which lines are in force; before its
shards start, a run writes those of the published snapshot to ``known_templates.json``
in its staging directory, and each shard passes a scope's lines to the cleaner, which
removes them with the rule ``template``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from schemas.models import TemplateLineRow, TemplateScopeRow
from transforms.clean import template_key
from warehouse.layout import DataLayout, known_templates_in
from warehouse.query import parquet_connection
from warehouse.sql_files import named_queries

#: Lines longer than this are not recorded: furniture is short, and prose that long
#: repeated across pages is a story (updates, wire copy), not a template.
MAX_TEMPLATE_LINE_CHARS = 300
TEMPLATE_SQL = named_queries("templates.sql")


def line_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class TemplateTally:
    """Per scope: documents seen, and in how many of them each short line occurs."""

    def __init__(self) -> None:
        self.documents: Counter[str] = Counter()
        self.lines: dict[str, Counter[str]] = {}
        self.texts: dict[str, str] = {}

    def add(self, scope: str | None, lines: list[str]) -> None:
        if not scope:
            return
        self.documents[scope] += 1
        keys: dict[str, str] = {}
        for line in lines:
            if len(line) <= MAX_TEMPLATE_LINE_CHARS:
                keys.setdefault(template_key(line), line)
        counter = self.lines.setdefault(scope, Counter())
        counter.update(keys.keys())
        for key, line in keys.items():
            self.texts.setdefault(key, line)

    def rows(self, keys: dict, shard: str) -> tuple[list[TemplateScopeRow], list[TemplateLineRow]]:
        """``template_scopes`` rows, and ``template_lines`` rows of the lines two or more
        documents shared (a line seen once is no evidence of a template)."""
        scopes = [TemplateScopeRow(**keys, shard=shard, scope=s, n_docs=n) for s, n in self.documents.items()]
        lines = [
            TemplateLineRow(**keys, shard=shard, scope=scope, line_hash=line_hash(key), text=self.texts[key], n_docs=n)
            for scope, counter in self.lines.items()
            for key, n in counter.items()
            if n >= 2
        ]
        return scopes, lines


def write_known_templates(layout: DataLayout, run_id: str) -> int:
    """Write the published snapshot's templates in force for this run's shards; returns how many lines."""
    known: dict[str, list[str]] = {}
    if layout.current_snapshot():
        con = parquet_connection(layout)
        try:
            for scope, text in con.execute(TEMPLATE_SQL["templates_in_force"]).fetchall():
                known.setdefault(scope, []).append(template_key(text))
        finally:
            con.close()
    with open(layout.known_templates_path(run_id), "w", encoding="utf-8") as handle:
        json.dump(known, handle)
    return sum(map(len, known.values()))


def read_known_templates(staging_dir: str) -> dict[str, frozenset[str]]:
    """Scope -> template keys in force (empty before the first run, or for a run without the file)."""
    try:
        with open(known_templates_in(staging_dir), encoding="utf-8") as handle:
            return {scope: frozenset(keys) for scope, keys in json.load(handle).items()}
    except FileNotFoundError:
        return {}
