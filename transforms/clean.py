"""Boilerplate cleaner for scraped article text: lines in, paragraphs and removals out.

``clean_text`` is the one entry point.  It works on lines (a visible-text dump has one
block per line and article paragraphs set off by blank lines), in three passes:

1. *Line rules* recognise furniture by its own shape: video-playlist markers and
   durations, image file names, photo credits and captions, "Also read:"-style links,
   share / newsletter / cookie prompts, footers, bylines and timestamps, and lines of
   the publisher's template (``find_template_lines``).
2. *Context rules* extend those hits to what sits between them: the titles and credits
   inside a video playlist, the caption next to a credit, the blurb inside a newsletter
   box, runs of menu items, lines repeated within the page; and mark editor's notes,
   highlights boxes and datelines.
3. ``transforms.segment.segment_paragraphs`` picks the article block by prose shape
   and assigns paragraph kinds; everything outside it is removed as
   ``outside_article_block``.

Every removed line is reported with its rule (see ``RULES``); kept paragraph text is the
input line, stripped (a leading dateline such as "WASHINGTON (AP) —" is the only thing
cut off).  Cleaning is idempotent: ``_settle`` re-runs the decisions on the kept lines
alone until nothing changes, as ``clean_text`` on its own output would.

Pure: no I/O, no configuration reads.  Per-line facts are memoised (``_line_facts``),
which only saves time: pages of one publisher repeat their menus and footers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from schemas.models import Paragraph, RemovedLine
from transforms.segment import LIST_MARKERS, LineRecord, segment_paragraphs
from transforms.text_signals import STOPWORDS, LineSignals, line_signals, normalise_line, sentence_score, untracked

__all__ = ["CleanedText", "clean_text", "find_template_lines", "RULES"]


class CleanedText(BaseModel):
    """The cleaned article: paragraphs (offsets index their "\\n\\n" join) and removals."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paragraphs: list[Paragraph]
    removed: list[RemovedLine]
    title: str | None


#: Rule names a RemovedLine can carry, with what they mean (for docs and audits).
RULES: dict[str, str] = {
    "video_playlist": "video player / playlist furniture: markers, durations, video titles and credits between them",
    "image_file": "an image file name shown as text",
    "credit": "a photo / media credit line",
    "caption": "a photo caption (ends with a credit, or sits next to a credit or image name)",
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
    "menu": "a run of short navigation items",
    "repeated_line": "a line repeated within the page",
    "template_line": "a line of the publisher's template (repeats across its documents)",
    "title": "the article's headline (returned as CleanedText.title)",
    "contributor_line": "'X contributed to this report', 'With reporting by X', 'First published in X'",
    "affiliate_disclaimer": "'we may earn a commission' shopping disclaimer",
    "embedded_post": "an embedded social-media post (attribution line or post link)",
    "caps_teaser": "an all-capitals line: a teaser link to another story",
    "comment": "a reader comment (its author line, or anything in the comments section after the article)",
    "call_to_action": "a prompt addressing the reader: click, subscribe, sign in, download, donate",
    "author_bio": "the author's bio among the last paragraphs ('Jane Doe is a reporter for X.')",
    "outside_article_block": "outside the main article block",
    "short_fragment": "a short non-prose line inside the article block (label, widget leftover)",
    "no_article_text": "the page has no prose at all",
}

# --------------------------------------------------------------------------
# Line rules (context-free)
# --------------------------------------------------------------------------

