"""A small grammar of names, titles and pronouns for speaker resolution.

Pure and rule based: no NLP library.  ``EntityTable`` collects the person
names written in one document so that a later surname ("Reyes"), a title
plus surname ("Mr. Reyes") or a pronoun can be resolved to the fullest name
("Tom Reyes").
"""

from __future__ import annotations

import functools
import re

PRONOUNS = frozenset("he she they it we i you him her them us me who one".split())
#: pronouns that refer to one person (resolved to a name)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})

#: words that only ever precede a name ("Sen. Ann Cole"); dropped from names
TITLES = frozenset(
    """
    sen sen. senator rep rep. representative gov gov. governor president
    vice secretary press mr mr. mrs mrs. ms ms. miss dr dr. gen gen. general
    lt lt. col col. adm adm. rev rev. judge justice mayor speaker leader
    chairman chairwoman chair director prof prof. professor minister prime
    foreign defense defence attorney ambassador spokesman spokeswoman
    spokesperson former candidate nominee sheriff chief executive ceo
    commissioner pope king queen prince princess sir lord dame councilman
    councilwoman congressman congresswoman assemblyman assemblywoman deputy
    officer captain capt capt. sgt sgt. sergeant host anchor correspondent
    analyst editor founder coach pastor bishop rabbi imam father sen.-elect
    state-sen. lawmaker strategist adviser advisor aide manager economist
    pollster activist businessman billionaire mogul columnist commentator
    republican democrat democratic gop independent presidential majority
    minority whip federal white house national campaign senior top
    acting interim assistant associate executive general counsel solicitor
    first lady gop gop. communications comms political chairperson
    """.split()
)

#: words that make a capitalised run an organisation or a place, not a person
ORG_WORDS = frozenset(
    """
    department ministry office house senate congress committee commission
    council party campaign center centre institute university college school
    foundation association union agency administration bureau service company
    corp corp. corporation inc inc. group network news times post journal
    tribune herald press report magazine review daily fund bank court army
    navy force forces police board church club coalition alliance
    organization organisation institution project pac society league
    federation media government kremlin pentagon republicans democrats
    caucus authority watch statement states kingdom nations county city
    street avenue airport hospital channel fox cnn msnbc abc nbc cbs npr
    bbc reuters ap twitter facebook instagram youtube google website
    blog poll survey times-picayune gazette observer globe monitor examiner
    telegraph guardian independent economist politico breitbart huffpost
    huffington axios bloomberg street journal
    """.split()
)

#: heads of definite descriptions that refer to a person ("the senator")
PERSON_ROLES = frozenset(
    """
    expert analyst senator governor candidate nominee spokesman spokeswoman
    spokesperson official aide president congressman congresswoman lawmaker
    businessman businesswoman billionaire mogul professor scholar economist
    adviser advisor strategist director chairman chairwoman secretary
    minister ambassador mayor judge justice general leader founder author
    researcher activist host pastor reverend veteran diplomat envoy
    representative congressman republican democrat frontrunner front-runner
    speaker sheriff attorney lawyer counsel commissioner chief executive
    manager officer correspondent columnist writer pollster man woman
    """.split()
)

#: capitalised words that start sentences but are not names
FUNCTION_CAPS = frozenset(
    """
    the a an but and or so yet if when while after before as at in on of for
    from to by with without into about under over this that these those it
    he she they we i you his her their its our my your there here then now
    today yesterday tomorrow still also even meanwhile however although
    though because since until unless whether where what who why how which
    last next other another many most some such all both each every no not
    only just according during despite given instead later earlier asked
    monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november
    december mr mrs ms dr neither nor either maybe perhaps indeed instead finally
    thus hence plus rather
    """.split()
)

