"""Quote extraction and speaker attribution (transforms.quotes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import Paragraph, Quote
from transforms.quotes import extract_quotes

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def paras(*texts: str, kind: str = "body") -> list[Paragraph]:
    out, pos = [], 0
    for i, t in enumerate(texts):
        out.append(Paragraph(ordinal=i, kind=kind, text=t, char_start=pos, char_end=pos + len(t)))
        pos += len(t) + 2
    return out


def split_blank_lines(text: str) -> list[Paragraph]:
    chunks = [c for c in re.split(r"\n[ \t]*\n", text) if c.strip()]
    return paras(*chunks)


def quotes_of(*texts: str) -> list[Quote]:
    qs = extract_quotes(paras(*texts))
    for q in qs:
        assert paras(*texts)[q.paragraph_ordinal].text[q.char_start : q.char_end] == q.text
    return qs


def only(qs: list[Quote], kind: str | None = None) -> Quote:
    sel = [q for q in qs if kind is None or q.kind == kind]
    assert len(sel) == 1, sel
    return sel[0]


# ---------------------------------------------------------------- patterns


def test_speaker_after_quote():
    q = only(quotes_of("“We will win this state,” Cruz said on Monday."))
    assert q.text == "We will win this state,"
    assert (q.kind, q.speaker, q.speaker_name, q.cue, q.cue_lemma) == ("direct", "Cruz", "Cruz", "said", "say")


def test_inverted_speaker_with_title_and_appositive():
    q = only(quotes_of('"We will not back down," said Sen. Ted Cruz (R-Tex.), a Republican candidate for president.'))
    assert q.speaker_name == "Ted Cruz"
    assert q.cue_lemma == "say"


def test_surname_resolves_to_fullest_name_and_split_quote_shares_group():
    qs = quotes_of(
        "State Department spokesperson John Kirby spoke on Monday.",
        "“This was not easy,” Kirby said in a statement. “Russia failed to live up to its commitments.”",
    )
    assert [q.text for q in qs] == ["This was not easy,", "Russia failed to live up to its commitments."]
    assert {q.quote_group for q in qs} == {qs[0].quote_group}
    assert all(q.speaker_name == "John Kirby" and q.speaker == "Kirby" for q in qs)


def test_speaker_inside_split_quote():
    qs = quotes_of("“We tried,” Warren said, “and we will try again.”")
    assert len(qs) == 2 and qs[0].quote_group == qs[1].quote_group
    assert all(q.speaker == "Warren" for q in qs)


def test_told():
    q = only(quotes_of("“It is over,” Maria Lopez told reporters."))
    assert (q.speaker_name, q.cue, q.cue_lemma) == ("Maria Lopez", "told", "tell")


def test_according_to():
    q = only(quotes_of("According to Jane Doe, “the plan is dead and buried now.”"))
    assert q.speaker_name == "Jane Doe"
    assert q.cue_lemma == "according to"


def test_colon_introduction():
    q = only(quotes_of("Ted Cruz said: “This is a disgrace to the Senate.”"))
    assert (q.speaker_name, q.cue_lemma, q.kind) == ("Ted Cruz", "say", "direct")


def test_bare_colon_introduction_has_no_cue():
    q = only(quotes_of("Ted Cruz: “This is a disgrace to the Senate.”"))
    assert q.speaker_name == "Ted Cruz"
    assert q.cue is None


def test_other_cue_verbs():
    for verb, lemma in (("argues", "argue"), ("added", "add"), ("wrote", "write"), ("noted", "note")):
        q = only(quotes_of(f"“The numbers do not add up at all,” Ann Smith {verb}."))
        assert q.speaker_name == "Ann Smith" and q.cue == verb and q.cue_lemma == lemma


def test_speaker_after_comma_inverted():
    q = only(quotes_of("Yet “Moscow took a hard line” in its policy in Syria, argues Vladimir Sotnikov."))
    assert q.kind == "partial"
    assert q.speaker_name == "Vladimir Sotnikov"


def test_partial_quote_in_sentence_with_subject():
    q = only(quotes_of("The US said it held “the Russian government responsible” for the strikes."))
    assert q.kind == "partial"
    assert q.speaker == "The US"


def test_pronoun_resolved_from_previous_sentence():
    qs = quotes_of(
        "White House Press Secretary Josh Earnest spoke on Monday night.",
        "“Everybody’s patience with Russia has run out,” he said.",
    )
    q = only(qs)
    assert q.speaker == "he" and q.speaker_name == "Josh Earnest"


def test_description_resolved_to_previous_speaker():
    qs = quotes_of(
        "Syria depends on Russia, adds Vasily Kuznetsov, a professor. "
        "On the other hand, the expert argues, “No one in Syria will bet only on Russia.”"
    )
    q = only(qs)
    assert q.speaker == "the expert" and q.speaker_name == "Vasily Kuznetsov"


def test_organisation_kept_as_organisation():
    q = only(quotes_of("“We are suspending our participation,” the State Department said."))
    assert q.speaker_name == "the State Department"


def test_speaker_from_previous_paragraph():
    qs = quotes_of(
        "Jane Doe, the mayor, said the city would appeal the ruling.",
        "“We will take this all the way to the Supreme Court.”",
    )
    assert only(qs).speaker_name == "Jane Doe"


def test_multi_paragraph_quote():
    qs = quotes_of(
        "“We are going to build the road,” Mayor Ann Smith said. “It will take years,",
        "“and it will cost a lot of money. But it is worth it.”",
        "The council votes next week.",
    )
    assert [q.paragraph_ordinal for q in qs] == [0, 0, 1]
    assert qs[1].text == "It will take years,"
    assert len({q.quote_group for q in qs[1:]}) == 1
    assert all(q.speaker_name == "Ann Smith" for q in qs)


def test_open_quote_ends_where_the_next_paragraph_names_another_speaker():
    # the mark left open in the first paragraph would continue into the second, but
    # the second has its own "…," said X: a new quotation, not the mayor's
    qs = quotes_of(
        "“I have waited ten years for this,” said Mayor Ana Ruiz. “The harbour is finally safe from the winter storms.",
        "“We will hold a party on the quay for everyone who helped,” said Tom Berg, the harbour master.",
    )
    assert [(q.paragraph_ordinal, q.speaker_name) for q in qs] == [(0, "Ana Ruiz"), (0, "Ana Ruiz"), (1, "Tom Berg")]
    assert qs[2].quote_group != qs[0].quote_group


def test_nested_single_quotes_stay_inside():
    q = only(quotes_of("“He told me ‘never again’ and left the room,” Bob Jones said."))
    assert q.text == "He told me ‘never again’ and left the room,"
    assert q.speaker_name == "Bob Jones"


def test_straight_quotes():
    q = only(quotes_of('"We have the votes to pass it," Pelosi said.'))
    assert (q.text, q.speaker) == ("We have the votes to pass it,", "Pelosi")


def test_doubled_quote_marks_count_once():
    # a straight mark left beside a curly one ('"“' when text was retyped or scraped twice)
    q = only(quotes_of('Asked about the vote, she paused. "“We will be back,” Lena Park said.'))
    assert (q.text, q.speaker_name) == ("We will be back,", "Lena Park")


def test_quote_in_heading():
    p = [Paragraph(ordinal=0, kind="heading", text="Trump: “We will build the wall”", char_start=0, char_end=31)]
    q = only(extract_quotes(p))
    assert q.speaker_name == "Trump"


def test_group_numbers_unique_within_document():
    qs = quotes_of(
        "“One thing is certain,” Smith said.",
        "“Another thing is also certain,” Jones said.",
    )
    assert qs[0].quote_group != qs[1].quote_group


# ---------------------------------------------------------------- clause structure


def test_hearer_after_tell_is_not_the_speaker():
    q = only(quotes_of("Hours later, Jane Doe returned the favour, telling Reuters, “We have been friends for years.”"))
    assert q.speaker_name == "Jane Doe"


def test_inverted_say_still_names_the_speaker():
    q = only(quotes_of("“It is over and done with,” said Maria Lopez."))
    assert q.speaker_name == "Maria Lopez"


def test_introductory_clause_is_skipped_for_the_subject():
    q = only(
        quotes_of("When Bob Smith suggested that the plan would fail, Ann Jones fired back: “It will not fail at all.”")
    )
    assert q.speaker_name == "Ann Jones"


def test_participle_after_two_connectives_takes_the_sentence_subject():
    q = only(
        quotes_of("And then Bob Smith went fully on the attack, saying, “They should resign in disgrace right now.”")
    )
    assert q.speaker_name == "Bob Smith"


def test_last_comma_chunk_names_the_speaker_after_a_partial_quote():
    qs = quotes_of(
        "“If there had been no intervention” by the allies, the partners and others, Clinton said, "
        "“we would be looking at something much worse.”"
    )
    assert [q.speaker for q in qs] == ["Clinton", "Clinton"]


def test_name_with_appositive_keeps_the_name():
    q = only(quotes_of("“We will appeal the ruling today,” Smith, the mayor, said."))
    assert q.speaker_name == "Smith"


def test_new_sentence_reporting_other_speech_is_not_the_attribution():
    qs = quotes_of(
        "“It is a very sad development,” Ted Cruz told reporters. “This is the consequence of that culture.” "
        "Jane Kasich said she would have fired him."
    )
    assert [q.speaker_name for q in qs] == ["Ted Cruz", "Ted Cruz"]


def test_closed_quote_followed_by_plain_attribution_still_attributed():
    q = only(quotes_of("“This is over for all of us.” Kasich said on Monday."))
    assert q.speaker_name == "Kasich"


def test_attribution_between_partial_and_direct_quote_covers_both():
    qs = quotes_of(
        "Clinton “drew quite well from working people” in 2008, said professor Paul Beck. "
        "“That was more her constituency than his.”"
    )
    assert [q.kind for q in qs] == ["partial", "direct"]
    assert qs[1].speaker_name == "Paul Beck"


# ---------------------------------------------------------------- descriptions and pronouns


def test_description_resolves_to_the_one_person_with_that_role():
    qs = quotes_of(
        "Sen. Ann Smith spoke in Des Moines on Monday.",
        "Bob Jones, a farmer, listened.",
        "“We will win this state,” the senator said.",
    )
    q = only(qs)
    assert q.speaker == "the senator" and q.speaker_name == "Ann Smith"


def test_description_with_place_modifier_is_a_description():
    qs = quotes_of(
        "Sen. Ann Smith spoke in Des Moines on Monday.",
        "“We will win this state,” the Florida senator said.",
    )
    assert only(qs).speaker_name == "Ann Smith"


def test_ambiguous_description_is_left_as_written():
    qs = quotes_of(
        "Sen. Ann Smith and Sen. Bob Jones spoke in Des Moines on Monday.",
        "Later the crowd went home.",
        "“We will win this state,” the senator said.",
    )
    assert only(qs).speaker_name == "the senator"


def test_description_without_a_matching_role_is_left_as_written():
    qs = quotes_of(
        "Ann Smith, a farmer, spoke in Des Moines on Monday.",
        "“We will win this state,” the senator said.",
    )
    assert only(qs).speaker_name == "the senator"


def test_front_runner_is_not_just_any_candidate():
    qs = quotes_of(
        "Ann Smith, the only candidate to campaign here, spoke on Monday.",
        "“The contest was rigged against me,” the front-runner said.",
    )
    assert only(qs).speaker_name == "the front-runner"


def test_indefinite_description_does_not_take_the_name_inside():
    q = only(quotes_of("“He never listens to anyone,” said a longtime adviser to Smith."))
    assert q.speaker_name != "Smith"


def test_she_prefers_a_woman_over_a_nearer_man():
    qs = quotes_of(
        "Mary Jones spoke first at the hearing.",
        "Then Mr. Brown spoke for an hour.",
        "“We will win this fight,” she said.",
    )
    assert only(qs).speaker_name == "Mary Jones"


def test_he_takes_the_nearest_man():
    qs = quotes_of(
        "Mary Jones spoke first at the hearing.",
        "Then Mr. Brown spoke for an hour.",
        "“We will win this fight,” he said.",
    )
    assert only(qs).speaker_name == "Brown"


def test_pronoun_with_unknown_gender_takes_the_nearest_person():
    qs = quotes_of(
        "Mary Jones spoke first at the hearing.",
        "Then Alex Kim spoke for an hour.",
        "“We will win this fight,” she said.",
    )
    assert only(qs).speaker_name == "Alex Kim"


# ---------------------------------------------------------------- documents, bylines, runs


def test_according_to_a_document():
    q = only(quotes_of("According to the report, “the agency failed to act on the warnings.”"))
    assert q.speaker == "the report" and q.speaker_name == "the report"


def test_document_as_subject_of_read():
    qs = quotes_of("Ann Smith sent a letter on Monday.", "The statement read, “We regret the error and apologise.”")
    assert only(qs).speaker == "The statement"


def test_byline_after_a_dash_before_a_colon():
    q = only(quotes_of("TURNOUT WAS HIGHER THAN EXPECTED - Jane Q. Public: “The count broke all records this year.”"))
    assert q.speaker_name == "Jane Q. Public"


def test_dash_without_a_name_is_no_byline():
    q = only(quotes_of("The count was high - very high: “The count broke all records this year.”"))
    assert q.speaker_name is None or "high" not in q.speaker_name


def test_capitalised_run_stops_at_a_sentence_end():
    from transforms.quotes.names import CAP_RUN

    assert [m.group() for m in CAP_RUN.finditer("He joined the Ku Klux Klan. And then Mr. Bob Jones left.")] == [
        "He",
        "Ku Klux Klan.",
        "And",
        "Mr. Bob Jones",
    ]
    assert [m.group() for m in CAP_RUN.finditer("Sen. Ted Cruz and Capt. Jane Doe")] == [
        "Sen. Ted Cruz",
        "Capt. Jane Doe",
    ]


def test_more_speech_verbs():
    for verb in ("implored", "beamed", "sang", "assured"):
        q = only(quotes_of(f"“This is a fantastic night for all of us,” {verb} Donald Hartley."))
        assert q.speaker_name == "Donald Hartley", verb


def test_capitalised_tweeted_after_a_quote():
    q = only(quotes_of("“Not us but we cannot argue with it!” Murphy, the head of the group, Tweeted on Friday."))
    assert q.speaker == "Murphy, the head of the group"


def test_noun_beam_is_no_cue():
    q = only(quotes_of("The light beam hit the sign reading “Exit Only” on the wall."))
    assert q.kind == "scare"


def test_long_partial_quote_takes_its_sentence_subject():
    qs = quotes_of(
        "Mary Jones spoke on Monday.",
        "Bob Smith is questioning whether the mayor would have attended “if it had been held somewhere else.”",
    )
    q = only(qs)
    assert q.kind == "partial" and q.speaker_name == "Bob Smith"


def test_honorific_marks_a_person_for_pronouns():
    qs = quotes_of("Then Mr. Brown spoke for an hour.", "“We will win this fight,” he said.")
    assert only(qs).speaker_name == "Brown"


# ---------------------------------------------------------------- titles


def test_title_with_leading_article_is_not_speech():
    q = only(quotes_of("She appeared on “The View,” where she defended the plan."))
    assert q.kind == "scare" and q.speaker is None


def test_capitalised_sentence_with_attribution_is_speech():
    q = only(quotes_of("“The plan is dead,” Smith said."))
    assert q.kind == "direct" and q.speaker == "Smith"


# ---------------------------------------------------------------- not speech


def test_scare_quotes_marked_without_speaker():
    q = only(quotes_of("The so-called “deal” fell apart within a week of the vote."))
    assert q.kind == "scare" and q.speaker is None and q.speaker_name is None


def test_article_title_after_also_read():
    q = only(quotes_of('Also read: "Making sense of the new US-Russian ceasefire in Syria and what comes next"'))
    assert q.kind == "scare" and q.speaker is None


def test_title_of_work():
    q = only(quotes_of("The couple star in the reality series “Duck Dynasty” on cable."))
    assert q.kind == "scare"


def test_no_speaker_when_none_is_given():
    q = only(quotes_of("“Is this the end of the road for the treaty and its signatories?”"))
    assert q.kind == "direct" and q.speaker is None and q.speaker_name is None


def test_no_quotes():
    assert quotes_of("Nothing quoted here.", "") == []


def test_empty_quote_marks_ignored():
    assert quotes_of('He wrote "" and left.') == []


# ---------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_quotes() -> list[Quote]:
    out: list[Quote] = []
    for f in sorted(SEEDS.glob("*.txt")):
        out += extract_quotes(split_blank_lines(f.read_text(encoding="utf-8")))
    return out


def _find(qs: list[Quote], start: str) -> list[Quote]:
    return [q for q in qs if q.text.startswith(start)]


def test_seed_earnest(seed_quotes):
    (q,) = _find(seed_quotes, "Everybody’s patience with Russia has run out")
    assert q.speaker_name == "Josh Earnest"


def test_seed_kirby_two_pieces_one_group(seed_quotes):
    (a,) = _find(seed_quotes, "This is not a decision that was taken lightly")
    (b,) = _find(seed_quotes, "Unfortunately, Russia failed")
    assert a.quote_group == b.quote_group
    assert a.speaker_name == b.speaker_name == "John Kirby"


@pytest.mark.parametrize(
    "start,name",
    [
        ("We have to forget about collaboration", "Dmitri Trenin"),
        ("If Aleppo falls", "Omar Lamrani"),
        ("When we deal with the outgoing administration", "Yuri Rogulev"),
        ("No one in Syria will bet only on Russia.", "Vasily Kuznetsov"),
    ],
)
def test_seed_speakers(seed_quotes, start, name):
    (q,) = _find(seed_quotes, start)
    assert q.speaker_name == name


def test_seed_also_read_title_is_not_speech(seed_quotes):
    (q,) = _find(seed_quotes, "Making sense of the new US-Russian ceasefire")
    assert q.kind == "scare" and q.speaker_name is None


# ---------------------------------------------------------------- properties

_alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
_quotey = st.sampled_from(['"', "“", "”", "‘", "’", " said ", " he ", ", ", ". ", "Smith ", "\n", "«", "»", "„"])
_para_text = st.lists(st.one_of(st.text(_alphabet, max_size=12), _quotey), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_para_text, max_size=5), st.one_of(st.none(), st.text(max_size=20)))
def test_never_raises_and_offsets_slice_text(texts, title):
    ps = paras(*texts)
    qs = extract_quotes(ps, title=title)
    groups_seen = []
    for q in qs:
        assert ps[q.paragraph_ordinal].text[q.char_start : q.char_end] == q.text
        assert q.text.strip() == q.text and q.text
        groups_seen.append(q.quote_group)
    assert groups_seen == sorted(groups_seen)


@settings(max_examples=200, deadline=None)
@given(st.text(_alphabet, max_size=200))
def test_arbitrary_unicode_paragraph(text):
    ps = paras(text)
    for q in extract_quotes(ps):
        assert text[q.char_start : q.char_end] == q.text


# --- the fast scans find exactly what the plain patterns find -------------------

_SCAN_SAMPLES = [
    "According to Smith, the plan failed, said Jones.",
    "Said Ahmed, “we will not stop,” he said. (said) —said \u201csaid",
    "O’Malley campaign to shift staff, resources to Iowa.",
    "McCain and al-Assad met Mr.said in the U.S. Senate; Ed. Said told reporters",
    "\x01\x01\x01, says Sen. Ted Cruz (R-Tex.), who added: “no.”",
    "the de Gaulle era, van Gogh’s ear and al Qaeda's chief, argued Vasily Kuznetsov",
    "",
    "said",
    "U.S.said it; John Said-Ahmed said; Said. x.Said y; Asked Said Added; Ahmed Said told",
    "pro-Trump rally, iPhone maker, alAssad and elSisi, deGraffenreid Smith, X-Men",
    "He met John de la Cruz and Mr. Bob Jones. And then Capt. Jane Doe left. Fox. The end",
    "A. B. Smith said; the U.K. The minister; Smith\tJones \u00a0Brown; Sen.  Ted   Cruz",
    "Jean-Luc Picard, bin Laden and bin-Laden, Anwar al-Awlaki, who",
]


def test_fast_scan_matches_plain_scan():
    from transforms.quotes.scanning import _SCAN, _SCAN_NEXT

    for s in _SCAN_SAMPLES:
        want = [(m.start(), m.end(), m.lastgroup) for m in _SCAN.finditer(s)]
        m0 = _SCAN.match(s)
        got = [] if m0 is None else [(0, m0.end(), m0.lastgroup)]
        got += [
            (m.start(m.lastindex), m.end(), m.lastgroup) for m in _SCAN_NEXT.finditer(s, 0 if m0 is None else m0.end())
        ]
        assert got == want, s


def test_fast_cue_search_matches_plain_search():
    from transforms.quotes.scanning import _CUE, _CUE_ADJ, _cues, _first_adj_cue

    for s in _SCAN_SAMPLES:
        for lo in range(0, len(s) + 1, 3):
            want = [(m.start(), m.end(), m.group()) for m in _CUE.finditer(s, lo, len(s))]
            assert _cues(s, lo, len(s)) == want, (s, lo)
            m = _CUE_ADJ.search(s, lo, len(s))
            assert _first_adj_cue(s, lo, len(s)) == (None if m is None else (m.start(), m.end(), m.group()))


@pytest.mark.timeout(5)
def test_np_after_many_lowercase_words():
    """The noun phrase after a cue stops at the preposition; a long run of lowercase
    words must not backtrack catastrophically (the timeout guards that)."""
    from transforms.quotes.phrases import _np_after

    ms = "said the longtime senior campaign manager for the group on Tuesday"
    s, e = _np_after(ms, 5, len(ms))
    assert ms[s:e] == "the longtime senior campaign manager"
    long_run = "said " + "and the of a very " * 2000 + "X"
    assert _np_after(long_run, 5, len(long_run)) is None
    ms2 = "said former campaign chairman Paul Manafort."
    s, e = _np_after(ms2, 5, len(ms2))
    assert ms2[s:e] == "former campaign chairman Paul Manafort"


def _plain_scan(s):
    """(runs, cue starts) as the combined scan _SCAN reads them."""
    from transforms.quotes.scanning import _SCAN, _SCAN_NEXT

    m0 = _SCAN.match(s)
    ms = ([m0] if m0 is not None else []) + list(_SCAN_NEXT.finditer(s, 0 if m0 is None else m0.end()))
    runs = [(m.start(m.lastindex), m.end(), m.group(m.lastindex)) for m in ms if m.lastindex == 2]
    cues = [m.start(m.lastindex) for m in ms if m.lastindex == 1]
    return runs, cues


def test_run_scan_and_cue_filter_match_plain_scan():
    from transforms.quotes.names import EntityTable
    from transforms.quotes.scanning import _add_names, _cap_runs, _cue_starts

    def needs_exact_scan(s):
        return _add_names(EntityTable(), s)

    for s in _SCAN_SAMPLES:
        runs, cues = _plain_scan(s)
        assert _cap_runs(s, exact=True) == runs, s
        if not needs_exact_scan(s):
            assert _cap_runs(s, exact=False) == runs, s
        assert _cue_starts(s, [(a, b, r, None) for a, b, r in runs]) == cues, s
    # a run that opens with a particle is what the fast scan cannot see
    assert needs_exact_scan("They met al-Assad.")
    assert not needs_exact_scan("They met Anwar al-Awlaki.")  # inside a run
    assert not needs_exact_scan("They met pro-Trump voters.")  # no particle


def test_names_from_joined_units_match_per_unit_scan():
    """All units scanned as one text: the separator joins no run."""
    from transforms.quotes.names import EntityTable, clean_name
    from transforms.quotes.scanning import _add_names

    for units in (_SCAN_SAMPLES, ["Mr. Bob", "Jones said", "Ted Cruz, the senator", "al-Assad Smith"]):
        want = EntityTable()
        for s in units:
            for _a, _b, run in _plain_scan(s)[0]:
                name = clean_name(run)
                if name is not None and " " in name:
                    want.add_name(name)
        got = EntityTable()
        _add_names(got, "\0".join(units))
        assert (got.by_last, got.counts) == (want.by_last, want.counts)


def test_link_intro_search_near_the_colon():
    from transforms.quotes.marks import _LINK_INTRO, _is_link_intro

    for before in (
        "Also read: ",
        "Some long sentence about it. READ MORE :",
        "more from Reuters:",
        "Watch:",
        "He said:",
        "A related story is here:",
        "x:",
        ":",
        "Related article:  ",
        "more from the Times:",
    ):
        assert _is_link_intro(before) == (_LINK_INTRO.search(before) is not None), before


def test_mark_positions():
    from transforms.quotes.marks import _MARK_CHARS, _mark_positions

    s = 'a \u201cb\u201d "c" \u00abd\u00bb \u201e'
    assert _mark_positions(s, _MARK_CHARS) == [i for i, c in enumerate(s) if c in _MARK_CHARS]
    assert _mark_positions(s, "\u201c\u201d") == [2, 4]


def test_places_are_no_ones_full_name():
    # "Zealand said" must not resolve to a person called "New Zealand"
    qs = quotes_of("New Zealand and South Africa signed the treaty.", "“We are pleased,” Zealand said.")
    q = only(qs)
    assert q.speaker_name == "Zealand"
    q = only(quotes_of("“The talks are over,” Russia said."))
    assert (q.speaker_name, q.speaker_type) == ("Russia", "organisation")