_I = re.IGNORECASE
_DURATION = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}$")
_PLAYLIST_MARKER = re.compile(
    r"^(?:now playing|playing now|just watched|must watch|replay|up next|next up|more videos?(?:\s*\.\.\.)?"
    r"|watch(?: now| again| video)?|video|videos|play(?: video| all)?|pause|mute|unmute|autoplay|"
    r"video (?:ad feedback|duration)|duration|live|watch live|related videos?|top videos?|latest videos?|back to video|next video)"
    r"\s*[:.…]*$",
    _I,
)
#: a video title led by its duration: "2:05 Russia launches largest attack"
_DURATION_TITLE = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}\s+\S")
#: video-player chrome: error and navigation messages of an embedded player
_PLAYER_UI = re.compile(
    r"\b(?:failed to load|(?:is|are) (?:not |un)available|cannot be played|can't be played|try refreshing"
    r"|refresh(?:ing)? (?:the|your) (?:page|browser)|does not support|back to video|other videos|more videos"
    r"|autoplay|next video|up next|skip ad)\b"
)
_IMAGE_EXT_HINT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)")
_IMAGE_FILE = re.compile(r"\S\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)\b", _I)
_AGENCY = (
    r"(?:getty(?: images)?|ap(?: photo)?|associated press|reuters|afp|epa(?:-efe)?|efe|ansa|dpa|pa(?: wire| media)?"
    r"|shutterstock|alamy|bloomberg|xinhua|anadolu|sipa|rex|zuma(?: press)?|nurphoto|istock(?:photo)?"
    r"|imago|abaca|bbc|cnn|nasa|handout|supplied|file|pool|wire ?image|aap(?: image)?|tass|ria novosti|sputnik)"
)
#: a credit line ends with an agency / picture-desk name: "Paul Morigi/Getty Images",
#: "Patrick Semansky, ASSOCIATED PRESS", "EPA", "AFP via Getty Images"
_CREDIT_END = re.compile(rf"(?:^|[\s/,|(;:-]){_AGENCY}\)?$", _I)
_CREDIT_PREFIX = re.compile(
    r"^(?:(?:photo(?:graph)?|picture|image|pic|credit|photo credit|image credit|source|illustration|video)s?\s*[:|]\s*\S"
    r"|(?:image|photo) (?:copyright|source|credit)\b|\([A-Z][\w.'’ -]{2,40}\)$)",
    _I,
)
_CAPTION_TAIL = re.compile(
    r"(?:[.!?][\"”’]?\s+\([A-Z][\w .,'’&/-]{2,50}\)"
    r"|\b" + _AGENCY + r"\s*(?:photo|image|picture)s?\s*/\s*[A-Z][\w.'’ -]{2,40}"
    r"|\((?:[A-Z]{2,6} )?(?:photo|picture|image|file photo|pictured)\b[^()]*\)"
    r"|\b(?:photo|picture|image|credit|photograph|illustration)s?\s*(?:by|:|\|)\s*[^.!?]{2,80}"
    r"|\|\s*[^|.!?]{2,60}"
    r"|/\s*" + _AGENCY + r")\s*$",
    _I,
)
_CAPTION_PREFIX = re.compile(r"^(?:image|photo|video)\s+caption\b|^(?:caption|pictured)\s*[:,]", _I)

_RELATED_LABELS = (
    r"view all|see all|view gallery|see more|show more|load more|more videos|view more|also read|read also|read more|more to read|read next|read|recommended(?: for you| reading)?|related"
    r"(?: articles?| stories| content| coverage| news| reading| topics)?|see also|more on this(?: story)?"
    r"|more from [\w .'’&-]{1,30}|more stories|you (?:may|might) (?:also )?like|trending(?: now)?|popular"
    r"|most (?:read|popular|viewed|shared)(?: in [\w .'’&-]{1,30})?|recommended videos|recommended stories|top stories|latest(?: news| stories)?|editor'?s picks?|further reading"
    r"|don['’]t miss|also on [\w .'’&-]{1,30}|watch|listen|explore more|in other news|what to read next"
)
#: the label followed by a separator and a link text, or the label alone
_RELATED = re.compile(rf"^(?:{_RELATED_LABELS})(?:\s*(?::|\||»|›|>|–|—|-\s)|\s*(?:\(\d+\)|\d+)?\s*[.…:]*$)", _I)