#: the pieces of ``CAP_RUN``, also for scans that reuse its grammar (transforms.quotes):
#: no word-like character before; a first token; then more tokens, each after a
#: ``CAP_JOIN`` (whitespace, not after a sentence's final period) and maybe a particle
CAP_RUN_LOOKBEHIND = r"(?<![\w'\u2019.\-])"
#: a particle written onto a surname: "al-Assad", "deSantis"
CAP_PREFIX = r"(?:al|el|bin|van|von|de|da|del|di|du|la|le|der|ibn)"
# a capitalised token: "Reyes", "O'Brien", "al-Amin", "McAllister", "U.S.", "J."
CAP_TOKEN = r"(?:[A-Z][\w'\u2019.\-]*|" + CAP_PREFIX + r"-?[A-Z][\w'\u2019\-]*)"
# a run continues past a token ending in "." only when that token is short
# ("Mr.", "J.", "Sen.", "U.S."): "the Ku Klux Klan. And then" is two runs
CAP_JOIN = r"(?:(?<![.])|(?<=\b[A-Z]\.)|(?<=\b[A-Z][a-z]\.)|(?<=\b[A-Z][a-z]{2}\.)|(?<=\.[A-Z]\.)|(?<=Capt\.)|(?<=Prof\.)|(?<=Supt\.)|(?<=Atty\.)|(?<=Msgr\.))\s+"
#: a particle standing before a surname: "Ursula von der Leyen"
CAP_PARTICLE = r"(?:de|da|van|von|bin|al|la|le|del|di|du|der|den|ibn)"
CAP_MORE = r"(?:" + CAP_PARTICLE + r"\s+)?" + CAP_TOKEN
CAP_RUN = re.compile(CAP_RUN_LOOKBEHIND + CAP_TOKEN + r"(?:" + CAP_JOIN + CAP_MORE + r")*")
_POSSESSIVE = re.compile(r"['\u2019]s?$")


_LEADING_DROP = FUNCTION_CAPS | TITLES


@functools.lru_cache(maxsize=65536)
@functools.cache
def territories() -> frozenset[str]:
    """Country and region names in English (CLDR, through Babel, which trafilatura's date
    parsing already installs): "Russia said" is a state speaking, and "South Africa" is
    no one's full name."""
    from babel import Locale

    return frozenset(Locale("en").territories.values())


def clean_name(run: str) -> str | None:
    """A capitalised run -> the person name in it, or None.

    Strips leading function words and titles and a trailing possessive;
    returns None when what is left looks like an organisation or is empty.
    """
    toks = run.split()
    i = 0
    n = len(toks)
    while i < n and toks[i].lower().rstrip(",") in _LEADING_DROP:
        i += 1
    if i == n:
        return None
    if i:
        toks = toks[i:]
    last = toks[-1]
    if len(last) > 2:
        last = _POSSESSIVE.sub("", last).rstrip(".")
        if not last:
            return None
        toks[-1] = last
    for t in toks:
        if t.lower().strip(".") in ORG_WORDS:
            return None
    for t in toks:  # acronyms: NATO, ISIS, FBI
        if len(t) > 1 and t.isupper() and "." not in t:
            return None
    return " ".join(toks)


#: role words as written (titles, nouns) -> canonical role
ROLE_CANON: dict[str, str] = {
    "sen": "senator",
    "sen.": "senator",
    "senator": "senator",
    "rep": "congressman",
    "rep.": "congressman",
    "representative": "congressman",
    "congressman": "congressman",
    "congresswoman": "congressman",
    "gov": "governor",
    "gov.": "governor",
    "governor": "governor",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "businessman": "businessman",
    "businesswoman": "businessman",
    "chairman": "chairman",
    "chairwoman": "chairman",
    "chair": "chairman",
    "prof": "professor",
    "prof.": "professor",
    "front-runner": "frontrunner",
}
for _w in """expert analyst candidate nominee official aide president lawmaker billionaire mogul
    professor scholar economist adviser advisor strategist director secretary minister
    ambassador mayor judge justice general leader founder author researcher activist host
    pastor veteran diplomat envoy frontrunner speaker sheriff attorney lawyer commissioner
    manager officer correspondent columnist writer pollster""".split():
    ROLE_CANON.setdefault(_w, _w)
ROLE_CANON["advisor"] = "adviser"

#: a description's head -> the roles that imply it ("the lawmaker" may be a senator;
#: "the front-runner" is not just any candidate)
ROLE_CLASSES: dict[str, frozenset[str]] = {
    "lawmaker": frozenset({"lawmaker", "senator", "congressman"}),
    "expert": frozenset({"expert", "professor", "analyst", "scholar", "researcher", "economist"}),
    "candidate": frozenset({"candidate", "nominee", "frontrunner"}),
    "front-runner": frozenset({"frontrunner"}),
    "congresswoman": frozenset({"congressman"}),
    "spokeswoman": frozenset({"spokesperson"}),
    "spokesman": frozenset({"spokesperson"}),
    "businesswoman": frozenset({"businessman"}),
    "chairwoman": frozenset({"chairman"}),
    "advisor": frozenset({"adviser"}),
}

