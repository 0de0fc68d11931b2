"""Generate a deterministic corpus of realistic scraped news pages for the scale benchmark.

    python bench/generate_corpus.py --n 100000 --out bench/corpus/txt-100000 --kinds txt
    python bench/generate_corpus.py --n 5000 --out bench/corpus/html-5000 --kinds html

Writes N pages per kind:

* ``DIR/txt/<shard of 1000>/<id>.txt`` — the visible text of a page as a scraper saves
  it (5–15 KB): article paragraphs with quotes in the usual styles, interleaved with
  the furniture a cleaner has to remove (video playlists, captions and credits, image
  file names, "Also read:" links, menus, share / newsletter / cookie prompts, footers,
  "Story highlights" blocks).
* ``DIR/html/<shard of 1000>/<id>.html`` — the same kind of article as a full page
  (50–150 KB): <head> with meta tags, big inline <script>/<style>, <nav>, <header>,
  <footer>, <aside>, <figure>, and the article in <article><p>.
* ``DIR/jsonl/part-XXXXX.jsonl.gz`` — 1,000 records each: id, text, url, publisher,
  title, published_at (the text pages' content).

Every page is built from its own ``random.Random`` seeded by (seed, kind, page number),
so a page does not depend on how the work was split across processes, and the same
seed gives the same bytes.  All text is made up here from word lists and templates.
A finished directory holds ``DIR/.complete`` (a hidden file: the pipeline ignores it).

Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import sys
import time

SHARD_FILES = 1000
JSONL_RECORDS = 1000
GENERATOR_VERSION = 2

# --------------------------------------------------------------------------- word lists

FIRST = """Amara Ben Carla Dmitri Elena Farid Grace Hiroshi Ines Jonas Kamala Lars Maya Nikolai
Olga Pedro Quentin Rosa Samir Tamar Ulrich Vera Wen Ximena Yusuf Zofia Adrian Bianca Cyrus Daria
Emil Fatima Gideon Hana Ivan Julia Kofi Leila Marco Nadia Oscar Priya Rafael Sofia Tobias Ursula
Viktor Wanda Yara Anton Beatriz Colin Delphine Ewan Freya Gustavo Helga Idris Joanna Kenji Lucia
Mikhail Nora Omar Paula Reza Selma Theo Valentina William Agnes Boris Celine Dario Esther Felix""".split()

LAST = """Abernathy Bakhtiar Castellano Dubois Eriksen Fairweather Gonzaga Halvorsen Ibarra Jankowski
Kowalczyk Lindqvist Mansour Novak Okafor Petrenko Quinlan Rasmussen Sokolov Tanaka Uddin Varga
Whitcombe Yilmaz Zelenko Ashworth Brennan Carvalho Delacroix Esposito Ferreira Galloway Hartmann
Ivanova Jovanovic Kaminski Lachance Moreau Nakamura Oyelaran Pacheco Rahimi Szabo Thornbury Ulloa
Vasquez Wexler Yamamoto Zhukov Albescu Barros Cheng Dimitrov Engel Fontaine Grieve Haddad Iqbal
Jaramillo Kessler Lombardi Marchetti Nieminen Orlov Papadakis Rinaldi Stavros Toivonen Underhill
Voss Winslow Yoshida Zamora Bergstrom Calloway Drummond Everly Falk Guerrero""".split()

TITLES = [
    "a spokesperson for the {org}",
    "the director of the {org}",
    "a senior analyst at the {org}",
    "an associate professor at {univ}",
    "the deputy minister of {ministry}",
    "the mayor of {city}",
    "a research fellow at the {org}",
    "the chief economist at {company}",
    "a former adviser to the {org}",
    "the head of communications at {company}",
    "a lawmaker from {city}",
    "the chair of the {org}",
    "a veteran diplomat",
    "an independent energy consultant",
    "the chief executive of {company}",
    "a union representative in {city}",
    "a historian at {univ}",
    "the regional governor",
]
ORGS = """Institute for Regional Studies|Center for Maritime Policy|National Grid Authority|Council on
Water Security|Federation of Small Farmers|Bureau of Transport Safety|Agency for Coastal Affairs|Foundation
for Open Budgets|Association of Rural Clinics|Commission on Fair Elections|Office of Public Health
Data|Alliance of Port Cities|Forum for Eastern Trade|League of Municipal Engineers|Observatory of
Urban Housing|Board of Aviation Standards""".replace("\n", " ").split("|")
UNIVS = [
    "Northfield University",
    "the University of Carrow Bay",
    "Eastmere College",
    "Riverton State University",
    "the Polytechnic of Vales",
    "Harrowgate University",
    "the Lindon School of Economics",
]
MINISTRIES = ["energy", "finance", "health", "transport", "foreign affairs", "agriculture", "labour", "education"]
COMPANIES = [
    "Meridian Freight",
    "Solvane Energy",
    "Kestrel Pharmaceuticals",
    "Brightwater Utilities",
    "Halcyon Motors",
    "Orchard Bank",
    "Tessellate Systems",
    "Corvid Airlines",
    "Granite Mutual",
    "Bluefin Telecom",
    "Amberline Foods",
    "Northstar Mining",
]
CITIES = """Ardmore Belvale Castlemoor Dunmere Eastbrook Fallowfield Glenrock Harwick Ironbridge
Juniper_Falls Kingsport Lowmere Marlow_Bay Newhaven Oakridge Port_Elwyn Queensferry Redcliff
Stonebridge Thornton Upton_Vale Westmarch Yarrowby Zennor""".split()
CITIES = [c.replace("_", " ") for c in CITIES]
COUNTRIES = [
    "the republic",
    "the federation",
    "neighbouring states",
    "the coastal provinces",
    "the northern region",
    "the union",
    "the eastern bloc of states",
    "the island nations",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
OUTLETS = [
    "the Morning Ledger",
    "Radio Carrow",
    "the Evening Courier",
    "a local broadcaster",
    "reporters",
    "the Daily Harbinger",
    "our newsroom",
    "the Sunday Gazette",
]

SUBJECTS = [
    "The government",
    "Officials in {city}",
    "The {org}",
    "Investors",
    "Residents of {city}",
    "The city council",
    "Lawmakers",
    "The central bank",
    "Opposition parties",
    "Regulators",
    "{company}",
    "Aid agencies",
    "Farmers near {city}",
    "Negotiators",
    "The ministry of {ministry}",
    "Police in {city}",
    "Emergency crews",
    "Teachers' unions",
    "Shipping firms",
    "Local businesses",
]
VERBS_PAST = [
    "announced",
    "postponed",
    "rejected",
    "approved",
    "criticised",
    "defended",
    "unveiled",
    "suspended",
    "expanded",
    "questioned",
    "delayed",
    "welcomed",
    "reviewed",
    "scrapped",
    "extended",
    "challenged",
    "endorsed",
    "abandoned",
    "revised",
    "confirmed",
]
OBJECTS = [
    "a plan to widen the ring road",
    "the new budget proposal",
    "a ban on night flights",
    "the long-awaited housing reform",
    "talks over fishing rights",
    "a tax on sugary drinks",
    "emergency funding for hospitals",
    "the merger of two regional banks",
    "a pilot scheme for free buses",
    "the ceasefire agreement",
    "stricter rules on short-term rentals",
    "a review of water prices",
    "the expansion of the container port",
    "new limits on river pollution",
    "a curfew in the old town",
    "the rollout of smart meters",
    "a deal to reopen the border crossing",
    "plans for a second runway",
    "the closure of three rural schools",
    "an inquiry into the rail accident",
]
TIMES = [
    "on {weekday}",
    "late on {weekday}",
    "earlier this week",
    "last month",
    "on {weekday} morning",
    "after weeks of debate",
    "in a surprise move",
    "for the second time this year",
    "{weekday} evening",
    "in {month}",
    "at a hastily arranged briefing",
    "after a night of negotiations",
]
CLAUSES = [
    "a decision that surprised many observers",
    "citing concerns about rising costs",
    "despite protests outside the building",
    "amid growing pressure from neighbouring towns",
    "ahead of elections due in {month}",
    "after a report found serious failings",
    "in a vote that split the ruling coalition",
    "following months of delays",
    "as prices continued to climb",
    "while critics called the move premature",
    "a step welcomed by business groups",
    "saying more time was needed",
    "as the dispute entered its fourth week",
    "with little public debate",
]
ADJ = ["sharp", "modest", "surprising", "steady", "dramatic", "gradual", "significant", "brief", "partial"]
NOUNS = [
    "rise in rents",
    "drop in exports",
    "increase in hospital admissions",
    "fall in unemployment",
    "jump in fuel prices",
    "decline in tourist numbers",
    "shortage of teachers",
    "surge in online fraud",
    "slowdown in construction",
    "rebound in factory orders",
    "backlog of asylum claims",
]
NUMBERS = [
    "12",
    "40",
    "3.5",
    "nearly 300",
    "more than 1,200",
    "about 75,000",
    "two-thirds",
    "a quarter",
    "18",
    "roughly 9,000",
    "almost half",
    "six",
    "15 percent",
    "27",
    "at least 140",
]

NARRATIVE = [
    "{subject} {verb} {object} {time}, {clause}.",
    "{subject} {verb} {object} {time}.",
    "The figures point to a {adj} {noun} in {city} over the past year.",
    "{time_cap}, {subj_l} {verb} {object}.",
    "According to official data, {number} households in {city} were affected.",
    "It is the {ordinal} time since {month} that {subj_l} have {verb} {object}.",
    "Analysts had expected a {adj} {noun}, but the numbers released {time} suggest otherwise.",
    "The move comes as {country} faces a {adj} {noun}.",
    "Critics say the measure does little to address the {noun}.",
    "Some {count} people gathered in central {city} {time} to demand {object2}.",
    "The {org} has not yet published its own estimate.",
    "Negotiations are expected to resume in {month}, though no date has been set.",
    "Turnout in {city} was {adj} compared with the previous vote.",
    "{company} said its shares fell {pct} after the announcement.",
    "Officials declined to say how much the programme would cost.",
    "In {city}, where the {noun} has been most visible, the mood is {mood}.",
    "The proposal would need the backing of {country} before it could take effect.",
    "A {adj} {noun} was recorded in the three months to {month}.",
    "Previous attempts to settle the matter collapsed in {month}.",
    "Neither side has shown much willingness to compromise.",
    "Schools in {city} will remain closed until at least {weekday}.",
    "The report, which runs to {number} pages, was leaked to the press {time}.",
]
COUNTS = ["200", "several hundred", "about 4,000", "more than 10,000", "a few dozen", "nearly 1,500"]
MOODS = ["tense", "weary", "cautiously hopeful", "angry", "resigned", "quietly optimistic", "uncertain"]
ORDINALS = ["second", "third", "fourth", "fifth", "first"]

QUOTE_OPENERS = [
    "We",
    "Our members",
    "People in {city}",
    "Families",
    "Voters",
    "Workers here",
    "Young people",
    "Patients",
    "Small businesses",
    "Our volunteers",
]
QUOTE_BODIES = [
    "{opener} cannot keep waiting for a decision that should have been made years ago",
    "{opener} did not take this step lightly, and we will review it again in {month}",
    "{opener} deserve a straight answer about where the money went",
    "There is simply no plan B if the talks fail",
    "{opener} will not accept a deal that leaves {city} worse off",
    "The numbers speak for themselves",
    "{opener} have been warning about this for a long time, and nobody listened",
    "It is far too early to say whether the measure is working",
    "{opener} owe it to the next generation to get this right",
    "This is a {adj} setback, but it is not the end of the process",
    "Frankly, the proposal raises more questions than it answers",
    "{opener} are prepared to sit down with anyone who is serious about a solution",
    "Nothing about this situation is normal",
    "The risk is that {city} becomes a warning rather than a model",
    "{opener} expected resistance, but not on this scale",
    "If the rules change every six months, nobody can plan anything",
    "What happened in {city} must never be allowed to happen again",
    "{opener} want to see the evidence before we sign anything",
]
PARTIALS = [
    "a betrayal of trust",
    "deeply irresponsible",
    "a step in the right direction",
    "long overdue",
    "frankly suspicious",
    "the worst of both worlds",
    "a dangerous precedent",
    "simply unworkable",
    "a historic opportunity",
    "reckless and short-sighted",
    "an honest mistake",
]
CUES = ["said", "said", "said", "told {outlet}", "added", "warned", "argued", "insisted", "noted", "explained"]

# --------------------------------------------------------------------------- boilerplate

CREDITS = [
    "Getty Images",
    "CNN",
    "Reuters",
    "AP",
    "AFP via Getty Images",
    "Fox News/Twitter",
    "Courtesy of the family",
    "{last}/Getty Images",
    "{first} {last}/AP",
    "Handout",
    "{first} {last}/Reuters",
    "Screenshot/YouTube",
    "Pool/Getty Images",
    "{publisher}",
    "NASA/Goddard",
    "Bloomberg via Getty Images",
]
VIDEO_TITLES = [
    "See the moment the bridge reopened",
    "Why {city} is running out of water",
    "{last} storms off stage during debate",
    "Inside the race to rebuild {city}",
    "5 ways to cut your energy bill",
    "Watch: flood waters reach {city} centre",
    "What the new budget means for you",
    "{first} {last} explains the plan in 60 seconds",
    "Drone footage shows damage in {city}",
    "How a small bakery survived the lockdown",
    "The truth about {noun}",
    "Crowds gather as {company} workers strike",
    "Meet the teenager who built a satellite",
    "Analyst: markets are pricing in a {adj} {noun}",
    "Rescue teams search for survivors near {city}",
]
CAPTIONS = [
    "Protesters gather outside the council building in {city} on {weekday}, {month} {day}, {year}.",
    "{first} {last}, {short_title}, speaks to reporters in {city} on {month} {day}.",
    "A worker inspects damage to a warehouse on the outskirts of {city}.",
    "Commuters wait for a delayed train at {city} station during the strike.",
    "Volunteers hand out food parcels in {city} on {month} {day}, {year}.",
    "The container terminal in {city} seen from the air earlier this year.",
    "Delegates arrive for the second day of talks in {city}.",
    "{first} {last} attends a ceremony marking the anniversary of the flood in {city}.",
]
SHORT_TITLES = [
    "the regional governor",
    "the finance minister",
    "the union leader",
    "the mayor",
    "the chief executive",
    "the opposition leader",
]
RELATED_PREFIX = ["Also read:", "Recommended:", "Read more:", "Related:", "READ MORE:", "See also:", "More:"]
SHARE = [
    "Share this article",
    "Share on Facebook",
    "Share on Twitter",
    "Share via Email",
    "Copy link",
    "Comments",
    "Print this page",
    "Follow us on Twitter",
    "Follow us on Facebook",
    "Join the conversation",
]
NEWSLETTER = [
    "Sign up for our daily newsletter",
    "Subscribe to our newsletter for the latest updates",
    "Get the morning briefing in your inbox",
    "Enter your email address",
    "Subscribe",
    "You have been successfully subscribed",
    "Sign up for free",
]
COOKIE = [
    "We use cookies to improve your experience on our site.",
    "By continuing to use this site you agree to our use of cookies.",
    "Accept all cookies",
    "Manage preferences",
    "This site uses cookies. Learn more in our Privacy Policy.",
]
ADS = [
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Sponsored content",
    "Scroll to continue with content",
]
SECTIONS = [
    "Home",
    "World",
    "Politics",
    "Business",
    "Tech",
    "Science",
    "Health",
    "Sport",
    "Culture",
    "Opinion",
    "Climate",
    "Travel",
    "Video",
    "Podcasts",
    "Live",
    "Markets",
    "Style",
    "Weather",
    "Local",
    "Education",
]
WORDS_A = [
    "Daily",
    "Morning",
    "Evening",
    "Northern",
    "Coastal",
    "Metro",
    "Capital",
    "Weekly",
    "Union",
    "Harbour",
    "Valley",
    "Central",
    "National",
    "Free",
    "Independent",
    "Global",
    "Eastern",
    "Western",
    "Pacific",
    "Prairie",
]
WORDS_B = [
    "Ledger",
    "Courier",
    "Herald",
    "Gazette",
    "Tribune",
    "Observer",
    "Dispatch",
    "Chronicle",
    "Post",
    "Sentinel",
    "Monitor",
    "Record",
    "Standard",
    "Review",
    "Express",
    "Times",
    "Journal",
    "Bulletin",
]


class _Rng(random.Random):
    """``random.Random`` with a cheaper ``choice`` (one C call instead of the bit-level loop)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def _subject(rng: random.Random, values: dict) -> str:
    template = rng.choice(SUBJECTS)
    subject = _fill(template, rng)
    # "Officials in X" inside a sentence reads "officials in X"; a proper name stays as it is.
    values["subj_l"] = subject if template.startswith("{") else subject[0].lower() + subject[1:]
    return subject