_SHARE = re.compile(
    r"^(?:share(?: this| on| via| article| story| the article| this article| this story| page)?|tweet|pin(?: it)?|email|e-mail|print"
    r"|copy(?: the)? link|link copied|copied|whatsapp|facebook|twitter|x|linkedin|reddit|telegram|flipboard|messenger"
    r"|comments?|\d+ comments?|view comments|leave a comment|add a comment|join the conversation|show comments|save(?: article| story)?"
    r"|bookmark|gift (?:this )?article|listen(?: to (?:this )?article)?|follow(?: us)?|like us on facebook|click to share.*"
    r"|share (?:on|via|to) [\w ]{2,20}|share this (?:article|story|post|page)\b.{0,60}|opens? in (?:a )?new (?:window|tab)|(?:(?:increase|decrease|change) (?:the )?(?:article )?)?(?:font|text) size|a a a|reprints?(?: & permissions)?)"
    r"\s*[:.…!]*$",
    _I,
)
_FOLLOW_PROMPT = re.compile(r"^(?:follow|like|join) (?:us|[\w ]{1,40}) on (?:facebook|twitter|x|instagram|tiktok|youtube|linkedin|threads|bluesky|whatsapp|telegram)\b", _I)
_NEWSLETTER = re.compile(
    r"\b(?:newsletters?|sign(?:ing)? up|subscrib\w*|subscription|inbox|unsubscribe)\b", _I
)
_PROMPT_START = re.compile(
    r"^(?:sign up|subscribe|get |join |enter |receive |don['’]t miss|stay |want |thank you|thanks for|by (?:signing|clicking|subscribing|submitting|registering)"
    r"|already (?:a|have)|sign in|log in|register|create (?:an|a free) account|you['’]ve been|success|please|your email|email address"
    r"|this site is protected|invalid email|we['’]ll |we will |start your|try |unlock|become a|support )",
    _I,
)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:consent|accept|preferences|settings|privacy|we use|our use|partners|personali[sz]ed?|opt[ -]out|website"
    r"|browser|analytics|session|visitors?|tracking|this cookie|cookies? (?:is|are) (?:used|set|installed))\b",
    _I,
)
_FOOTER = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|^(?:terms (?:of (?:use|service)|and conditions|& conditions)|privacy(?: policy| notice| settings| center| centre)?"
    r"|cookie(?:s| policy| settings| preferences)|contact us|about us|accessibility(?: help| statement)?|sitemap|site map|careers|advertise(?: with us)?"
    r"|help(?: centre| center)?|faqs?|rss(?: feeds?)?|back to top|skip to (?:main )?content|skip to navigation|skip navigation|your privacy choices"
    r"|do not sell(?: or share)? my (?:personal )?info(?:rmation)?|manage (?:cookies|preferences)|corrections|ethics policy|editorial standards)\s*[.…]*$",
    _I,
)
_AD = re.compile(
    r"^(?:advertisement|advertising|advert|ad|ads|sponsored(?: content| links?)?|paid (?:content|post)|promoted(?: content)?|partner content"
    r"|story continues (?:below|after)(?: this)?(?: advertisement| ad)?|article continues (?:below|after)(?: this)?(?: advertisement| ad)?"
    r"|continue reading(?: below)?|skip ad|scroll to continue(?: with content)?|content continues below|close ad|report (?:this )?ad"
    r"|this advertisement has not loaded yet.*)\s*[.…:]*\s*\d{0,2}$",
    _I,
)
_BYLINE = re.compile(
    r"^(?i:by|words by|written by|reporting by|story by|author:?)\s+[A-Z\u00C0-\u024F][\w.'’-]*(?:\s+[A-Z\u00C0-\u024F][\w.'’-]*)+[^.!?]{0,80}$"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIMESTAMP = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published|modified|created|date)\s*:?\s*(?:on\s*)?)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s*)?"
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s*(?:\d{4})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*(?:at|,|-|–|—|·|\|)?\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?)?\s*$"
    r"|^(?:published|updated|posted)\s*:?\s*.{0,40}$"
    r"|^\d+\s*(?:sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|week|weeks|month|months)\s+ago$"
    r"|^\d+\s*(?:min|minute)s?\s+read$",
    _I,
)


def _on_lower(pat: re.Pattern[str]) -> re.Pattern[str]:
    """The same case-insensitive rule for lower-cased text, compiled case-sensitive.

    sre matches IGNORECASE patterns ~3x slower (every literal is case-folded); the cleaner
    lower-cases each line once and runs the rules on that.  ``[A-Z]`` becomes ``[a-z]``;
    no other upper-case letter may occur outside an escape.
    """
    src = pat.pattern.replace("A-Z", "a-z")
    if re.search(r"(?<!\\)[A-Z]", src):
        raise ValueError(f"pattern has upper-case letters, cannot run on lower-cased text: {src[:60]}")
    return re.compile(src, pat.flags & ~re.IGNORECASE)


