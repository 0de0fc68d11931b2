"""The line rules: one table of named rules that recognise furniture by a line's own text.

Each ``LineRule`` says which lines it removes (``words``: the range of word counts it
looks at; ``hint``: a cheap pre-filter, C substring tests; ``test``: the full test),
under which removal rule (``rule``, see ``rules.RULES``), with examples it must remove
and look-alike lines it must keep.  ``tests/transforms/test_line_rules.py`` checks every
example against its rule, its pre-filter and the whole table.

The table is ordered: the first rule that fires decides.  Rules given as a bare
``pattern`` (matched on the lower-cased line, anchored at its start) that come one after
another are run as one regex alternation by the engine (``engine.py``): one C-level match
instead of one Python call per rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from transforms.text_signals import STOPWORDS, LineSignals

_I = re.IGNORECASE


def on_lower(pat: re.Pattern[str]) -> re.Pattern[str]:
    """The same case-insensitive rule for lower-cased text, compiled case-sensitive.

    sre matches IGNORECASE patterns ~3x slower (every literal is case-folded); the cleaner
    lower-cases each line once and runs the rules on that.  ``[A-Z]`` becomes ``[a-z]``;
    no other upper-case letter may occur outside an escape.
    """
    src = pat.pattern.replace("A-Z", "a-z")
    if re.search(r"(?<!\\)[A-Z]", src):
        raise ValueError(f"pattern has upper-case letters, cannot run on lower-cased text: {src[:60]}")
    return re.compile(src, pat.flags & ~re.IGNORECASE)


def lowered(source: str) -> re.Pattern[str]:
    """A case-insensitive rule that only ever runs on the lower-cased line: ``source``
    compiled for it at once (``on_lower``), with no case-insensitive twin to keep."""
    return on_lower(re.compile(source, re.IGNORECASE))


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
_IMAGE_FILE_L = lowered(r"\S\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)\b")
_AGENCY = (
    r"(?:getty(?: images)?|ap(?: photo)?|associated press|reuters|afp|epa(?:-efe)?|efe|ansa|dpa|pa(?: wire| media)?"
    r"|shutterstock|alamy|bloomberg|xinhua|anadolu|sipa|rex|zuma(?: press)?|nurphoto|istock(?:photo)?"
    r"|imago|abaca|bbc|cnn|nasa|handout|supplied|file|pool|wire ?image|aap(?: image)?|tass|ria novosti|sputnik)"
)
#: a credit line ends with an agency / picture-desk name: "Paul Morigi/Getty Images",
#: "Patrick Semansky, ASSOCIATED PRESS", "EPA", "AFP via Getty Images"
_CREDIT_END_L = lowered(rf"(?:^|[\s/,|(;:-]){_AGENCY}\)?$")
_CREDIT_PREFIX_L = lowered(
    r"^(?:(?:photo(?:graph)?|picture|image|pic|credit|photo credit|image credit|source|illustration|video)s?\s*[:|]\s*\S"
    r"|(?:image|photo) (?:copyright|source|credit)\b|\([A-Z][\w.'’ -]{2,40}\)$)",
)
_CAPTION_TAIL_L = lowered(
    r"(?:[.!?][\"”’]?\s+\([A-Z][\w .,'’&/-]{2,50}\)"
    r"|[.!?][\"”’]?\s+\(" + _AGENCY + r"\)"
    r"|\b" + _AGENCY + r"\s*(?:photo|image|picture)s?\s*/\s*[A-Z][\w.'’ -]{2,40}"
    r"|\((?:[A-Z]{2,6} )?(?:photo|picture|image|file photo|pictured)\b[^()]*\)"
    r"|\b(?:photo|picture|image|credit|photograph|illustration)s?\s*(?:by|:|\|)\s*[^.!?]{2,80}"
    r"|\|\s*[^|.!?]{2,60}"
    r"|/\s*" + _AGENCY + r")\s*$",
)
_CAPTION_PREFIX_L = lowered(r"^(?:image|photo|video)\s+caption\b|^(?:caption|pictured)\s*[:,]")

_RELATED_LABELS = (
    r"view all|see all|view gallery|see more|show more|load more|more videos|view more|also read|read also|read more|more to read|read next|read|recommended(?: for you| reading)?|related"
    r"(?: articles?| stories| content| coverage| news| reading| topics)?|see also|more on this(?: story)?"
    r"|more from [\w .'’&-]{1,30}|more stories|you (?:may|might) (?:also )?like|trending(?: now)?|popular"
    r"|most (?:read|popular|viewed|shared)(?: in [\w .'’&-]{1,30})?|recommended videos|recommended stories|top stories|latest(?: news| stories)?|editor'?s picks?|further reading"
    r"|don['’]t miss|also on [\w .'’&-]{1,30}|watch|listen|explore more|in other news|what to read next"
    # the common equivalents in the languages of the benchmark sets (German, Spanish,
    # Portuguese, French, Polish)
    r"|lesen sie (?:auch|mehr)|lies auch|mehr zum thema|weiterlesen|mehr dazu|auch interessant|weitere (?:beiträge|artikel|meldungen)"
    r"|das könnte (?:dich|sie) auch interessieren|(?:lea|lee|leer|vea|veja) (?:también|más|mais|tambien)|le puede interesar"
    r"|otras noticias|noticias relacionadas|(?:à )?lire aussi|(?:à )?voir aussi|sur le même sujet|czytaj (?:też|także|więcej)"
    r"|dowiedz się więcej|zobacz (?:też|także|również)|czytaj również"
    # Spanish-language news sites' "see also" prompts before a link: "Lea:", "MIRA:", "PUEDES VER:"
    r"|lea|mira|puedes ver|te puede interesar|ver también|ver tambien"
)
#: the label followed by a separator and a link text, or the label alone
_RELATED = re.compile(rf"^(?:{_RELATED_LABELS})(?:\s*(?::|\||»|›|>|–|—|-\s)|\s*(?:\(\d+\)|\d+)?\s*[.…:]*$)", _I)

_SHARE = re.compile(
    r"^(?:share(?: this| on| via| article| story| the article| this article| this story| page)?|tweet|pin(?: it)?|email|e-mail|print"
    r"|copy(?: the)? link|link copied|copied|whatsapp|facebook|twitter|x|linkedin|reddit|telegram|flipboard|messenger"
    r"|comments?|\d+ comments?|view comments|leave a comment|add a comment|join the conversation|show comments|save(?: article| story)?"
    r"|bookmark|gift (?:this )?article|listen(?: to (?:this )?article)?|follow(?: us)?|like us on facebook|click to share.*"
    r"|teilen|(?:artikel|beitrag) teilen|teile diesen (?:beitrag|artikel)(?: auf)?.{0,20}|drucken|compartir|partager|udostępnij"
    r"|share (?:on|via|to) [\w ]{2,20}|share this (?:article|story|post|page)\b.{0,60}|opens? in (?:a )?new (?:window|tab)|(?:(?:increase|decrease|change) (?:the )?(?:article )?)?(?:font|text) size|a a a|reprints?(?: & permissions)?)"
    r"\s*[:.…!]*$",
    _I,
)
_FOLLOW_PROMPT = re.compile(
    r"^(?:follow|like|join) (?:us|[\w ]{1,40}) on (?:facebook|twitter|x|instagram|tiktok|youtube|linkedin|threads|bluesky|whatsapp|telegram)\b",
    _I,
)
_NEWSLETTER_L = lowered(r"\b(?:newsletters?|sign(?:ing)? up|subscrib\w*|subscription|inbox|unsubscribe)\b")
_PROMPT_START_L = lowered(
    r"^(?:sign up|subscribe|get |join |enter |receive |don['’]t miss|stay |want |thank you|thanks for|by (?:signing|clicking|subscribing|submitting|registering)"
    r"|already (?:a|have)|sign in|log in|register|create (?:an|a free) account|you['’]ve been|success|please|your email|email address"
    r"|this site is protected|invalid email|we['’]ll |we will |start your|try |unlock|become a|support )",
)
_COOKIE_CONTEXT_L = lowered(
    r"\b(?:consent|accept|preferences|settings|privacy|we use|our use|partners|personali[sz]ed?|opt[ -]out|website"
    r"|browser|analytics|session|visitors?|tracking|this cookie|cookies? (?:is|are) (?:used|set|installed))\b",
)
_FOOTER = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|^(?:terms (?:of (?:use|service)|and conditions|& conditions)|privacy(?: policy| notice| settings| center| centre)?"
    r"|cookie(?:s| policy| settings| preferences)|contact us|about us|accessibility(?: help| statement)?|sitemap|site map|careers|advertise(?: with us)?"
    r"|help(?: centre| center)?|faqs?|rss(?: feeds?)?|back to top|skip to (?:main )?content|skip to navigation|skip navigation|your privacy choices"
    r"|do not sell(?: or share)? my (?:personal )?info(?:rmation)?|manage (?:cookies|preferences)|corrections|ethics policy|editorial standards"
    r"|impressum|datenschutz(?:erklärung| ?hinweise)?|kontakt|nach oben|aviso legal|política de privacidad|mentions légales"
    r"|politique de confidentialité|polityka prywatności)\s*[.…]*$",
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
    r"(?:"
    + _MONTH
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s*(?:\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r",?\s*(?:\d{4})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*(?:at|,|-|–|—|·|\|)?\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?)?\s*$"
    r"|^(?:published|updated|posted)\s*:?\s*.{0,40}$"
    r"|^\d+\s*(?:sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|week|weeks|month|months)\s+ago$"
    r"|^\d+\s*(?:min|minute)s?\s+read$",
    _I,
)


_BYLINE_STARTS = ("by", "words by", "written by", "reporting by", "story by", "author")
#: an embedded social post: its attribution line "— Name (@handle) May 6, 2025" or a bare
#: post link
_EMBED = re.compile(
    r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s*\w+\.? \d{1,2},? \d{4}$|\bpic\.twitter\.com/\w+|https?://t\.co/\w+"
)
#: a prompt that addresses the reader and asks for an action on the site
_CTA_VERB_L = lowered(
    r"\b(?:click|tap|sign[ -]?up|sign in|log ?in|subscrib\w*|newsletters?|email address|your email|inbox|bookmark"
    r"|download (?:the|our)|follow (?:us|@)|browse|preferred source|create an? (?:free )?account|ad ?blocker|donate"
    r"|support (?:our|independent|local) journalism|unlimited (?:online )?access|free trial|register|browser)\b",
)
#: "Richard Bryant says:" heading a reader comment
_COMMENT_AUTHOR_L = lowered(r"^[^.!?:]{2,50}\s(?:says|said|wrote|writes|commented|replied)\s*:$")
_FIRST_PLURAL_L = lowered(r"\b(?:our|us|we|wir|uns|unser(?:e[nmrs]?)?|nous|notre|nos|nuestr[oa]s?)\b")
_SECOND_PERSON_L = lowered(
    r"\b(?:you|your|you're|you’re|you'll|you’ll|dich|dir|dein(?:e[nmrs]?)?|euch|euer|eure[nmrs]?|vous|votre|vos|tu|te)\b"
)
#: the German formal "you" ("Sie", "Ihr"), capitalised inside a sentence
_FORMAL_YOU = re.compile(r"(?<=[\w,] )(?:Sie|Ihnen|Ihre?[nmrs]?)\b")
#: "Associated Press writers X and Y contributed to this report.", "With reporting by ..."
_CONTRIBUTOR_L = lowered(
    r"\bcontributed (?:reporting )?to this (?:report|story|article)\b|^[—–-]*\s*(?:with )?(?:additional )?reporting (?:by|from)\b"
    r"|^(?:this (?:article|story|piece) (?:was |is )?)?(?:first|originally) (?:published|appeared) (?:in|on|by|at)\b",
)
_AFFILIATE_L = lowered(
    r"\b(?:may|might|could|will) earn (?:us )?(?:an? )?(?:affiliate |small )?commission|\baffiliate commission"
)

#: what a credit line can end with (the last word of an _AGENCY name): a cheap test before
#: the end-anchored _CREDIT_END_L search, which sre would try at every position
_AGENCY_ENDS = (
    "getty", "images", "image", "ap", "photo", "press", "reuters", "afp", "epa", "efe", "ansa", "dpa", "pa", "wire",
    "media", "shutterstock", "alamy", "bloomberg", "xinhua", "anadolu", "sipa", "rex", "zuma", "nurphoto", "istock",
    "imago", "abaca", "bbc", "cnn", "nasa", "handout", "supplied", "file", "pool", "tass", "novosti", "sputnik",
)  # fmt: skip

#: the last two characters of every ``_AGENCY_ENDS``: a set lookup before the tuple's 38
#: ``endswith`` tests (a line that ends with one of them ends with its last two characters)
_AGENCY_END_PAIRS = frozenset(end[-2:] for end in _AGENCY_ENDS)

# the case-insensitive rules, for the lower-cased line
_RELATED_L = on_lower(_RELATED)
_CAPTION_TAIL_MEDIA = re.compile(r"photo|picture|image|getty|/")


def _is_credit(text: str, n_words: int, ends_sentence: bool, low: str | None = None) -> bool:
    if n_words > 10 or ends_sentence:
        return False
    if low is None:
        low = text.lower()
    if (":" in text or "|" in text or text.endswith(")") or low[:5] in ("image", "photo")) and _CREDIT_PREFIX_L.match(
        low
    ):
        return True
    if n_words <= 8:
        core = low[:-1] if low.endswith(")") else low
        if core[-2:] in _AGENCY_END_PAIRS and core.endswith(_AGENCY_ENDS) and _CREDIT_END_L.search(low[-40:]):
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
# The hints take the rule's arguments themselves (no lambda around them: one call less per line).
def _newsletter_hint(text: str, low: str, sig: LineSignals) -> bool:
    return "newsletter" in low or "sign" in low or "subscri" in low or "inbox" in low


def _caption_hint(text: str, low: str, sig: LineSignals) -> bool:
    """A caption's credit is at its end: looks at the last 120 characters only."""
    tail = low[-120:]
    return (
        "photo" in tail or "picture" in tail or "image" in tail or "credit" in tail or "illustration" in tail
        or "|" in tail or "/" in tail or "caption" in tail or tail.endswith(")")
    )  # fmt: skip