def _subj_l(rng: random.Random, values: dict) -> str:
    values["subject"] = _subject(rng, values)
    return values["subj_l"]


def _time(rng: random.Random, values: dict) -> str:
    return _fill(rng.choice(TIMES), rng)


def _time_cap(rng: random.Random, values: dict) -> str:
    t = values["time"]
    return t[0].upper() + t[1:]


_SLOTS = {
    "city": lambda r, v: r.choice(CITIES),
    "org": lambda r, v: r.choice(ORGS),
    "univ": lambda r, v: r.choice(UNIVS),
    "ministry": lambda r, v: r.choice(MINISTRIES),
    "company": lambda r, v: r.choice(COMPANIES),
    "country": lambda r, v: r.choice(COUNTRIES),
    "weekday": lambda r, v: r.choice(WEEKDAYS),
    "month": lambda r, v: r.choice(MONTHS),
    "outlet": lambda r, v: r.choice(OUTLETS),
    "adj": lambda r, v: r.choice(ADJ),
    "noun": lambda r, v: r.choice(NOUNS),
    "number": lambda r, v: r.choice(NUMBERS),
    "count": lambda r, v: r.choice(COUNTS),
    "pct": lambda r, v: f"{r.randint(1, 19)}.{r.randint(0, 9)} percent",
    "mood": lambda r, v: r.choice(MOODS),
    "ordinal": lambda r, v: r.choice(ORDINALS),
    "first": lambda r, v: r.choice(FIRST),
    "last": lambda r, v: r.choice(LAST),
    "day": lambda r, v: str(r.randint(1, 28)),
    "year": lambda r, v: str(r.randint(2014, 2024)),
    "short_title": lambda r, v: r.choice(SHORT_TITLES),
    "object": lambda r, v: r.choice(OBJECTS),
    "object2": lambda r, v: r.choice(OBJECTS),
    "verb": lambda r, v: r.choice(VERBS_PAST),
    "clause": lambda r, v: _fill(r.choice(CLAUSES), r),
    "time": _time,
    "time_cap": _time_cap,
    "subject": _subject,
    "subj_l": _subj_l,
    "opener": lambda r, v: _fill(r.choice(QUOTE_OPENERS), r),
    "publisher": lambda r, v: "{publisher}",  # filled by the page, which knows its publisher
}