def _union(named: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    """One alternation of the short-line rules (on lower-cased text): one C-level match
    per line instead of one Python call per rule."""
    return re.compile("|".join(f"(?P<{name}>{_on_lower(pat).pattern})" for name, pat in named))


#: the short-line rules that are case-insensitive throughout, in priority order; the
#: byline (case-sensitive: it needs capitalised names) is tried after them (no related-link
#: label opens like a byline, so their order does not matter)
_SHORT_LINE_RULES = _union(
    [
        ("video_playlist", _DURATION),
        ("video_playlist_marker", _PLAYLIST_MARKER),
        ("advertisement", _AD),
        ("share_prompt", _SHARE),
        ("follow_prompt", _FOLLOW_PROMPT),
        ("footer", _FOOTER),
        ("timestamp", _TIMESTAMP),
        ("related_link", _RELATED),
    ]
)
_BYLINE_STARTS = ("by", "words by", "written by", "reporting by", "story by", "author")
_GROUP_RULE = {"video_playlist_marker": "video_playlist", "follow_prompt": "share_prompt"}
#: an embedded social post: its attribution line "— Name (@handle) May 6, 2025" or a bare
#: post link
_EMBED = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s*\w+\.? \d{1,2},? \d{4}$|\bpic\.twitter\.com/\w+|https?://t\.co/\w+")
#: a prompt that addresses the reader and asks for an action on the site
_CTA_VERB = re.compile(
    r"\b(?:click|tap|sign[ -]?up|sign in|log ?in|subscrib\w*|newsletters?|email address|your email|inbox|bookmark"
    r"|download (?:the|our)|follow (?:us|@)|browse|preferred source|create an? (?:free )?account|ad ?blocker|donate"
    r"|support (?:our|independent|local) journalism|unlimited (?:online )?access|free trial|register|browser)\b",
    _I,
)
#: "Richard Bryant says:" heading a reader comment
_COMMENT_AUTHOR = re.compile(r"^[^.!?:]{2,50}\s(?:says|said|wrote|writes|commented|replied)\s*:$", _I)
_FIRST_PLURAL = re.compile(r"\b(?:our|us|we)\b", _I)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you’re|you'll|you’ll)\b", _I)
#: "Associated Press writers X and Y contributed to this report.", "With reporting by ..."
_CONTRIBUTOR = re.compile(
    r"\bcontributed (?:reporting )?to this (?:report|story|article)\b|^[—–-]*\s*(?:with )?(?:additional )?reporting (?:by|from)\b"
    r"|^(?:this (?:article|story|piece) (?:was |is )?)?(?:first|originally) (?:published|appeared) (?:in|on|by|at)\b",
    _I,
)
_AFFILIATE = re.compile(r"\b(?:may|might|could|will) earn (?:us )?(?:an? )?(?:affiliate |small )?commission|\baffiliate commission", _I)
_EDITOR_NOTE = re.compile(r"^editor['’]?s['’]?\s+note\b", _I)
_HIGHLIGHTS_HEADER = re.compile(
    r"^(?:story highlights|highlights|key points|key takeaways|takeaways|at a glance|in brief|the big picture"
    r"|what you need to know|quick read|tl;?dr|summary|in summary|the story so far)\s*:?$",
    _I,
)
_HIGHLIGHT_MAX_WORDS = 40
_HIGHLIGHT_MAX_ITEMS = 8
#: "(CNN) —", "WASHINGTON (AP) —", "LA CROSSE, Wis. (AP) —", "LONDON (Reuters) -", "WASHINGTON —"
_DATELINE = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3},?\s*(?:[A-Z][a-z]{1,4}\.?\s*)?)?"
    r"\((?:[A-Z][\w.&]*(?:\s+[A-Z][\w.&]*){0,2})\)"
    r"|[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.]{1,12}(?:\s+[A-Z][\w.]+)?)?)"
    r"\s*[—–]+|"
    r"^\((?:[A-Z][\w.&]*(?:\s+[A-Z][\w.&]*){0,2})\)\s*-+"
)


#: what a credit line can end with (the last word of an _AGENCY name): a cheap test before
#: the end-anchored _CREDIT_END search, which sre would try at every position
_AGENCY_ENDS = (
    "getty", "images", "image", "ap", "photo", "press", "reuters", "afp", "epa", "efe", "ansa", "dpa", "pa", "wire",
    "media", "shutterstock", "alamy", "bloomberg", "xinhua", "anadolu", "sipa", "rex", "zuma", "nurphoto", "istock",
    "imago", "abaca", "bbc", "cnn", "nasa", "handout", "supplied", "file", "pool", "tass", "novosti", "sputnik",
)  # fmt: skip

# the case-insensitive rules, for the lower-cased line
_CREDIT_PREFIX_L = _on_lower(_CREDIT_PREFIX)
_CREDIT_END_L = _on_lower(_CREDIT_END)
_CAPTION_TAIL_L = _on_lower(_CAPTION_TAIL)
_CAPTION_PREFIX_L = _on_lower(_CAPTION_PREFIX)
_RELATED_L = _on_lower(_RELATED)
_IMAGE_FILE_L = _on_lower(_IMAGE_FILE)
_NEWSLETTER_L = _on_lower(_NEWSLETTER)
_PROMPT_START_L = _on_lower(_PROMPT_START)
_COOKIE_CONTEXT_L = _on_lower(_COOKIE_CONTEXT)
_CTA_VERB_L = _on_lower(_CTA_VERB)
_COMMENT_AUTHOR_L = _on_lower(_COMMENT_AUTHOR)
_FIRST_PLURAL_L = _on_lower(_FIRST_PLURAL)
_SECOND_PERSON_L = _on_lower(_SECOND_PERSON)
_CONTRIBUTOR_L = _on_lower(_CONTRIBUTOR)
_AFFILIATE_L = _on_lower(_AFFILIATE)
_CAPTION_TAIL_MEDIA = re.compile(r"photo|picture|image|getty|/")