def _cta_hint(text: str, low: str, sig: LineSignals) -> bool:
    """A prompt of a few words needs no more; a longer one must not be a quotation."""
    return (sig.n_words <= 4 or not sig.has_quote) and (
        "sign" in low or "subscri" in low or "log" in low or "regist" in low or "donate" in low
        or "download" in low or "newsletter" in low or "click" in low or "tap" in low or "email" in low
        or "inbox" in low or "bookmark" in low or "follow" in low or "browse" in low or "preferred" in low
        or "account" in low or "block" in low or "support" in low or "access" in low or "trial" in low
    )  # fmt: skip


_MEDIA_STARTS = ("image", "photo", "video", "caption", "pictured")


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------

#: no upper bound on the word count
ANY = 1 << 30

#: ``hint(text, low, sig)`` and ``test(text, low, sig)``; ``low`` is the line
#: lower-cased (list marker removed), ``sig`` its signals
LineTest = Callable[[str, str, LineSignals], object]


@dataclass(frozen=True, slots=True)
class LineRule:
    """A named context-free rule; see the module docstring."""

    name: str
    removes: tuple[str, ...]  # lines it must remove (as ``rule``)
    keeps: tuple[str, ...] = ()  # look-alike lines the whole table must keep
    rule: str = ""  # the removal rule it reports; default: ``name``
    words: tuple[int, int] = (0, ANY)  # word counts it looks at, inclusive
    pattern: re.Pattern[str] | None = None  # case-insensitive, matched at the start of ``low``
    hint: LineTest | None = None  # cheap pre-filter (None: every line in ``words``)
    test: LineTest | None = None  # the full test (None: ``pattern`` decides)
    why: str = ""

    @property
    def label(self) -> str:
        return self.rule or self.name

    @property
    def pattern_only(self) -> bool:
        return self.pattern is not None and self.hint is None and self.test is None

    def fires(self, text: str, low: str, sig: LineSignals) -> bool:
        """This rule alone (the word range, pre-filter and test), ignoring the table order."""
        lo, hi = self.words
        if not lo <= sig.n_words <= hi or (self.hint is not None and not self.hint(text, low, sig)):
            return False
        if self.test is not None:
            return bool(self.test(text, low, sig))
        return self.pattern is None or on_lower(self.pattern).match(low) is not None


