"""The reporting-verb lexicon: which words are attribution cues, and their lemmas.

The verbs come from a general description of English, not from any set of
articles: the verbs of communication of B. Levin, *English Verb Classes and
Alternations* (1993), chapter 37 (37.1 transfer of a message, 37.2 tell, 37.3
manner of speaking, 37.4 instrument of communication, 37.5 talk, 37.6
chitchat, 37.7 say, 37.8 complain, 37.9 advise), the declare and conjecture
verbs that take a clause (29.4–29.5: admit, concede, insist …), the
nonverbal-expression verbs that report how words were said (40.2: laugh,
sigh), and the reporting verbs of style guides for quoting sources (answer
and continuation verbs: reply, retort, add, continue; evaluative ones: boast,
concede, scoff; the media of news: tweet, post).  Their forms come from
regular English morphology (:func:`inflect`) and the standard irregular pasts.

Where a form may stand decides whether it is a cue:

* anywhere in a sentence: the third person, past and -ing forms of verbs that
  take the reported words as their complement ("X said …", "X argues that …");
* only right after a quotation's close mark and its subject (``"…," X notes``),
  where nothing but a verb can stand: the forms that are also common nouns
  ("a report", "the claims"), and verbs that usually take a noun-phrase object
  ("X described the plan", "X quoted a poll");
* the base form ("say") only after a modal or "to" and right after a close mark
  (``"…," he will say``): elsewhere it is an imperative, a noun, or an infinitive
  in a clause that reports what someone else will say.  (Plain base forms after
  a close mark, "…," they say, were tried: they lost on both folds.)
"""

from __future__ import annotations

#: verbs whose complement is the reported words or a clause (Levin 37.1-37.9, 29.4-29.5, 40.2;
#: style guides' reporting verbs)
CLAUSE_VERBS = """
say tell write ask explain recount relay narrate dictate
announce articulate blurt claim confess confide convey declare disclose divulge
mention note observe proclaim propose remark repeat reiterate report reveal state suggest
affirm allege assert aver avow certify comment contend maintain testify vow warn
complain grouse grumble object protest lament moan gripe
admonish advise alert caution counsel instruct urge remind
admit acknowledge agree concede conclude confirm insist reason argue predict promise pledge
answer reply respond retort rejoin counter rebut react
add continue interject interrupt resume
bark bellow boom cry drawl gasp groan growl hiss holler howl mumble murmur mutter roar scream
screech shout shriek snap snarl stammer stutter thunder wail whimper whine whisper yell chant sing
joke quip boast brag concur demand emphasize emphasise exclaim gush marvel muse opine plead implore
scoff sniff fume rage stress underscore recall remember wonder hint imply indicate
chide scold lecture assure reassure tweet post laugh sigh chuckle sob charge blast slam mock
""".split()

#: verbs that usually take a noun-phrase object or none (the talk verbs, Levin 37.5: "spoke
#: about", "talking at length"): cues only right after a close mark and its subject ("“…,” X pressed"), and not as participles there ("“…,” offering a plan")
ADJACENT_ONLY_VERBS = """
offer quote read press tout beam riff smile shrug nod speak talk express reflect
""".split()
#: forms of CLAUSE_VERBS that are common count nouns ("a report", "the claims",
#: "his promises"): cues only right after a close mark, like ADJACENT_ONLY_VERBS
NOUN_FORMS = frozenset(
    """
report reports state states post posts note notes quote quotes counter counters answer answers
comment comments claim claims charge charges tweet tweets demand demands promise promises vow vows
joke jokes pledge pledges warning protest protests object objects remark remarks reply replies
response cry cries chant chants shout shouts boom booms roar roars whisper whispers sigh sighs laugh
laughs groan groans snap snaps gripe gripes wonder wonders stress reason reasons talk talks
""".split()
)

#: standard irregular forms (third person, past, participle, -ing) of the verbs above
IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "read": ("reads", "read", "reading"),
    "sing": ("sings", "sang", "sung", "singing"),
    "teach": ("teaches", "taught", "teaching"),
}