def _is_credit(text: str, n_words: int, ends_sentence: bool, low: str | None = None) -> bool:
    if n_words > 10 or ends_sentence:
        return False
    if low is None:
        low = text.lower()
    if (":" in text or "|" in text or text.endswith(")") or low[:5] in ("image", "photo")) and _CREDIT_PREFIX_L.match(low):
        return True
    if n_words <= 8 and (low[:-1] if low.endswith(")") else low).endswith(_AGENCY_ENDS) and _CREDIT_END_L.search(low[-40:]):
        return True
    # "NASA/Goddard/University of Arizona", "FOX/\"The Masked Singer\"": slash-joined names
    if "/" in text and n_words <= 8 and " / " not in text.strip("/"):
        parts = [p.strip() for p in text.split("/")]
        first_words = parts[0].lower().split()
        if all(p and (p[0].isupper() or p[0] in "\"“'") for p in parts) and not any(
            w in STOPWORDS for w in first_words
        ):
            return True
    return False


# Hint substrings: a rule's regex runs only on a line that contains one of them.  Chains
# of `in` (C substring search) beat one regex alternation, which sre tries at every position.
def _newsletter_hint(low: str) -> bool:
    return "newsletter" in low or "sign" in low or "subscri" in low or "inbox" in low


def _caption_hint(tail: str) -> bool:
    """``tail``: the last 120 characters of the lower-cased line."""
    return (
        "photo" in tail or "picture" in tail or "image" in tail or "credit" in tail or "illustration" in tail
        or "|" in tail or "/" in tail or "caption" in tail or tail.endswith(")")
    )  # fmt: skip


def _cta_hint(low: str) -> bool:
    return (
        "sign" in low or "subscri" in low or "log" in low or "regist" in low or "donate" in low
        or "download" in low or "newsletter" in low or "click" in low or "tap" in low or "email" in low
        or "inbox" in low or "bookmark" in low or "follow" in low or "browse" in low or "preferred" in low
        or "account" in low or "block" in low or "support" in low or "access" in low or "trial" in low
    )  # fmt: skip


_MEDIA_STARTS = ("image", "photo", "video", "caption", "pictured")


def _shape_rule(text: str, sig: LineSignals, low: str | None = None) -> str | None:
    """The context-free rules, on the line's text alone (``low``: the text lower-cased).

    Ordered and pre-filtered for speed: most lines are either short (menus, labels) or
    prose, and prose only needs the few keyword rules whose hint substrings it contains.
    The case-insensitive rules run case-sensitive on ``low`` (``_on_lower``).
    """
    if text[:2] in LIST_MARKERS:  # an extractor's list item: judge the item itself
        text = text[2:].lstrip()
        low = text.lower()
    elif low is None:
        low = text.lower()
    n = sig.n_words
    if n <= 12:
        m = _SHORT_LINE_RULES.match(low)
        if m is not None:
            rule = m.lastgroup or ""
            return _GROUP_RULE.get(rule, rule)
        if not sig.ends_sentence and low.startswith(_BYLINE_STARTS) and _BYLINE.match(text):
            return "byline"
        if (
            n <= 10
            and not sig.ends_sentence
            and (sig.cap_share >= 0.5 or "/" in text or ":" in text)
            and _is_credit(text, n, False, low)
        ):
            return "credit"
        if n <= 4:
            # fast path for the most common lines (menu items, labels): only the rules
            # that can fire on a few words
            if "." in text and _IMAGE_EXT_HINT.search(low) and _IMAGE_FILE_L.search(low):
                return "image_file"
            if _cta_hint(low):
                if _NEWSLETTER_L.search(low):
                    return "newsletter_prompt"
                if _CTA_VERB_L.search(low):
                    return "call_to_action"
            if "©" in text:
                return "footer"
            if low.startswith(_MEDIA_STARTS) and _CAPTION_PREFIX_L.match(low):
                return "caption"
            return None
    if n <= 60:
        if ("contribut" in low or "reporting" in low or "published" in low or "appeared" in low) and _CONTRIBUTOR_L.search(low):
            return "contributor_line"
        if "commission" in low and _AFFILIATE_L.search(low):
            return "affiliate_disclaimer"
    if n <= 20 and text[:1].isdigit() and _DURATION_TITLE.match(text):
        return "video_playlist"
    if n <= 15 and ("video" in low or "player" in low) and _PLAYER_UI.search(low):
        return "video_playlist"
    if ("(@" in text or "t.co/" in text or "twitter.com/" in text) and _EMBED.search(text):
        return "embedded_post"
    if n >= 7 and sig.cap_share >= 0.7 and text.upper() == text and sum(map(str.isalpha, text)) >= 20:
        return "caps_teaser"
    if n <= 25 and "." in text and _IMAGE_EXT_HINT.search(low) and _IMAGE_FILE_L.search(low):
        return "image_file"
    if 12 < n <= 30 and _RELATED_L.match(low):
        return "related_link"
    if n <= 40 and _newsletter_hint(low) and _NEWSLETTER_L.search(low):
        if _PROMPT_START_L.match(low) or not sig.ends_sentence:
            return "newsletter_prompt"
    if n <= 80 and "cookie" in low and (_COOKIE_CONTEXT_L.search(low) or "\t" in text):
        return "cookie_prompt"
    if n <= 40 and not sig.has_quote and _cta_hint(low):
        hits = len(_CTA_VERB_L.findall(low))
        # the site speaks: to the reader ("you") or as itself ("our journalism")
        if hits and (n <= 8 or ("you" in low and _SECOND_PERSON_L.search(low)) or (hits >= 2 and _FIRST_PLURAL_L.search(low))):
            return "call_to_action"
    if n <= 5 and text.endswith(":") and _COMMENT_AUTHOR_L.match(low):
        return "comment"
    if n <= 40 and ("©" in text or "rights reserved" in low):
        return "footer"
    if n <= 60:
        if low.startswith(_MEDIA_STARTS) and _CAPTION_PREFIX_L.match(low):
            return "caption"
        # a caption's credit is at its end: look only there
        if _caption_hint(low[-120:]):
            tail = _CAPTION_TAIL_L.search(low[-120:].rstrip("."))
            if tail and (not text.endswith(".") or _CAPTION_TAIL_MEDIA.search(tail.group(0))):
                return "caption"
    return None