class _Values(dict):
    """Slot values drawn on first use, so a template pays only for the slots it has."""

    __slots__ = ("rng",)

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _SLOTS[key](self.rng, self)
        self[key] = value
        return value


def _fill(template: str, rng: random.Random) -> str:
    """Fill the {slots} of ``template`` with words drawn from ``rng``."""
    if "{" not in template:
        return template
    return template.format_map(_Values(rng))


# --------------------------------------------------------------------------- shared pools


class Pools:
    """Precomputed sentences, names and page furniture; built once per process from the seed."""

    def __init__(self, seed: int):
        rng = _Rng(f"pools-{seed}")
        self.sentences = [_fill(rng.choice(NARRATIVE), rng) for _ in range(12000)]
        self.quote_texts = [_fill(rng.choice(QUOTE_BODIES), rng) for _ in range(4000)]
        self.headlines = [self._headline(rng) for _ in range(3000)]
        self.video_titles = [_fill(rng.choice(VIDEO_TITLES), rng) for _ in range(800)]
        self.captions = [_fill(rng.choice(CAPTIONS), rng) for _ in range(1500)]
        self.people = []  # (full name, description)
        for _ in range(1500):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            self.people.append((name, _fill(rng.choice(TITLES), rng)))
        self.publishers = [self._publisher(i, rng) for i in range(50)]
        self.scripts = [self._script_blob(rng, 170_000) for _ in range(6)]
        self.styles = [self._style_blob(rng, 40_000) for _ in range(6)]

    @staticmethod
    def _headline(rng: random.Random) -> str:
        forms = [
            "{subject} {verb} {object}",
            "{city} braces for {adj} {noun}",
            "Why {city} {verb} {object}",
            "{first} {last}: the {adj} {noun} is only beginning",
            "Talks stall as {country} weighs {object}",
            "Inside the fight over {object}",
            "{company} {verb} {object} amid {adj} {noun}",
        ]
        text = _fill(rng.choice(forms), rng)
        return text[0].upper() + text[1:]

    @staticmethod
    def _publisher(i: int, rng: random.Random) -> dict:
        name = f"The {WORDS_A[i % len(WORDS_A)]} {WORDS_B[(i * 7 + 3) % len(WORDS_B)]}"
        slug = name.lower().removeprefix("the ").replace(" ", "")
        domain = f"www.{slug}.example"
        sections = rng.sample(SECTIONS, rng.randint(6, 12))
        menu_style = rng.choice(["lines", "bar", "none"])
        year = rng.randint(2016, 2024)
        footer = [
            f"© {year} {name} Media Group. All rights reserved.",
            rng.choice(
                [
                    "Terms of Use | Privacy Policy | Cookie Settings",
                    "Privacy Policy · Terms of Service · Contact us",
                    "About us | Careers | Advertise with us | Contact",
                    "Terms and Conditions  Privacy  Accessibility",
                ]
            ),
            rng.choice(
                [
                    f"{name} is not responsible for the content of external sites.",
                    f"Registered office: 1 {rng.choice(CITIES)} Road, {rng.choice(CITIES)}.",
                    "Market data provided by a third party and delayed by at least 15 minutes.",
                    f"Got a tip? Write to tips@{slug}.example",
                ]
            ),
        ]
        return {
            "name": name,
            "slug": slug,
            "domain": domain,
            "sections": sections,
            "menu_style": menu_style,
            "footer": footer,
            "quote_style": rng.choice(["curly", "curly", "straight"]),
            "dateline": rng.random() < 0.4,
            "byline": rng.choice(["By {name}", "By {name}, {outlet_name}", "{name} | {outlet_name}"]),
            "playlist_p": rng.choice([0.0, 0.2, 0.5, 0.8]),
            "highlights_p": rng.choice([0.0, 0.3, 0.7]),
            "script": rng.randrange(6),
            "style": rng.randrange(6),
            "tagline": rng.choice(
                [
                    "Independent journalism since 1887",
                    "News you can trust",
                    "Your city, your news",
                    "The region's most-read paper",
                    "Facts first",
                ]
            ),
        }

    @staticmethod
    def _script_blob(rng: random.Random, size: int) -> str:
        parts: list[str] = []
        n = 0
        while n < size:
            k = rng.randrange(6)
            var = f"_{rng.randrange(1 << 20):x}"
            if k == 0:
                s = f"var {var}=function(e,t){{var n=e.length,r=0;for(;r<n;r++){{if(t(e[r],r)===!1)break}}return e}};\n"
            elif k == 1:
                s = (
                    'window.dataLayer=window.dataLayer||[];window.dataLayer.push({"event":"pageview","section":"'
                    f'{rng.choice(SECTIONS).lower()}","id":"{rng.randrange(10**9)}"}});\n'
                )
            elif k == 2:
                s = (
                    f"function {var}(a){{return a.replace(/[&<>\"]/g,function(c){{return{{'&':'&amp;','<':'&lt;',"
                    f"'>':'&gt;','\"':'&quot;'}}[c]}})}}\n"
                )
            elif k == 3:
                s = (
                    f"!function(){{var {var}=document.querySelectorAll('[data-module=\"{rng.choice(SECTIONS).lower()}\"]');"
                    f"for(var i=0;i<{var}.length;i++){{{var}[i].classList.add('is-ready')}}}}();\n"
                )
            elif k == 4:
                s = f"__adSlots.push({{id:'slot-{rng.randrange(999)}',sizes:[[300,250],[728,90]],targeting:{{pos:'{rng.choice(['top', 'mid', 'btm'])}'}}}});\n"
            else:
                s = f"var {var}={json.dumps({'k': rng.randrange(10**6), 'v': rng.choice(WORDS_B), 'on': rng.random() < 0.5})};\n"
            parts.append(s)
            n += len(s)
        return "".join(parts)

    @staticmethod
    def _style_blob(rng: random.Random, size: int) -> str:
        parts: list[str] = []
        n = 0
        props = [
            "margin:0",
            "padding:0 16px",
            "display:flex",
            "font-size:1.125rem",
            "line-height:1.6",
            "color:#222",
            "background:#fff",
            "border-bottom:1px solid #e5e5e5",
            "max-width:1200px",
            "position:relative",
            "font-family:Georgia,serif",
            "text-transform:uppercase",
            "letter-spacing:.04em",
            "gap:12px",
        ]
        while n < size:
            sel = f".{rng.choice(['c', 'u', 'l', 'm', 'o'])}-{rng.choice(SECTIONS).lower()}__{rng.choice(['item', 'link', 'title', 'wrap', 'media', 'meta'])}"
            s = sel + "{" + ";".join(rng.sample(props, rng.randint(2, 5))) + "}\n"
            parts.append(s)
            n += len(s)
        return "".join(parts)


