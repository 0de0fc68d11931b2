"""Context rules: extend the line rules' hits to what sits between and around them.

The titles and credits inside a video playlist, the caption next to a credit, the blurb
inside a newsletter box, runs of menu items, lines repeated within the page.  Each
function marks ``records`` in place and leaves pinned lines (highlights, notes) alone.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from transforms.clean.line_rules import _DURATION
from transforms.clean.options import CleanOptions
from transforms.clean.records import LineRecord

#: the line rules whose hits the context rules extend
MEDIA_RULES = frozenset({"credit", "image_file"})
PROMO_RULES = frozenset({"newsletter_prompt", "call_to_action", "share_prompt", "cookie_prompt"})


def mark_playlists(records: list[LineRecord], marks: list[int], options: CleanOptions) -> None:
    """Video playlists: everything from the first to the last marker of a dense run of
    markers/durations, plus the video title after the last one.  ``marks``: the indices
    of the lines the line rules gave "video_playlist"."""
    # a lone player: its duration is followed by the video's title
    for i in marks:
        if i + 1 < len(records) and _DURATION.match(records[i].text):
            nxt = records[i + 1]
            if nxt.rule is None and not nxt.pinned and nxt.sig.n_words <= 20 and not nxt.sig.ends_sentence:
                nxt.rule = "video_playlist"
    if len(marks) < 2:
        return
    runs: list[list[int]] = [[marks[0]]]
    for i in marks[1:]:
        if i - runs[-1][-1] - 1 <= options.playlist_gap:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) < 2:
            continue
        lo, hi = run[0], run[-1]
        # the title (and maybe credit) of the last video follows its marker/duration
        for j in range(hi + 1, min(hi + 2, len(records))):
            r = records[j]
            if r.rule is None and r.sig.n_words <= 20 and not r.sig.ends_sentence:
                hi = j
        for j in range(lo, hi + 1):
            r = records[j]
            if r.rule is None and not r.pinned and r.sig.n_words <= 60:
                r.rule = "video_playlist"


def mark_captions(records: list[LineRecord], media: list[int]) -> None:
    """A line directly next to a credit or an image name (no blank line between) is
    its caption, unless it is long prose with a blank line on its other side.
    ``media``: the indices of the credit and image-name lines."""
    for i in media:
        r = records[i]
        for j in (i - 1, i + 1):
            if not 0 <= j < len(records):
                continue
            c = records[j]
            adjacent = (not r.blank_before) if j == i - 1 else (not r.blank_after)
            if not adjacent or c.rule is not None or c.pinned or c.sig.n_words > 60:
                continue
            c.rule = "caption_next_to_credit"


def mark_promo_boxes(records: list[LineRecord], promos: list[int]) -> None:
    """A line sandwiched between two prompt lines belongs to the same promotion box:
    "Sign up to X" / <blurb> / "Enter your email address".  ``promos``: the indices of
    the prompt lines (a line marked here cannot make another one a sandwich: the line
    after it is a prompt already)."""
    after = {i + 1 for i in promos}
    for i in sorted(after.intersection(i - 1 for i in promos)):
        r = records[i]
        if r.rule is None and not r.pinned:
            r.rule = "newsletter_prompt"


def mark_menus(records: list[LineRecord], options: CleanOptions) -> None:
    """Runs of >= ``menu_min_run`` adjacent very short non-sentence lines: navigation, tag lists."""
    max_words, min_run = options.menu_max_words, options.menu_min_run
    run = 0  # length of the run of short adjacent lines that ends just before i
    for i, r in enumerate(records):
        if r.rule is None and not r.pinned and r.sig.n_words <= max_words and not r.sig.ends_sentence:
            if run and r.blank_before:
                if run >= min_run:
                    for k in range(i - run, i):
                        records[k].rule = "menu"
                run = 0
            run += 1
        elif run:
            if run >= min_run:
                for k in range(i - run, i):
                    records[k].rule = "menu"
            run = 0
    if run >= min_run:
        for k in range(len(records) - run, len(records)):
            records[k].rule = "menu"


_KEY = attrgetter("key")


def mark_repeats(records: list[LineRecord]) -> None:
    """Lines that occur more than once: furniture (all copies) unless they read as prose,
    in which case the first copy stays (pull quotes repeat a paragraph)."""
    keys = list(map(_KEY, records))
    if len(set(keys)) == len(keys):  # the common case, cheaper to see than to count
        return
    counts = Counter(keys)
    seen: set[str] = set()
    for r, k in zip(records, keys):
        if counts[k] < 2 or r.pinned:
            continue
        prose = r.sig.ends_sentence and r.sig.n_words >= 3
        if prose and r.sig.n_words < 8:
            continue  # short repeated sentences ("No," he said.) are real text
        if prose and k not in seen:
            seen.add(k)
            continue
        if r.rule is None:
            r.rule = "repeated_line"