# --------------------------------------------------------------------------
# Context rules
# --------------------------------------------------------------------------

_PLAYLIST_GAP = 4  # max lines between two playlist markers of one playlist


def _mark_playlists(records: list[LineRecord], marks: list[int]) -> None:
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
        if i - runs[-1][-1] - 1 <= _PLAYLIST_GAP:
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


_MEDIA_RULES = frozenset({"credit", "image_file"})


def _mark_captions(records: list[LineRecord], media: list[int]) -> None:
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
            c.rule = "caption"


_MENU_MAX_WORDS = 4
_MENU_MIN_RUN = 3


_PROMO_RULES = frozenset({"newsletter_prompt", "call_to_action", "share_prompt", "cookie_prompt"})


def _mark_promo_boxes(records: list[LineRecord], promos: list[int]) -> None:
    """A line sandwiched between two prompt lines belongs to the same promotion box:
    "Sign up to X" / <blurb> / "Enter your email address".  ``promos``: the indices of
    the prompt lines (a line marked here cannot make another one a sandwich: the line
    after it is a prompt already)."""
    after = {i + 1 for i in promos}
    for i in sorted(after.intersection(i - 1 for i in promos)):
        r = records[i]
        if r.rule is None and not r.pinned:
            r.rule = "newsletter_prompt"


def _mark_menus(records: list[LineRecord]) -> None:
    """Runs of >= 3 adjacent very short non-sentence lines: navigation, tag lists."""
    run = 0  # length of the run of short adjacent lines that ends just before i
    for i, r in enumerate(records):
        if r.rule is None and not r.pinned and r.sig.n_words <= _MENU_MAX_WORDS and not r.sig.ends_sentence:
            if run and r.blank_before:
                if run >= _MENU_MIN_RUN:
                    for k in range(i - run, i):
                        records[k].rule = "menu"
                run = 0
            run += 1
        elif run:
            if run >= _MENU_MIN_RUN:
                for k in range(i - run, i):
                    records[k].rule = "menu"
            run = 0
    if run >= _MENU_MIN_RUN:
        for k in range(len(records) - run, len(records)):
            records[k].rule = "menu"


def _mark_repeats(records: list[LineRecord]) -> None:
    """Lines that occur more than once: furniture (all copies) unless they read as prose,
    in which case the first copy stays (pull quotes repeat a paragraph)."""
    keys = [r.key for r in records]
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


def _maybe_dateline(text: str) -> bool:
    head = text[:80]
    return "—" in head or "–" in head or " -" in head


_HIGHLIGHTS_HEADER_L = _on_lower(_HIGHLIGHTS_HEADER)


def _maybe_structure(text: str, low: str, n_words: int) -> bool:
    """Whether ``_mark_structure`` needs to look at the line (a cheap superset of its tests)."""
    return (
        low.startswith("editor")
        or (n_words <= 5 and _HIGHLIGHTS_HEADER_L.match(low) is not None)
        or _maybe_dateline(text)
    )