#: a prompt's verbs that are nouns too, and the words before them that make them nouns:
#: "the register of landlords", "a bookmark"
_VERB_NOUNS = frozenset({"register", "bookmark"})
_DETERMINER_BEFORE = ("the ", "a ", "an ", "this ", "its ", "their ")


def _cta_test(text: str, low: str, sig: LineSignals) -> bool:
    hits = sum(
        1
        for m in _CTA_VERB_L.finditer(low)
        if m.group() not in _VERB_NOUNS or not low[: m.start()].endswith(_DETERMINER_BEFORE)
    )
    if not hits:
        return False
    # the site speaks: to the reader ("you", "dir", "Sie", "vous") or as itself ("our
    # journalism", "unsere Arbeit"), in the languages of the benchmark sets ("du" is
    # French "of the" too: left out)
    return (
        sig.n_words <= 8
        or _SECOND_PERSON_L.search(low) is not None
        or _FORMAL_YOU.search(text) is not None
        or (hits >= 2 and _FIRST_PLURAL_L.search(low) is not None)
    )


def _is_link_bar(text: str) -> bool:
    """Three or more parts, or two of a few words each, none a sentence: link texts."""
    parts = [p.strip() for p in text.split("|")]
    if any(not p for p in parts[1:-1]) or len(parts) < 2:
        return False
    words = [len(p.split()) for p in parts if p]
    return (
        all(1 <= w <= 4 for w in words)
        and (len(words) >= 3 or sum(words) <= 6)
        and not any(p.endswith((".", "!", "?")) for p in parts)
    )


