"""Every rule name a removed line can carry, with what it means (for docs, audits and
the per-rule ablation of ``bench/bench_quality.py``)."""

from __future__ import annotations

RULES: dict[str, str] = {
    "video_playlist": "video player / playlist furniture: markers, durations, video titles and credits between them",
    "image_file": "an image file name shown as text",
    "credit": "a photo / media credit line",
    "caption": "a photo caption: a 'Caption:' label, or a credit at its end",
    "caption_next_to_credit": "a line directly next to a credit or an image name (no blank line between)",
    "related_link": "'Also read:', 'Recommended:', 'Read more' and similar link lines",
    "share_prompt": "share / follow / comment buttons and prompts",
    "newsletter_prompt": "newsletter or subscription prompt",
    "cookie_prompt": "cookie or privacy consent text",
    "footer": "copyright, terms, privacy and other site-footer lines",
    "advertisement": "advertisement labels and 'story continues below' markers",
    "byline": "author / agency byline",
    "timestamp": "publication or update date/time line",
    "dateline": "a dateline alone on its line, e.g. '(CNN) —'",
    "highlights_header": "the header of a highlights box ('Story highlights')",
    "menu": "a run of short navigation items, or short link texts joined by '|'",
    "repeated_line": "a line repeated within the page",
    "template_line": "a line of the publisher's template (repeats across its documents)",
    "template": "a line of the publisher's template learned in earlier runs (the warehouse's templates)",
    "title": "the article's headline (returned as CleanedText.title)",
    "contributor_line": "'X contributed to this report', 'With reporting by X', 'First published in X'",
    "affiliate_disclaimer": "'we may earn a commission' shopping disclaimer",
    "embedded_post": "an embedded social-media post (attribution line or post link)",
    "caps_teaser": "an all-capitals line: a teaser link to another story",
    "comment": "a reader comment (its author line, or anything in the comments section after the article)",
    "call_to_action": "a prompt addressing the reader: click, subscribe, sign in, download, donate",
    "author_bio": "the author's bio among the last paragraphs ('Jane Doe is a reporter for X.')",
    "closing_label": "the article's last line when it is a short label ending with a colon and all it announces was"
    " removed (a link box's or a form's label)",
    "outside_article_block": "outside the main article block",
    "no_words": "HTML path: an extractor's line without a letter or digit (a separator: ___, |---|)",
    "after_article_end": (
        "HTML path: a short non-sentence line after the article's last sentence (a link box's label, contacts)"
    ),
    "short_fragment": "a short non-prose line inside the article block (label, widget leftover)",
    "no_article_text": "the page has no prose at all",
}

#: Rules that keep lines the block selection would remove (switched off by name in
#: ``CleanOptions.disabled_rules`` like the others; they never appear on a removed line).
KEEP_RULES: dict[str, str] = {
    "announced_list": "the items of a list an article line ending with a colon announces, between it and the next article"
    " line or closing the article (up to the page furniture), as list_item",
    "continued_table": "a table (rows of tab-ended cells) right after an article line, with the lines among its rows,"
    " as table_row",
}