def _mark_structure(records: list[LineRecord]) -> None:
    """Editor's notes, highlights boxes and datelines."""
    done = 0  # lines before this one were taken into a highlights box
    for i in [k for k, r in enumerate(records) if r.struct]:
        if i < done:
            continue
        r = records[i]
        if r.rule is not None:
            continue
        if r.text[:6].lower() == "editor" and _EDITOR_NOTE.match(r.text):
            r.kind, r.pinned = "editor_note", True
        elif r.sig.n_words <= 5 and _HIGHLIGHTS_HEADER.match(r.text):
            r.rule = "highlights_header"
            j, taken = i + 1, 0
            while j < len(records) and taken < _HIGHLIGHT_MAX_ITEMS:
                b = records[j]
                if (
                    b.rule is not None
                    or b.sig.n_words > _HIGHLIGHT_MAX_WORDS
                    or b.sig.n_words < 4
                    or _EDITOR_NOTE.match(b.text)
                    or _DATELINE.match(b.text)
                    or _HIGHLIGHTS_HEADER.match(b.text)
                ):
                    break
                b.kind, b.pinned = "highlight", True
                taken += 1
                j += 1
            done = j
        else:
            m = _DATELINE.match(r.text) if _maybe_dateline(r.text) else None
            if m:
                rest = r.text[m.end():].strip()
                while (m2 := _DATELINE.match(rest)) is not None and m2.end() > 0:
                    rest = rest[m2.end():].strip()  # "(A) — (B) —": cut them all, or a re-run would
                if not rest:
                    r.rule = "dateline"
                    nxt = next((x for x in records[i + 1:] if x.rule is None), None)
                    if nxt is not None:
                        nxt.body_start = True
                elif len(rest.split()) >= 3:
                    facts = _line_facts(rest)
                    r.content = rest
                    r.sig, r.score = facts[0], facts[3]
                    r.body_start = True


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")

#: what ``_line_facts`` returns: signals, key, context-free rule, sentence score, and
#: whether the line may be an editor's note, highlights header or dateline
LineFacts = tuple[LineSignals, str, "str | None", float, bool]


#: memo of ``_line_facts`` (a plain dict: a hit costs one ``dict.get``, no call)
_FACTS: dict[str, LineFacts] = {}
_FACTS_MAX = 65_536
#: Only lines shorter than this are memoised.  Menus, footers, credits and captions
#: repeat; prose does not (generated pages: 60% of short lines seen again, 1% of long
#: ones), and memoising it only filled the memo and the CPU caches.
_FACTS_MAX_CHARS = 200


def _line_facts(text: str) -> LineFacts:
    """Everything context-free about a line, from one lower-casing of it.  Memoised: pages
    of one publisher share their menus and footers, and a page often repeats its own
    navigation."""
    facts = _FACTS.get(text)
    if facts is None:
        low = text.lower()
        sig = line_signals(text, low)
        facts = untracked((
            sig,
            normalise_line(text, low),
            _shape_rule(text, sig, low),
            sentence_score(sig),
            _maybe_structure(text, low, sig.n_words),
        ))
        if len(text) < _FACTS_MAX_CHARS:
            if len(_FACTS) >= _FACTS_MAX:
                _FACTS.clear()
            _FACTS[text] = facts
    return facts


def clear_caches() -> None:
    """Forget the memoised per-line facts (for cold-cache benchmarks;
    ``transforms.clear_caches`` also empties the functools caches)."""
    _FACTS.clear()