def _caption_tail_test(text: str, low: str, sig: LineSignals) -> bool:
    tail = _CAPTION_TAIL_L.search(low[-120:].rstrip("."))
    return tail is not None and (not text.endswith(".") or _CAPTION_TAIL_MEDIA.search(tail.group(0)) is not None)


LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "video_duration",
        rule="video_playlist",
        words=(0, 12),
        pattern=_DURATION,
        removes=("01:51", "1:02:33"),
        keeps=("Score: 2-1",),
        why="a video's duration shown alone",
    ),
    LineRule(
        "playlist_marker",
        rule="video_playlist",
        words=(0, 12),
        pattern=_PLAYLIST_MARKER,
        removes=("Now playing", "JUST WATCHED", "Replay", "Up next", "More videos ..."),
        keeps=("Playing now is the only way to learn the game.",),
    ),
    LineRule(
        "advertisement",
        words=(0, 12),
        pattern=_AD,
        removes=("Advertisement", "Story continues below advertisement", "Sponsored content", "ADVERTISING"),
        keeps=("Advertising revenue fell by a third last year.",),
    ),
    LineRule(
        "share_prompt",
        words=(0, 12),
        pattern=_SHARE,
        removes=(
            "Share this article",
            "Tweet",
            "Copy link",
            "12 Comments",
            "Share on Facebook",
            "Teilen",
            "Artikel teilen",
            "Teile diesen Beitrag auf",
            "Compartir",
        ),
        keeps=("Share prices fell sharply on Monday.",),
    ),
    LineRule(
        "follow_prompt",
        rule="share_prompt",
        words=(0, 12),
        pattern=_FOLLOW_PROMPT,
        removes=("Follow us on Twitter", "Join Example News on WhatsApp"),
        keeps=("Follow the money, the investigators were told.",),
    ),
    LineRule(
        "footer_link",
        rule="footer",
        words=(0, 12),
        pattern=_FOOTER,
        removes=(
            "Terms of Use",
            "Privacy Policy",
            "© 2024 Example Media",
            "Contact us",
            "Back to top",
            "Impressum",
            "Datenschutzerklärung",
            "Mentions légales",
        ),
        keeps=("Terms of the deal were not disclosed.",),
    ),
    LineRule(
        "timestamp",
        words=(0, 12),
        pattern=_TIMESTAMP,
        removes=("Nov. 20, 2019 5:52 AM EST", "Updated: 3 hours ago", "5 min read", "2024-05-01", "3 days ago"),
        keeps=("May 2024 was the wettest month on record.",),
    ),
    LineRule(
        "related_label",
        rule="related_link",
        words=(0, 12),
        pattern=_RELATED,
        removes=(
            "Read more",
            "READ MORE: Why the council changed its mind",
            "Most read in Football",
            "View all (23)",
            'Also read: "Making sense of the new ceasefire"',
            "Lesen Sie auch: Die Brücke wird teurer",
            "Mehr zum Thema",
            "Lea también: El puente costará más",
            "MIRA: El puente costará más",
            "PUEDES VER: ¿Qué cuesta el puente?",
            "À lire aussi",
            "Czytaj też",
            "Das könnte Sie auch interessieren",
        ),
        keeps=(
            "Read more about it in the report.",
            "Lesen Sie auch die Kommentare der Leser, sagte sie.",
            "Mira, el puente costará más.",
        ),
        why="a related-links label, alone or followed by a separator and a link text",
    ),
    LineRule(
        "byline",
        words=(0, 12),
        hint=lambda text, low, sig: not sig.ends_sentence and low.startswith(_BYLINE_STARTS),
        test=lambda text, low, sig: _BYLINE.match(text),
        removes=("By Jane Doe and John Smith", "Written by Jane Doe, Staff Writer"),
        keeps=("by the river bank", "By then it was too late."),
    ),
    LineRule(
        "credit",
        words=(0, 10),
        hint=lambda text, low, sig: not sig.ends_sentence and (sig.cap_share >= 0.5 or "/" in text or ":" in text),
        test=lambda text, low, sig: _is_credit(text, sig.n_words, False, low),
        removes=(
            "Paul Morigi/Getty Images",
            "Photo: John Smith / Reuters",
            "EPA",
            "AFP via Getty Images",
            "NASA/Goddard/University of Arizona",
        ),
        keeps=("Jane Doe, a nurse", "In the end: nothing"),
    ),
    LineRule(
        "contributor_line",
        words=(5, 60),
        hint=lambda text, low, sig: "contribut" in low or "reporting" in low or "published" in low or "appeared" in low,
        test=lambda text, low, sig: _CONTRIBUTOR_L.search(low),
        removes=(
            "Associated Press writers Jane Doe and John Roe contributed to this report.",
            "With reporting by Jane Doe",
            "This article first appeared in The Example Review.",
        ),
        keeps=("The reporting of local papers has declined for a decade, the study found.",),
    ),
    LineRule(
        "affiliate_disclaimer",
        words=(5, 60),
        hint=lambda text, low, sig: "commission" in low,
        test=lambda text, low, sig: _AFFILIATE_L.search(low),
        removes=("We independently select everything we recommend. Buying through us may earn us a commission.",),
        keeps=("The commission will publish its report in the spring.",),
    ),
    LineRule(
        "video_title_with_duration",
        rule="video_playlist",
        words=(5, 20),
        hint=lambda text, low, sig: text[:1].isdigit(),
        test=lambda text, low, sig: _DURATION_TITLE.match(text),
        removes=("2:05 Russia launches largest sustained attack of the war",),
        keeps=("2024 was a hard year for the farmers of the valley.",),
    ),
    LineRule(
        "video_player_message",
        rule="video_playlist",
        words=(5, 15),
        hint=lambda text, low, sig: "video" in low or "player" in low,
        test=lambda text, low, sig: _PLAYER_UI.search(low),
        removes=("We apologize, but this video has failed to load.", "This video is not available in your country"),
        keeps=("The video shows the player scoring twice in the first half.",),
    ),
    LineRule(
        "embedded_post",
        words=(5, ANY),
        hint=lambda text, low, sig: "(@" in text or "t.co/" in text or "twitter.com/" in text,
        test=lambda text, low, sig: _EMBED.search(text),
        removes=("— Jane Doe (@janedoe) May 6, 2025", "What a night for the team pic.twitter.com/AbC123xyz"),
        keeps=("She wrote on X (@janedoe) that she would not stand again.",),
    ),
    LineRule(
        "caps_teaser",
        words=(7, ANY),
        hint=lambda text, low, sig: sig.cap_share >= 0.7 and text.upper() == text,
        test=lambda text, low, sig: sum(map(str.isalpha, text)) >= 20,
        removes=(
            "COUNCIL BOSS QUITS AFTER ROW OVER BRIDGE COSTS AND DELAYS",
            "2 NY RESIDENTS ALLEGEDLY RAN SECRET POLICE STATION: 'SIGNIFICANT MATTER'",
        ),
        keeps=("WHAT HAPPENS NEXT", "The NHS and the BBC said the EU rules applied."),
        why="an all-capitals line: a teaser link to another story",
    ),
    LineRule(
        "image_file",
        words=(0, 25),
        hint=lambda text, low, sig: "." in text and _IMAGE_EXT_HINT.search(low) is not None,
        test=lambda text, low, sig: _IMAGE_FILE_L.search(low),
        removes=("storm_coast_0012.jpg", "IMG_2041.JPEG", "Photo 3 of 12 harbour-night.webp"),
        keeps=("The site was hosted at example.org until 2019.",),
    ),
    LineRule(
        "related_link",
        words=(13, 30),
        test=lambda text, low, sig: _RELATED_L.match(low),
        removes=("Also read: The long road back for the city's bridge, from the first plans to the vote on Tuesday",),
        keeps=("Read more about the plan in the council report, which runs to 300 pages and was published on Monday.",),
        why="a related-links label with a long link text",
    ),
    LineRule(
        "newsletter_prompt",
        words=(0, 40),
        hint=_newsletter_hint,
        # a line of a few words with a newsletter word is a prompt; a longer one when it
        # starts like a prompt or is no sentence
        test=lambda text, low, sig: (
            _NEWSLETTER_L.search(low) and (sig.n_words <= 4 or _PROMPT_START_L.match(low) or not sig.ends_sentence)
        ),
        removes=(
            "Sign up for our morning newsletter",
            "Newsletter",
            "Subscribe to our newsletter for the latest news.",
        ),
        keeps=("The company said in its newsletter that it would subscribe to the new rules by the end of the year.",),
    ),
    LineRule(
        "cookie_prompt",
        words=(5, 80),
        hint=lambda text, low, sig: "cookie" in low,
        test=lambda text, low, sig: _COOKIE_CONTEXT_L.search(low) or "\t" in text,
        removes=(
            "We use cookies to personalise content and ads. By clicking Accept you consent to our use of cookies.",
            "This website uses cookies to improve your experience while you navigate through the website.",
        ),
        keeps=("She baked a cookie for every child in the class.",),
    ),
    LineRule(
        "call_to_action",
        words=(0, 40),
        hint=_cta_hint,
        test=_cta_test,
        removes=(
            "Click here to download our app and never miss a story you care about",
            "Just R20 for the first month. Support independent journalism by subscribing to our digital package.",
            "Log in",
            "Register",
            "Melde dich jetzt für unseren Newsletter an und verpasse keinen Bericht aus dem Hafen mehr.",
            "Mit unserem Newsletter erfahren Sie jeden Morgen, was im Hafen geschieht.",
            "Inscrivez-vous à notre newsletter pour recevoir chaque matin les nouvelles du port.",
        ),
        keeps=(
            "“If you subscribe to that theory, you will be disappointed,” the minister told reporters.",
            "October 1 – the register of landlords opens",
            "Sie hat den Newsletter der Hafenbehörde jahrelang selbst geschrieben, sagte der Sprecher.",
            "Le maire a expliqué son vote dans la newsletter de la mairie publiée lundi.",
        ),
        why="a prompt addressing the reader (or the site speaking as itself) asking for an action on the site",
    ),
    LineRule(
        "comment_author",
        rule="comment",
        words=(5, 5),
        hint=lambda text, low, sig: text.endswith(":"),
        test=lambda text, low, sig: _COMMENT_AUTHOR_L.match(low),
        removes=("Mary Anne de Vries says:",),
        keeps=("The report's authors said this:",),
        why="'Richard Bryant says:' heading a reader comment",
    ),
    LineRule(
        "copyright_notice",
        rule="footer",
        words=(0, 40),
        hint=lambda text, low, sig: "©" in text or (sig.n_words > 4 and "rights reserved" in low),
        removes=(
            "© 2024 Example News. All rights reserved.",
            "Copyright Example Media Group 2024, all rights reserved",
        ),
        keeps=("The rights of tenants are reserved by law.",),
    ),
    LineRule(
        "caption_label",
        rule="caption",
        words=(0, 60),
        hint=lambda text, low, sig: low.startswith(_MEDIA_STARTS),
        test=lambda text, low, sig: _CAPTION_PREFIX_L.match(low),
        removes=("Image caption, The bridge at dawn", "Caption: The mayor at the opening", "Pictured, left to right"),
        keeps=("Images of the storm spread quickly online.",),
    ),
    LineRule(
        "link_bar",
        rule="menu",
        words=(2, 40),
        hint=lambda text, low, sig: text.count("|") >= 1 and not sig.ends_sentence,
        test=lambda text, low, sig: _is_link_bar(text),
        removes=("Terms of Use | Privacy Policy", "Home | News | Sport | Weather | Contact us"),
        keeps=("In the end the vote was close | and it was the mayor who decided.",),
        why="short link texts joined by '|': a navigation or footer bar, not a caption",
    ),
    LineRule(
        "caption_with_credit",
        rule="caption",
        words=(5, 60),
        hint=_caption_hint,
        test=_caption_tail_test,
        removes=(
            "A rescue worker carries a child after the strike in Aleppo. Photo: Civil Defense / AP",
            "Crowds gather outside the court on Monday (Photo by Jane Doe/Getty Images)",
            "The mayor cuts the ribbon at the new bridge on Monday. (AP)",
        ),
        keeps=(
            "“I took the photo from the roof,” said Jane Doe, a photographer for Reuters.",
            "The story was first reported by the Associated Press (AP).",
        ),
    ),
)

LINE_RULE_NAMES = frozenset(r.name for r in LINE_RULES)
assert len(LINE_RULE_NAMES) == len(LINE_RULES), "line rule names must be unique"