#: verbs with a particle, each (lemma, its forms)
PHRASAL = {
    "go on": ("goes on", "went on"),
    "point out": ("points out", "pointed out", "pointing out"),
    "sum up": ("sums up", "summed up", "summing up"),
    "fire back": ("fires back", "fired back", "firing back"),
    "shoot back": ("shoots back", "shot back", "shooting back"),
    "hit back": ("hits back", "hitting back"),
    "push back": ("pushes back", "pushed back", "pushing back"),
    "chime in": ("chimes in", "chimed in", "chiming in"),
    "weigh in": ("weighs in", "weighed in", "weighing in"),
    "spell out": ("spells out", "spelled out", "spelt out", "spelling out"),
    "according to": ("according to",),
}
#: only right after a close mark: "as X put it" reads "…," as Smith put it
ADJACENT_PHRASAL = {"put": ("put it", "puts it")}

#: words after which a base form is a verb: "he will say", "went on to say"
MODALS = "will would could can may might must should shall did does do to".split()

#: stress-final verbs of two syllables double their last consonant like monosyllables ("admitted")
_STRESS_FINAL = frozenset("admit rebut concur confer prefer refer compel aver regret commit submit".split())
_VOWELS = "aeiou"


def _doubles(verb: str) -> bool:
    """Whether the final consonant doubles before -ed/-ing: one vowel before one consonant,
    in a monosyllable or a stress-final verb (snap -> snapped, admit -> admitted)."""
    if len(verb) < 3 or verb[-1] in _VOWELS + "wxy" or verb[-2] not in _VOWELS:
        return False
    # one vowel letter before the consonant; the "u" of "qu" is part of the consonant (quip -> quipped)
    if verb[-3] in _VOWELS and verb[-4:-2] != "qu":
        return False
    syllables = sum(1 for i, c in enumerate(verb) if c in _VOWELS and (i == 0 or verb[i - 1] not in _VOWELS))
    return syllables == 1 or verb in _STRESS_FINAL


def inflect(verb: str) -> tuple[str, str, str]:
    """(third person, past, -ing) of a regular verb, by English spelling rules."""
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in _VOWELS:
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if verb.endswith("e"):
        past, ing = verb + "d", (verb + "ing" if verb.endswith(("ee", "ye", "oe")) else verb[:-1] + "ing")
    elif verb.endswith("y") and verb[-2] not in _VOWELS:
        past, ing = verb[:-1] + "ied", verb + "ing"
    elif _doubles(verb):
        past, ing = verb + verb[-1] + "ed", verb + verb[-1] + "ing"
    else:
        past, ing = verb + "ed", verb + "ing"
    return third, past, ing


def _forms(verb: str) -> tuple[str, ...]:
    return IRREGULAR.get(verb) or inflect(verb)


#: cue as written (lower case) -> lemma: every form this module knows
CUE_LEMMAS: dict[str, str] = {}
#: the forms that are cues anywhere in a sentence
ANYWHERE_CUES: set[str] = set()
for _verb in CLAUSE_VERBS:
    for _form in _forms(_verb):
        CUE_LEMMAS[_form] = _verb
        if _form not in NOUN_FORMS:
            ANYWHERE_CUES.add(_form)
    for _modal in MODALS:
        CUE_LEMMAS[f"{_modal} {_verb}"] = _verb
for _verb in ADJACENT_ONLY_VERBS:
    for _form in _forms(_verb):
        if not _form.endswith("ing"):
            CUE_LEMMAS.setdefault(_form, _verb)
for _lemma, _phrases in PHRASAL.items():
    for _form in _phrases:
        CUE_LEMMAS[_form] = _lemma
        ANYWHERE_CUES.add(_form)
for _lemma, _phrases in ADJACENT_PHRASAL.items():
    for _form in _phrases:
        CUE_LEMMAS[_form] = _lemma
ANYWHERE_CUES = frozenset(ANYWHERE_CUES)
#: the forms that are cues right after a close mark and its subject: all of them
ADJACENT_CUES = frozenset(CUE_LEMMAS)

#: capitalised cues, at a sentence's start ("Said Smith, …", "Adding, “…”"): the commonest
#: say verbs' forms that open a sentence without being a name; a run never reads as one
CAPITAL_CUES = ("Said", "Says", "Added", "Adding", "Asked", "According to")
#: and right after a close mark, where a capital is a typo or a headline's style
ADJACENT_CAPITAL_CUES = CAPITAL_CUES + ("Tweeted", "Wrote", "Told")
assert not any(w[:1].isupper() for w in CUE_LEMMAS)