def _split_lines(text: str) -> list[str]:
    """``_LINE_SPLIT.split(text)`` (\\r\\n, \\r or \\n), with C string methods."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


#: A line this long that holds a sentence glued to the next ("…several years.A series
#: of …") is several paragraphs whose breaks the scraper lost (block elements joined
#: without a separator).  Shorter lines are left alone: "St.Louis" is one paragraph.
GLUED_MIN_CHARS = 800
_GLUED = re.compile(r"(?<=[a-z0-9][.!?])(?=[A-Z][a-z])|(?<=[a-z0-9][.!?][\"\u201d\u2019])(?=[A-Z][a-z])")


def _unglued(line: str) -> list[str]:
    """``line``, or its paragraphs when it is several run together (see ``GLUED_MIN_CHARS``)."""
    if len(line) < GLUED_MIN_CHARS or _GLUED.search(line) is None:
        return [line]
    return [part.strip() for part in _GLUED.split(line) if part.strip()]


def _records(text: str, template_lines: frozenset[str]) -> tuple[list[LineRecord], list[int]]:
    """The page's non-blank lines, with the context-free line rules applied; and the
    indices of the lines those rules removed."""
    out: list[LineRecord] = []
    hits: list[int] = []
    prev_blank = True
    for no, line in enumerate(map(str.strip, _split_lines(text)), start=1):
        if not line:
            if not prev_blank:
                out[-1].blank_after = True
            prev_blank = True
            continue
        for part, s in enumerate(_unglued(line)):
            if part:  # a paragraph break the scraper lost
                out[-1].blank_after = prev_blank = True
            record = _line_record(no, s, prev_blank, False, template_lines)
            if record.rule is not None:
                hits.append(len(out))
            out.append(record)
            prev_blank = False
    if not prev_blank:
        out[-1].blank_after = True
    return out, hits


def _line_record(
    line_no: int, text: str, blank_before: bool, blank_after: bool, template_lines: frozenset[str]
) -> LineRecord:
    """A line with its memoised facts and its context-free rule (``rule``), if any."""
    sig, key, rule, score, struct = _FACTS.get(text) or _line_facts(text)
    if template_lines and key in template_lines:
        rule = "template_line"
    return LineRecord(line_no, text, blank_before, blank_after, rule, None, False, False, None, sig, key, score, struct)


def _decide(records: list[LineRecord], hits: list[int], source: str, *, isolated: bool = False) -> str | None:
    """The context rules and the block selection, on records whose line rules are applied
    (``hits``: the lines they removed).  ``isolated``: every line has a blank line on both
    sides (the joined paragraphs)."""
    if hits:
        _mark_playlists(records, [i for i in hits if records[i].rule == "video_playlist"])
        _mark_captions(records, [i for i in hits if records[i].rule in _MEDIA_RULES])
        _mark_promo_boxes(records, [i for i in hits if records[i].rule in _PROMO_RULES])
    _mark_structure(records)
    _mark_repeats(records)
    if not isolated:  # a menu is a run of adjacent lines: there is none among isolated lines
        _mark_menus(records)
    return segment_paragraphs(records, source=source)


def clean_text(
    text: str,
    *,
    template_lines: frozenset[str] = frozenset(),
    source: Literal["text", "html"] = "text",
) -> CleanedText:
    """Split ``text`` into article paragraphs and removed boilerplate lines.

    ``template_lines`` are normalised lines (see :func:`find_template_lines`) to drop as
    the publisher's template.  ``source="html"`` says the text is an extractor's output
    (already without most page furniture), which relaxes the block heuristics.
    Deterministic and idempotent: cleaning the joined paragraphs again keeps them.
    """
    records, hits = _records(text, template_lines)
    title = _decide(records, hits, source)
    title = _settle(records, template_lines, source, title)

    # plain dicts validated in one pydantic call: half the cost of building each model
    paragraphs: list[dict] = []
    removed: list[dict] = []
    pos = 0
    for r in records:
        if r.kind is not None and r.rule is None:
            body = r.paragraph_text
            if paragraphs:
                pos += 2
            paragraphs.append(
                {
                    "ordinal": len(paragraphs),
                    "kind": r.kind,
                    "text": body,
                    "char_start": pos,
                    "char_end": pos + len(body),
                    "line_no": r.line_no,
                }
            )
            pos += len(body)
        else:
            removed.append({"line_no": r.line_no, "text": r.text, "rule": r.rule or "short_fragment"})
    return CleanedText.model_validate({"paragraphs": paragraphs, "removed": removed, "title": title})


_MAX_SETTLE_ROUNDS = 3


def _settle(records: list[LineRecord], template_lines: frozenset[str], source: str, title: str | None) -> str | None:
    """Re-run the decisions on the kept paragraphs alone (as ``clean_text`` would see its
    own output) until nothing more is removed, so that cleaning is idempotent."""
    for _ in range(_MAX_SETTLE_ROUNDS):
        kept = [r for r in records if r.kind is not None and r.rule is None]
        if not kept:
            return title
        # the line rules are context-free: only a line whose text changed (dateline cut)
        # needs them again; the context rules and the block selection all run again
        again: list[LineRecord] = []
        hits: list[int] = []
        for r in kept:
            if r.content is None:
                again.append(
                    LineRecord(r.line_no, r.text, True, True, None, None, False, False, None, r.sig, r.key, r.score, r.struct)
                )
            else:
                record = _line_record(r.line_no, r.content, True, True, template_lines)
                if record.rule is not None:
                    hits.append(len(again))
                again.append(record)
        t2 = _decide(again, hits, source, isolated=True)
        changed = False
        for r, a in zip(kept, again):
            if a.rule is not None and not r.pinned:
                r.rule, r.kind = a.rule, None
                changed = True
            elif a.kind is not None and a.kind != r.kind and not r.pinned:
                r.kind = a.kind
        if title is None and t2 is not None:
            title = t2
        if not changed:
            return title
    return title


def find_template_lines(texts: Iterable[str], *, min_docs: int = 3, min_share: float = 0.5) -> frozenset[str]:
    """Normalised lines that occur in >= ``min_docs`` and >= ``min_share`` of the documents.

    Meant for the documents of one publisher in one batch: their shared lines are the site
    template (menus, footers, promos).  Returns an empty set when there are fewer than
    ``min_docs`` documents, so a lone article never loses its own text.
    """
    docs = list(texts)
    if len(docs) < max(min_docs, 2):
        return frozenset()
    df: Counter[str] = Counter()
    for doc in docs:
        df.update({normalise_line(line.strip()) for line in _LINE_SPLIT.split(doc) if line.strip()})
    need = max(min_docs, min_share * len(docs))
    return frozenset(k for k, c in df.items() if c >= need)