# --------------------------------------------------------------------------- one article


class Article:
    """One page's content as blocks, rendered as visible text, HTML or a JSONL record."""

    __slots__ = ("id", "pub", "title", "date", "author", "blocks", "url")

    def __init__(self, page_no: int, pools: Pools, seed: int, target_chars: int):
        rng = _Rng(seed * 1_000_003 + page_no)
        self.id = f"p{page_no:08d}"
        self.pub = pub = pools.publishers[rng.randrange(len(pools.publishers))]
        self.title = rng.choice(pools.headlines)
        year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
        self.date = (year, month, day, rng.randint(0, 23), rng.randint(0, 59))
        self.author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        slug = "-".join(self.title.lower().replace(":", "").replace("'", "").split()[:8])
        section = rng.choice(pub["sections"]).lower()
        self.url = f"https://{pub['domain']}/{section}/{year}/{month:02d}/{day:02d}/{slug}-{page_no}"
        self.blocks = self._build(rng, pools, target_chars)

    # Blocks: (kind, payload).  Kinds: menu, playlist, image, highlights, editor_note, byline,
    # p (paragraph), quote_p, caption, related, share, newsletter, cookie, ad, footer, subhead.
    def _build(self, rng: random.Random, pools: Pools, target: int) -> list[tuple[str, object]]:
        pub = self.pub
        q_open, q_close = ("“", "”") if pub["quote_style"] == "curly" else ('"', '"')
        blocks: list[tuple[str, object]] = []
        size = 0

        def add(kind: str, payload: object, chars: int) -> None:
            nonlocal size
            blocks.append((kind, payload))
            size += chars

        if pub["menu_style"] != "none":
            add("menu", pub["sections"], 60)
        if rng.random() < 0.3:
            add("cookie", rng.sample(COOKIE, 2), 120)
        if rng.random() < 0.35:
            stem = "_".join(self.title.lower().split()[:5]).replace(",", "").replace(":", "")
            add(
                "image",
                (
                    f"{stem}_{rng.randrange(10000):04d}.jpg",
                    _fill(rng.choice(CREDITS), rng).replace("{publisher}", pub["name"]),
                ),
                120,
            )
        if rng.random() < pub["playlist_p"]:
            entries = []
            for _ in range(rng.randint(3, 12)):
                credit = (
                    _fill(rng.choice(CREDITS), rng).replace("{publisher}", pub["name"]) if rng.random() < 0.5 else None
                )
                caption = rng.choice(pools.captions) if rng.random() < 0.15 else None
                entries.append(
                    (
                        rng.choice(pools.video_titles),
                        f"{rng.randint(0, 6):02d}:{rng.randint(0, 59):02d}",
                        credit,
                        caption,
                    )
                )
            add("playlist", entries, 70 * len(entries))
        if rng.random() < pub["highlights_p"]:
            add("highlights", [rng.choice(pools.sentences) for _ in range(rng.randint(2, 4))], 250)
        if rng.random() < 0.1:
            add(
                "editor_note",
                f"Editor’s Note: {self.author} is a contributor to {pub['name']}. The opinions in this article belong to the author.",
                120,
            )
        add("title", self.title, len(self.title))
        add("byline", (pub["byline"].format(name=self.author, outlet_name=pub["name"]), self._date_line(rng)), 60)

        speakers = [rng.choice(pools.people) for _ in range(rng.randint(2, 4))]
        introduced: set[str] = set()
        n_par = 0
        dateline = f"{rng.choice(CITIES).upper()} ({pub['slug'][:4].upper()}) — " if pub["dateline"] else ""
        while size < target:
            r = rng.random()
            if n_par >= 2 and r < 0.06:
                add(
                    "caption",
                    (
                        rng.choice(pools.captions),
                        _fill(rng.choice(CREDITS), rng).replace("{publisher}", pub["name"]),
                        rng.random() < 0.5,
                    ),
                    160,
                )
            elif n_par >= 2 and r < 0.10:
                prefix = rng.choice(RELATED_PREFIX)
                add(
                    "related",
                    f"{prefix} {q_open}{rng.choice(pools.headlines)}{q_close}"
                    if rng.random() < 0.5
                    else f"{prefix} {rng.choice(pools.headlines)}",
                    80,
                )
            elif n_par >= 3 and r < 0.12:
                add("ad", rng.choice(ADS), 20)
            elif n_par >= 3 and r < 0.14:
                add(
                    "subhead",
                    rng.choice(pools.headlines).split(":")[0].rstrip("?") + "?"
                    if rng.random() < 0.4
                    else rng.choice(pools.headlines),
                    50,
                )
            elif n_par >= 1 and r < 0.45:
                text = self._quote_paragraph(rng, pools, speakers, introduced, q_open, q_close)
                add("p", text, len(text) + 2)
                n_par += 1
            else:
                text = " ".join(rng.choice(pools.sentences) for _ in range(rng.randint(2, 5)))
                if n_par == 0:
                    text = dateline + text
                add("p", text, len(text) + 2)
                n_par += 1
        if rng.random() < 0.5:
            add("related", f"Read more {rng.choice(['about', 'on'])} {rng.choice(CITIES)}", 30)
        add("share", rng.sample(SHARE, rng.randint(2, 4)), 60)
        if rng.random() < 0.6:
            add("newsletter", rng.sample(NEWSLETTER, 2), 80)
        add("footer", pub["footer"] + [pub["tagline"]], 200)
        return blocks

    def _date_line(self, rng: random.Random) -> str:
        y, m, d, hh, mm = self.date
        form = rng.randrange(3)
        if form == 0:
            return f"Updated {hh % 12 or 12}:{mm:02d} {'AM' if hh < 12 else 'PM'} ET, {WEEKDAYS[(d + m) % 7][:3]} {MONTHS[m - 1]} {d}, {y}"
        if form == 1:
            return f"Published {MONTHS[m - 1]} {d}, {y} at {hh:02d}:{mm:02d}"
        return f"{d} {MONTHS[m - 1]} {y}"

    @staticmethod
    def _quote_paragraph(rng, pools, speakers, introduced, qo, qc) -> str:
        name, desc = rng.choice(speakers)
        last = name.split()[-1]
        first_mention = name not in introduced
        introduced.add(name)
        who = f"{name}, {desc}," if first_mention else last  # as a subject: "Name, the title, said"
        q1 = rng.choice(pools.quote_texts)
        q2 = rng.choice(pools.quote_texts)
        cue = _fill(rng.choice(CUES), rng)
        lead = rng.choice(pools.sentences)
        style = rng.randrange(8)
        if style == 0:  # “…,” Name said.
            s = f"{qo}{q1},{qc} {who} {cue}."
        elif style == 1:  # “…,” said Name, the title.
            s = f"{qo}{q1},{qc} said {name}, {desc}." if first_mention else f"{qo}{q1},{qc} said {last}."
        elif style == 2:  # according to Name
            s = f"{lead[:-1]}, according to {name}, {desc}." if first_mention else f"{lead[:-1]}, according to {last}."
        elif style == 3:  # colon introduction
            s = (
                f"{who} put it bluntly: {qo}{q1}.{qc}"
                if rng.random() < 0.5
                else f"In a statement on {rng.choice(WEEKDAYS)}, {who} said: {qo}{q1}. {q2}.{qc}"
            )
        elif style == 4:  # split quote
            s = (
                f"{qo}{q1},{qc} {who} said. {qo}{q2}.{qc}"
                if rng.random() < 0.5
                else f"{qo}{q1},{qc} said {last if not first_mention else name}, {qo}{q2[0].lower() + q2[1:]}.{qc}"
            )
        elif style == 5:  # partial quote
            s = f"{who} described the decision as {qo}{rng.choice(PARTIALS)}{qc} and called for {rng.choice(OBJECTS)}."
        elif style == 6:  # told outlet, with narrative before
            s = f"{lead} {qo}{q1},{qc} {who} told {rng.choice(OUTLETS)}."
        else:  # quote then narrative
            s = f"{qo}{q1}. {q2},{qc} {who} {cue}. {lead}"
        return s

    # ------------------------------------------------------------------ renderers

    def to_text(self) -> str:
        pub = self.pub
        out: list[str] = []
        app = out.append
        for kind, payload in self.blocks:
            if kind == "menu":
                if pub["menu_style"] == "lines":
                    out.extend(payload)
                else:
                    app(" | ".join(payload))
            elif kind == "cookie" or kind == "share" or kind == "newsletter":
                out.extend(payload)
            elif kind == "image":
                fname, credit = payload
                out.extend((fname, credit, fname))
            elif kind == "playlist":
                for title, duration, credit, caption in payload:
                    if caption:
                        out.extend((caption, caption))
                    if credit:
                        app(credit)
                    out.extend(("Now playing", duration, title))
                app("")
            elif kind == "highlights":
                app("Story highlights")
                app("")
                for line in payload:
                    out.extend((line, ""))
            elif kind == "editor_note" or kind == "title":
                out.extend((payload, ""))
            elif kind == "byline":
                out.extend((payload[0], payload[1], ""))
            elif kind == "p" or kind == "subhead":
                out.extend((payload, ""))
            elif kind == "caption":
                caption, credit, repeat = payload
                out.extend((caption, credit))
                if repeat:
                    app(caption)
                app("")
            elif kind == "related" or kind == "ad":
                out.extend((" " + payload if kind == "related" else payload, ""))
            elif kind == "footer":
                out.extend(payload)
        return "\n".join(out) + "\n"

    def published_at(self) -> str:
        y, m, d, hh, mm = self.date
        return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:00Z"

    def to_record(self) -> dict:
        return {
            "id": self.id,
            "text": self.to_text(),
            "url": self.url,
            "publisher": self.pub["name"],
            "title": self.title,
            "published_at": self.published_at(),
        }

    def to_html(self, pools: Pools, rng: random.Random, target_bytes: int) -> str:
        pub = self.pub
        esc = _esc
        title = esc(self.title)
        head = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f"<title>{title} | {esc(pub['name'])}</title>\n",
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta property="og:title" content="{title}">\n',
            f'<meta property="og:type" content="article">\n<meta property="og:url" content="{self.url}">\n',
            f'<meta property="og:site_name" content="{esc(pub["name"])}">\n',
            f'<meta property="article:published_time" content="{self.published_at()}">\n',
            f'<meta name="author" content="{esc(self.author)}">\n<link rel="canonical" href="{self.url}">\n',
            f"<style>\n{pools.styles[pub['style']][: rng.randint(8_000, 38_000)]}</style>\n",
            f'<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":{json.dumps(self.title)},"datePublished":"{self.published_at()}"}}</script>\n',
        ]
        body: list[str] = [
            '</head>\n<body class="article-page">\n<header class="site-header">\n',
            f'<a class="logo" href="https://{pub["domain"]}/">{esc(pub["name"])}</a>\n',
        ]
        art: list[str] = []
        aside: list[str] = []
        app = art.append
        for kind, payload in self.blocks:
            if kind == "menu":
                body.append(
                    '<nav class="main-nav"><ul>'
                    + "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in payload)
                    + "</ul></nav>\n"
                )
            elif kind == "cookie":
                body.append(
                    '<div class="cookie-banner"><p>'
                    + esc(payload[0])
                    + "</p><button>"
                    + esc(payload[1])
                    + "</button></div>\n"
                )
            elif kind == "image":
                app(
                    f'<figure class="lead-image"><img src="/img/{payload[0]}" alt=""><figcaption>{esc(payload[1])}</figcaption></figure>\n'
                )
            elif kind == "playlist":
                aside.append(
                    '<div class="video-playlist"><h3>Now playing</h3><ul>'
                    + "".join(
                        f'<li><a href="/video/{i}"><span class="duration">{d}</span> {esc(t)}</a>'
                        + (f'<span class="credit">{esc(c)}</span>' if c else "")
                        + "</li>"
                        for i, (t, d, c, _cap) in enumerate(payload)
                    )
                    + "</ul></div>\n"
                )
            elif kind == "highlights":
                app(
                    '<div class="story-highlights"><h2>Story highlights</h2><ul>'
                    + "".join(f"<li>{esc(x)}</li>" for x in payload)
                    + "</ul></div>\n"
                )
            elif kind == "editor_note":
                app(f'<p class="editor-note"><em>{esc(payload)}</em></p>\n')
            elif kind == "title":
                app(f"<h1>{title}</h1>\n")
            elif kind == "byline":
                app(
                    f'<div class="byline"><span class="author">{esc(payload[0])}</span> '
                    f'<time datetime="{self.published_at()}">{esc(payload[1])}</time></div>\n'
                )
            elif kind == "p":
                app(f"<p>{esc(payload)}</p>\n")
            elif kind == "subhead":
                app(f"<h2>{esc(payload)}</h2>\n")
            elif kind == "caption":
                app(
                    f'<figure><img src="/img/photo_{rng.randrange(10000):04d}.jpg" alt="{esc(payload[0])}">'
                    f'<figcaption>{esc(payload[0])} <span class="credit">{esc(payload[1])}</span></figcaption></figure>\n'
                )
            elif kind == "related":
                app(f'<p class="related"><a href="/related/{rng.randrange(10**6)}">{esc(payload)}</a></p>\n')
            elif kind == "ad":
                app(f'<div class="ad-slot" data-slot="{rng.randrange(99)}"><span>{payload}</span></div>\n')
            elif kind == "share":
                app(
                    '<div class="share-tools">'
                    + "".join(f'<button class="share">{esc(s)}</button>' for s in payload)
                    + "</div>\n"
                )
            elif kind == "newsletter":
                aside.append(
                    f'<form class="newsletter"><label>{esc(payload[0])}</label><input type="email" '
                    f'placeholder="{esc(payload[1])}"><button>Subscribe</button></form>\n'
                )
            elif kind == "footer":
                foot = (
                    '<footer class="site-footer">'
                    + "".join(f"<p>{esc(x)}</p>" for x in payload)
                    + "<ul>"
                    + "".join(f'<li><a href="/{s.lower()}/">{s}</a></li>' for s in pub["sections"])
                    + "</ul></footer>\n"
                )
        aside.append(
            '<aside class="related-links"><h3>More from '
            + esc(pub["name"])
            + "</h3><ul>"
            + "".join(
                f'<li><a href="/story/{rng.randrange(10**7)}">{esc(rng.choice(pools.headlines))}</a></li>'
                for _ in range(rng.randint(5, 12))
            )
            + "</ul></aside>\n"
        )
        body.append("</header>\n<main>\n<article>\n")
        body.extend(art)
        body.append("</article>\n")
        body.extend(aside)
        body.append("</main>\n")
        body.append(foot)
        state = json.dumps(
            {
                "props": {
                    "pageProps": {
                        "id": self.id,
                        "title": self.title,
                        "section": self.url.split("/")[3],
                        "paragraphs": [p for k, p in self.blocks if k == "p"][:6],
                    }
                }
            }
        )
        tail = [f'<script id="__APP_STATE__" type="application/json">{state}</script>\n']
        so_far = sum(map(len, head)) + sum(map(len, body)) + len(tail[0]) + 60
        room = max(0, target_bytes - so_far)
        blob = pools.scripts[pub["script"]]
        # Inline scripts fill the page up to its target size: in <head> and before </body>.
        start = rng.randrange(0, len(blob) // 4)
        chunk = blob[start : start + room]
        cut = chunk.rfind("\n") + 1
        chunk = chunk[:cut]
        half = chunk.find("\n", len(chunk) // 3) + 1
        head.append(f"<script>\n{chunk[:half]}</script>\n")
        tail.append(f"<script>\n{chunk[half:]}</script>\n</body>\n</html>\n")
        return "".join(head) + "".join(body) + "".join(tail)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --------------------------------------------------------------------------- writers


def page_path(root: str, kind: str, page_no: int, ext: str) -> str:
    return os.path.join(root, kind, f"{page_no // SHARD_FILES:05d}", f"p{page_no:08d}.{ext}")


def _text_target(seed: int, page_no: int) -> int:
    return 4_800 + (page_no * 2_654_435_761 + seed * 97) % 9_400  # article part; page lands in 5–15 KB


def _write_range(args: tuple[str, str, int, int, int]) -> int:
    root, kind, seed, lo, hi = args
    pools = _pools(seed)
    written = 0
    if kind == "jsonl":
        for part in range(lo, hi):
            path = os.path.join(root, "jsonl", f"part-{part:05d}.jsonl.gz")
            tmp = path + ".tmp"
            first, last = part * JSONL_RECORDS, (part + 1) * JSONL_RECORDS
            lines = [
                json.dumps(Article(i, pools, seed, _text_target(seed, i)).to_record(), ensure_ascii=False)
                for i in range(first, min(last, _JSONL_N[0]))
            ]
            # mtime=0 and no file name in the gzip header: equal seeds give equal bytes.
            with (
                open(tmp, "wb") as raw,
                gzip.GzipFile(filename="", mode="wb", compresslevel=4, fileobj=raw, mtime=0) as fh,
            ):
                fh.write(("\n".join(lines) + "\n").encode("utf-8"))
            os.replace(tmp, path)
            written += len(lines)
        return written
    made_dirs: set[str] = set()
    for i in range(lo, hi):
        art = Article(i, pools, seed, _text_target(seed, i))
        if kind == "txt":
            data = art.to_text()
            ext = "txt"
        else:
            rng = _Rng(seed * 7_000_003 + i)
            data = art.to_html(pools, rng, rng.randint(50_000, 150_000))
            ext = "html"
        path = page_path(root, kind, i, ext)
        d = os.path.dirname(path)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        written += 1
    return written


_POOLS: dict[int, Pools] = {}
_JSONL_N = [0]


def _pools(seed: int) -> Pools:
    if seed not in _POOLS:
        _POOLS[seed] = Pools(seed)
    return _POOLS[seed]


def _init_worker(n: int) -> None:
    _JSONL_N[0] = n


def generate(n: int, out: str, kinds: list[str], seed: int = 0, jobs: int | None = None, quiet: bool = False) -> dict:
    """Write ``n`` pages of each kind under ``out``; returns {kind: seconds}."""
    jobs = jobs or min(2, os.cpu_count() or 1)
    timings: dict[str, float] = {}
    os.makedirs(out, exist_ok=True)
    marker = os.path.join(out, ".complete")
    if os.path.exists(marker):
        os.remove(marker)
    for kind in kinds:
        t0 = time.perf_counter()
        if kind == "jsonl":
            os.makedirs(os.path.join(out, "jsonl"), exist_ok=True)
            units = (n + JSONL_RECORDS - 1) // JSONL_RECORDS
        else:
            units = n
        step = max(1, min(SHARD_FILES * (10 if kind == "txt" else 1), (units + jobs - 1) // jobs))
        if kind == "jsonl":
            step = max(1, min(10, (units + jobs - 1) // jobs))
        tasks = [(out, kind, seed, lo, min(units, lo + step)) for lo in range(0, units, step)]
        _init_worker(n)
        if jobs > 1 and len(tasks) > 1:
            ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            with ctx.Pool(jobs, initializer=_init_worker, initargs=(n,)) as pool:
                total = sum(pool.imap_unordered(_write_range, tasks))
        else:
            total = sum(map(_write_range, tasks))
        timings[kind] = round(time.perf_counter() - t0, 2)
        if not quiet:
            print(
                f"generate_corpus: {total:,} {kind} pages in {timings[kind]:.1f} s -> {os.path.join(out, kind)}",
                file=sys.stderr,
            )
    with open(marker, "w") as fh:
        json.dump({"n": n, "kinds": kinds, "seed": seed, "version": GENERATOR_VERSION, "seconds": timings}, fh)
    return timings


def is_complete(out: str, n: int, kinds: list[str], seed: int = 0) -> bool:
    """True if ``out`` holds a finished corpus of these parameters."""
    try:
        with open(os.path.join(out, ".complete")) as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return False
    return (
        meta.get("n") == n
        and meta.get("seed") == seed
        and meta.get("version") == GENERATOR_VERSION
        and set(kinds) <= set(meta.get("kinds", []))
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="pages per kind")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--kinds", default="txt,html,jsonl", help="comma-separated: txt, html, jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: up to 2)")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    bad = set(kinds) - {"txt", "html", "jsonl"}
    if bad:
        ap.error(f"unknown kinds: {sorted(bad)}")
    generate(args.n, args.out, kinds, args.seed, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
