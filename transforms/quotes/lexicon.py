"""The reporting-verb lexicon: which words are attribution cues, and their lemmas."""

from __future__ import annotations


# --------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------

_REGULAR_CUES = """
add argue explain continue tweet respond conclude declare report shout state
recall urge charge insist claim warn acknowledge admit announce observe remark
suggest joke quip predict complain exclaim contend maintain emphasize emphasise
stress boast promise vow concede counter retort muse recount agree confirm
demand yell scream chant post testify lament proclaim assert allege comment
mention reiterate repeat answer wonder whisper caution advise explain add
note reason scoff snap fume gush blast slam mock sniff offer describe
predict plead concur interject tout quote assure reassure implore beam riff gripe
grumble marvel sigh mutter murmur pledge opine chide scold rebut
""".split()

_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing"),
    "ask": ("ask", "asks", "asked", "asking"),
    "reply": ("reply", "replies", "replied", "replying"),
    "cry": ("cries", "cried"),
    "read": ("reads", "read"),
    "put": ("put",),
    "go on": ("went on", "goes on"),
    "point out": ("pointed out", "points out", "pointing out"),
    "sum up": ("summed up",),
    "according to": ("according to",),
    "sing": ("sings", "sang", "singing"),
}


def _inflect(verb: str) -> tuple[str, ...]:
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith(("sh", "ch", "ss", "x")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    if verb in {"snap", "quip", "plan", "admit", "slam", "jab", "chat", "nod", "stab", "beg"}:
        return (verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


#: cue as written (lower case) -> lemma
CUE_LEMMAS: dict[str, str] = {}
for _v in _REGULAR_CUES:
    for _f in _inflect(_v):
        CUE_LEMMAS[_f] = _v
for _lemma, _forms in _IRREGULAR.items():
    for _f in _forms:
        CUE_LEMMAS[_f] = _lemma
CUE_LEMMAS["put"] = "put"
# bare base forms read too often as nouns or imperatives ("a report", "read")
for _f in ("report", "state", "post", "note", "quote", "counter", "answer", "offer", "comment", "read",
           "reports", "states", "posts", "notes", "quotes", "counters", "answers", "offers", "comments",
           "put", "joke", "vow", "promise", "claim", "claims", "charge", "charges", "tweet", "tweets",
           "demand", "demands", "stress", "mock", "blast", "slam", "repeat", "add", "say", "tell", "write",
           "ask", "reply", "cry", "warn", "urge", "argue", "explain", "continue", "respond", "conclude",
           "declare", "shout", "recall", "insist", "acknowledge", "admit", "announce", "observe",
           "remark", "suggest", "predict", "complain", "exclaim", "contend", "maintain", "emphasize",
           "emphasise", "boast", "concede", "retort", "muse", "recount", "agree", "confirm", "yell",
           "scream", "chant", "testify", "lament", "proclaim", "assert", "allege", "mention",
           "reiterate", "wonder", "whisper", "caution", "advise", "reason", "scoff", "snap", "fume",
           "gush", "sniff", "describe", "plead", "concur", "interject", "tout", "quip", "describes",
           "described", "describing", "offered", "offering", "quoted", "quoting", "assure", "reassure",
           "implore", "beam", "beams", "riff", "riffs", "gripe", "gripes", "grumble", "marvel", "marvels",
           "sigh", "sighs", "mutter", "murmur", "pledge", "pledges", "opine", "chide", "scold", "rebut"):
    CUE_LEMMAS.pop(_f, None)


#: the only cues written with a capital (all of CUE_LEMMAS is lower case)
_CAPITAL_CUES = ("Said", "Says", "Added", "Asked", "According to")
assert not any(w[:1].isupper() for w in CUE_LEMMAS)


#: the cues found anywhere in a sentence (CUE_LEMMAS adds some found only right after a close mark)
ANYWHERE_CUES = frozenset(CUE_LEMMAS)

#: right after a close mark ("…," Conway notes.) even ambiguous forms are cues
_ADJ_EXTRA = {
    "notes": "note", "states": "state", "reads": "read", "read": "read", "claims": "claim",
    "tweets": "tweet", "reports": "report", "posts": "post", "counters": "counter", "quips": "quip",
    "jokes": "joke", "vows": "vow", "promises": "promise", "warns": "warn", "urges": "urge",
    "charges": "charge", "demands": "demand", "answers": "answer", "offers": "offer",
    "offered": "offer", "comments": "comment", "quipped": "quip", "snapped": "snap",
    "chimed in": "chime in", "chimes in": "chime in", "put it": "put",
}
CUE_LEMMAS.update({k: v for k, v in _ADJ_EXTRA.items() if k not in CUE_LEMMAS and " " in k})