#: gender shown by a title or role word
GENDERED = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "congressman": "m",
    "congresswoman": "f",
    "spokesman": "m",
    "spokeswoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "businessman": "m",
    "businesswoman": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "sir": "m",
    "lord": "m",
    "dame": "f",
    "father": "m",
    "sister": "f",
    "brother": "m",
    "wife": "f",
    "husband": "m",
    "mother": "f",
    "son": "m",
    "daughter": "f",
    "widow": "f",
    "actress": "f",
    "actor": "m",
}
#: common English given names whose gender is clear: the commonest names of the US Social
#: Security Administration's lists of baby names (top 100 by decade, 20th century), and the
#: usual short forms of some (a general list, not one of the people of any news story)
FIRST_NAME_GENDER: dict[str, str] = {}
for _n in """john james robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george
    edward ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry
    justin scott brandon benjamin samuel frank gregory raymond alexander patrick jack dennis
    jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter ethan jeremy
    harold keith christian roger noah gerald carl terry sean austin arthur lawrence jesse
    dylan bryan joe jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph
    randy eugene vincent russell elijah louis bobby philip johnny
    mike ben bill jim tom tim jeff bob dan dave steve tony ed ken ron greg doug""".split():
    FIRST_NAME_GENDER[_n] = "m"
for _n in """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa
    deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna
    brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
    janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina
    lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria
    ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise
    amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
    charlotte rose alexis kayla
    kate liz beth sue jenny debbie kathy cathy peggy""".split():
    FIRST_NAME_GENDER[_n] = "f"


class EntityTable:
    """Person names of one document, keyed by surname, with the roles and the
    gender the text shows for them."""

    __slots__ = ("by_last", "counts", "roles", "role_at", "gender")

    def __init__(self) -> None:
        self.by_last: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.roles: dict[str, set[str]] = {}
        self.role_at: dict[str, int] = {}  # name -> first paragraph showing a role
        self.gender: dict[str, str] = {}

    def add_role(self, name: str, word: str, at: int = 0) -> None:
        """Record that ``name`` was introduced with the role or title ``word``
        (in paragraph ``at``)."""
        w = word.lower()
        role = ROLE_CANON.get(w)
        if role is not None:
            self.roles.setdefault(name, set()).add(role)
            if name not in self.role_at:
                self.role_at[name] = at
        g = GENDERED.get(w)
        if g is not None:
            self.set_gender(name, g)

    def set_gender(self, name: str, g: str) -> None:
        last = name.split()[-1].lower()
        cur = self.gender.get(last)
        # conflicting evidence (two people sharing a surname): unknown
        self.gender[last] = g if cur in (None, g) else "?"

    def gender_of(self, name: str) -> str | None:
        toks = name.split()
        if not toks:
            return None
        g = self.gender.get(toks[-1].lower())
        if g is None and len(toks) > 1:
            g = FIRST_NAME_GENDER.get(toks[0].lower())
        return None if g == "?" else g

    def with_role(self, head: str) -> dict[str, int]:
        """Full names of the people introduced with a role a description's head
        denotes -> the first paragraph that shows the role."""
        head = head.lower()
        wanted = ROLE_CLASSES.get(head) or frozenset({ROLE_CANON.get(head, head)})
        out: dict[str, int] = {}
        for n, rs in self.roles.items():
            if rs & wanted:
                full = self.resolve(n)
                at = self.role_at[n]
                out[full] = min(at, out.get(full, at))
        return out

    def add_text(self, text: str) -> None:
        for m in CAP_RUN.finditer(text):
            run = m.group(0)
            if " " not in run:
                continue
            name = clean_name(run)
            if name is None or " " not in name:
                continue
            self.add_name(name)

    def add_name(self, name: str) -> None:
        toks = name.split()
        if len(toks) < 2 or len(toks) > 4 or name in territories():
            return  # "South Africa", "New Zealand": a place, not a person's full name
        self.counts[name] = self.counts.get(name, 0) + 1
        last = toks[-1].lower()
        cur = self.by_last.get(last)
        if (
            cur is None
            or (len(name) > len(cur) and cur.split()[0] in name)
            or (self.counts[name] > self.counts.get(cur, 0) and len(name.split()) >= len(cur.split()))
        ):
            self.by_last[last] = name

    def resolve(self, name: str) -> str:
        """A (partial) name -> the fullest form of it seen in the document."""
        toks = name.split()
        if not toks:
            return name
        full = self.by_last.get(toks[-1].lower())
        if full and len(full) >= len(name) and (len(toks) == 1 or toks[0] in full.split()):
            return full
        return name

    def is_person(self, name: str) -> bool:
        toks = name.split()
        if len(toks) >= 2:
            return True
        return toks[0].lower() in self.by_last if toks else False
