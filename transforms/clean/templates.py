"""The publisher's template: lines shared by many of its documents in a batch.

``find_template_lines`` learns them from a batch; ``clean_text(template_lines=...)``
takes any set of ``template_key`` values (learned here, or kept across runs by the
caller) and removes the lines whose key is in it as "template_line".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from transforms.text_signals import normalise_line

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


def template_key(line: str) -> str:
    """The key of a (stripped) line in a template set: case-folded, whitespace collapsed."""
    return normalise_line(line)


def find_template_lines(texts: Iterable[str], *, min_docs: int = 3, min_share: float = 0.5) -> frozenset[str]:
    """Keys of the lines that occur in >= ``min_docs`` and >= ``min_share`` of the documents.

    Meant for the documents of one publisher in one batch: their shared lines are the site
    template (menus, footers, promos).  Returns an empty set when there are fewer than
    ``min_docs`` documents, so a lone article never loses its own text.
    """
    docs = list(texts)
    if len(docs) < max(min_docs, 2):
        return frozenset()
    df: Counter[str] = Counter()
    for doc in docs:
        df.update({template_key(line.strip()) for line in _LINE_SPLIT.split(doc) if line.strip()})
    need = max(min_docs, min_share * len(docs))
    return frozenset(k for k, c in df.items() if c >= need)
