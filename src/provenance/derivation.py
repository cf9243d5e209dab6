"""Is one document derived from another, how (copy, paraphrase, partial), and which way round.

The verdict is judged from the derivative's side (how much of *its* text comes from the
source) and rests on evidence a reader can check: the aligned passages, and the numbers
behind the score. Two reports of one event share names, places and figures; what they do
not share is the rest: the selection of facts, the everyday wording, the order. So a
derivation needs more than overlapping facts: long verbatim runs, or most of the
derivative's sentences matched *and* most of its informative vocabulary found in the
source.
"""
from __future__ import annotations

import bisect
import difflib
import datetime
import re
from dataclasses import dataclass, field

import numpy as np

from . import agencies
from .align import (
    CLEAR_PARAPHRASE, MIN_SHARED_WEIGHT, MIN_VERBATIM_WORDS, POSTING_WEIGHT, SEED_WORDS, TOPIC_DISCOUNT, Alignment, Prepared, align, prepare,
)
from .terms import RELATIVE_DAYS, Unit, number_value, union_spans

# Verbatim evidence: a run this long is not a shared name or figure.
LONG_RUN_WORDS = 12
# Paraphrase evidence: share of the derivative's words in aligned sentences, and share of
# its informative vocabulary (wordfreq-weighted stems) present in the source.
# Both must be high together: independent reports of one event reach one, rarely both.
PARAPHRASE_COVERAGE = 0.58
PARAPHRASE_EVIDENCE = 1.1     # coverage + vocabulary
# Below this share of informative vocabulary in common (either way), two texts are neither
# derived nor reports of one event, and a pair that also shares no quote and no run of words
# is not aligned at all (`worth_aligning`): most candidate pairs end here, cheaply.
MIN_VOCABULARY = 0.2
MIN_SHARED_SEEDS = 2          # distinct shared 5-word seeds: the least a reported verbatim run needs
# Relation classes, by the derivative's share of text.
COPY_VERBATIM = 0.7           # words in verbatim runs
COPY_NEAR_VERBATIM = 0.85     # words in verbatim runs or in sentences matched almost word for word
NEAR_VERBATIM_SIMILARITY = 0.8
PARAPHRASE_SHARE = 0.5
# What a text took word for word, with no sentence of it rewritten, is no paraphrase: short of a
# copy it is a part taken (the rest comes from elsewhere).
TAKEN_WORD_FOR_WORD = 0.9       # near-verbatim words, of all the derivative words the source explains
# A quotation said to the source's outlet makes a pickup of its interview or report a derivation
# only where the derivative retells more of it: this many sentences matched clearly (the
# quotation's own included). One credited quote with its lead-in and indirect speech is two or
# three (read on INSM: 9 of 11 sampled derivations resting on one credited quote were that and
# nothing more, and so were 23 of the 30 they turned into; a retelling in indirect speech of
# several of the interview's statements had four or more).
RETOLD_SENTENCES = 4
RETOLD_SIMILARITY = CLEAR_PARAPHRASE
# ... and only where those sentences are a fair part of the derivative: a paragraph of an
# interview's quotes and indirect speech inside a report of its own, or one entry of a long
# live blog, is a credited pickup, not a text written from the interview (read on INSM: of 17
# reviewed derivations resting on a credited quote, the 6 whose retold sentences held less
# than a fifth of the derivative's words were all pickups or blog entries, judged wrong or
# debatable; the 5 above a third were all right).
RETOLD_SHARE = 0.2


@dataclass
class Evidence:
    """The numbers behind a verdict for one (derivative, source) pair."""

    coverage: float
    source_coverage: float
    verbatim_share: float
    near_verbatim_share: float
    vocabulary: float
    order: float
    longest_verbatim: int
    longest_unquoted_verbatim: int
    quoted_verbatim_words: int
    aligned_sentences: int
    derivative_sentences: int
    alignment: Alignment = field(repr=False, default=None)
    longest_prose_verbatim: int = 0   # the source's own words (kept out of `as_dict`: a judging detail)
    credited_quotes: tuple = ()       # (start, end, words) in the derivative of each quotation said to the source's outlet
    retold_sentences: int = 0         # derivative sentences matched at RETOLD_SIMILARITY or closer
    retold_words: int = 0             # the words of those sentences

    @property
    def longest_credited_quote(self) -> int:
        """Words of the longest quotation the derivative gives as said to the source's outlet."""
        return max((words for _, _, words in self.credited_quotes), default=0)

    @property
    def retold_share(self) -> float:
        """The share of the derivative's words in its clearly retold sentences, as explanations give it."""
        return self.retold_words / max(self.alignment.derivative_words, 1)

    def as_dict(self) -> dict:
        return {
            "coverage": round(self.coverage, 3),
            "source_coverage": round(self.source_coverage, 3),
            "verbatim_share": round(self.verbatim_share, 3),
            "near_verbatim_share": round(self.near_verbatim_share, 3),
            "vocabulary": round(self.vocabulary, 3),
            "order": round(self.order, 3),
            "longest_verbatim_words": self.longest_verbatim,
            "longest_unquoted_verbatim_words": self.longest_unquoted_verbatim,
            "quoted_verbatim_words": self.quoted_verbatim_words,
            "aligned_sentences": self.aligned_sentences,
            "derivative_sentences": self.derivative_sentences,
        }


def vocabulary(units: list[Unit]) -> dict[str, float]:
    words: dict[str, float] = {}
    for unit in units:
        for stem, weight in unit.stems.items():
            words[stem] = max(weight, words.get(stem, 0.0))
    return words


def vocabulary_containment(derivative: dict[str, float], source: dict[str, float]) -> float:
    total = sum(derivative.values())
    return sum([w for stem, w in derivative.items() if stem in source]) / total if total else 0.0


def _longest_increasing(sequence: list[int]) -> int:
    tails: list[int] = []
    for value in sequence:
        i = bisect.bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(tails)


def evidence(
    derivative: list[Unit] | Prepared, source: list[Unit] | Prepared, d_vocabulary=None, s_vocabulary=None,
    source_names: frozenset[str] = frozenset(), derivative_credits: tuple = (), source_outlet: str | None = None,
) -> Evidence:
    """How much of `derivative` traces to `source`; `source_names` (the source's outlet as a
    word: 'cgtn', 'bild') tell whether the derivative's quotations may come from the source, and
    so do the derivative's credit phrases (`Profile.credits`) naming `source_outlet` (its registry
    name) beside a quotation: words said to the source's outlet ('sagte Krüger dem RND')."""
    alignment = align(derivative, source)
    derivative = derivative.units if isinstance(derivative, Prepared) else derivative
    source = source.units if isinstance(source, Prepared) else source
    best = best_pairs(alignment)
    order = _longest_increasing([best[d][1] for d in sorted(best)])
    near = _near_verbatim_words(alignment, derivative, best)
    prose = alignment.longest_prose_verbatim
    credited = _credited_quotes(alignment, derivative_credits, source_outlet, derivative)
    quoted_prose = [run[2] for run in alignment.derivative_quoted_runs if run not in credited]
    if quoted_prose and _names(derivative, source_names):
        prose = max(prose, *quoted_prose)
    return Evidence(
        coverage=alignment.coverage,
        source_coverage=alignment.source_coverage,
        verbatim_share=alignment.verbatim_share,
        near_verbatim_share=near / alignment.derivative_words if alignment.derivative_words else 0.0,
        vocabulary=vocabulary_containment(
            d_vocabulary if d_vocabulary is not None else vocabulary(derivative),
            s_vocabulary if s_vocabulary is not None else vocabulary(source),
        ),
        order=order / len(derivative) if derivative else 0.0,
        longest_verbatim=alignment.longest_verbatim,
        longest_unquoted_verbatim=alignment.longest_unquoted_verbatim,
        longest_prose_verbatim=prose,
        quoted_verbatim_words=alignment.quoted_verbatim_words,
        aligned_sentences=len(best),
        derivative_sentences=len(derivative),
        alignment=alignment,
        credited_quotes=credited,
        retold_sentences=sum(1 for similarity, _ in best.values() if similarity >= RETOLD_SIMILARITY),
        retold_words=sum(len(derivative[d].words) for d, (similarity, _) in best.items() if similarity >= RETOLD_SIMILARITY),
    )


CREDIT_REACH = 200   # characters between a quotation and the credit phrase that says whom it was said to


def _credit_target(derivative: Profile, source: Profile) -> str | None:
    """The outlet name a quotation in `derivative` must be credited to for `evidence` to count it as
    the source's words: the source's, unless the source is dated after the derivative (then it is
    that outlet's own later account of words it had published before), or is agency copy on the
    outlet's site (the agency's pickup of the interview, which the derivative need not have read
    there: 'sagte er der „Welt“' above dpa's text on welt.de)."""
    apart = days_apart(source.date, derivative.date)
    return None if (apart is not None and apart < 0) or source.agency_copy else source.registry_outlet


def _beside(quotation: tuple, credit: tuple) -> bool:
    """Whether a credit phrase (start, end, …) lies within CREDIT_REACH of a quotation (start, end, …)."""
    return credit[0] - CREDIT_REACH <= quotation[1] and quotation[0] <= credit[1] + CREDIT_REACH


def _credited_beside_quotations(profile: Profile, ev: Evidence) -> frozenset[str]:
    """The outlets `profile` credits beside the quotations it shares with the other text (`ev`:
    `profile` read as the derivative): whom those words were said to."""
    quotations = ev.alignment.shared_quotations
    return frozenset(
        name for credit in profile.credits if any(_beside(q, credit) for q in quotations) for name in credit.names
    )


def _picked_up_quote(derivative: Profile, source: Profile, ev: Evidence) -> bool:
    """Whether a sliver of the derivative is the source's interview or scoop picked up within days:
    a quotation credited to the source's outlet (`longest_credited_quote`). Weeks later the same
    credited line in a long text is a background quote, not a pickup."""
    apart = days_apart(source.date, derivative.date)
    return ev.longest_credited_quote >= LONG_RUN_WORDS and apart is not None and abs(apart) <= NEWSROOM_DAYS


def _said_to(profile: Profile, outlet: str | None, quotations: tuple) -> bool:
    """Whether a credit phrase beside one of `quotations` gives them as said to `outlet` ('sagte
    die Ministerin der „Bild“'), not only as that outlet's report ('Die „Bild“ berichtete darüber'),
    which may itself quote a public speech."""
    return any(
        not credit.reported and outlet in credit.names and _beside(q, credit) for q in quotations for credit in profile.credits
    )


def _credited_quotes(alignment: Alignment, credits: tuple, outlet: str | None, units: list[Unit]) -> tuple:
    """The runs both texts quote that the derivative (its sentences: `units`) quotes beside a credit
    phrase naming `outlet`: the quoted person said them to that outlet, whose text quotes them (its interview), so the
    derivative has them from it, not from a statement both may have heard. A source giving them
    as reported speech is a recap (an agency round-up on the outlet's site), not where they were said.
    With them, the interview's answers the outlet printed without quotation marks (`_interview_answers`)."""
    if outlet is None:
        return ()
    naming = [credit for credit in credits if outlet in credit.names]
    shared = tuple(q for q in alignment.shared_quotations if any(_beside(q, credit) for credit in naming))
    return shared + _interview_answers(alignment, naming, units)


# The speaker's own words keep the first person; reported speech ('forderte Reinhardt, die
# Reserven aufzulösen') moves it to the third.
FIRST_PERSON = frozenset({
    "ich", "mir", "mich", "mein", "meine", "meinen", "meinem", "meiner", "wir", "uns", "unser", "unsere", "unseren",
    "unserem", "unserer", "i", "me", "my", "we", "us", "our",
})


def _interview_answers(alignment: Alignment, naming: list, units: list[Unit]) -> tuple:
    """The runs only the derivative quotes, where one of them lies beside a credit saying the words
    were said to the source's outlet ('sagte Wolf der „Bild am Sonntag“') and speaks in the first
    person: the outlet printed its interview as questions and answers, without quotation marks,
    and the derivative quotes the answers, that one and the others alike. They are the
    interviewee's words, not the outlet's prose. (An agency's account of the interview on the
    outlet's site gives them as reported speech, in the third person: a recap, see `_credited_quotes`.)"""
    runs = alignment.derivative_quoted_runs
    said = [credit for credit in naming if not credit.reported]
    if not any(_beside(run, credit) and _in_first_person(run, units) for run in runs for credit in said):
        return ()
    return tuple(runs)


def _in_first_person(run: tuple, units: list[Unit]) -> bool:
    start, end, _ = run
    return any(w.form in FIRST_PERSON for u in units for w in u.words if start <= w.start and w.end <= end)


def best_pairs(alignment: Alignment) -> dict[int, tuple[float, int]]:
    """Each aligned derivative sentence → (similarity, source sentence) of its best match."""
    best: dict[int, tuple[float, int]] = {}
    for d, s, similarity in alignment.sentence_pairs:
        if d not in best or similarity > best[d][0]:
            best[d] = (similarity, s)
    return best


def _near_verbatim_words(alignment: Alignment, derivative: list[Unit], best: dict) -> int:
    """Derivative words in verbatim runs or in sentences matched almost word for word."""
    runs = alignment.verbatim_by_unit
    return sum(
        len(unit.words) if index in best and best[index][0] >= NEAR_VERBATIM_SIMILARITY else runs.get(index, 0)
        for index, unit in enumerate(derivative)
    )


def _names(units: list[Unit], names: frozenset[str]) -> bool:
    """Whether the text names one of `names`, alone or in a compound ('Bild-Zeitung')."""
    return bool(names) and any(
        part in names for unit in units for word in unit.words for part in word.form.split("-")
    )


def is_derived(ev: Evidence, prose: bool = False) -> bool:
    """A long run outside shared quotations, or enough of the derivative traced to the source.
    With `prose`, the run must be the source's own words: one either text quotes is a third
    party's (a release quoting a minister that a report gives as reported speech; a person's
    words one quotes and the other retells), unless the derivative quotes it and names the
    source's outlet ('wie der Staatssender CGTN verbreitete: „…“', 'sagte er der „Bild“'). A
    quotation credited to the source's outlet counts either way (`longest_credited_quote`) where
    the derivative retells more of the source (`retells`): else it picked up one quote."""
    if (ev.longest_prose_verbatim if prose else ev.longest_unquoted_verbatim) >= LONG_RUN_WORDS:
        return True
    if ev.longest_credited_quote >= LONG_RUN_WORDS and retells(ev):
        return True
    return (
        ev.coverage >= PARAPHRASE_COVERAGE
        and ev.vocabulary >= MIN_VOCABULARY
        and ev.coverage + ev.vocabulary >= PARAPHRASE_EVIDENCE
    )


def retells(ev: Evidence, sentences: int = RETOLD_SENTENCES) -> bool:
    """Whether the derivative retells the source beyond a quotation or a fact: `sentences`
    sentences close to its own, holding RETOLD_SHARE of its words."""
    return ev.retold_sentences >= sentences and ev.retold_words >= RETOLD_SHARE * ev.alignment.derivative_words


def relation(ev: Evidence) -> str:
    """copy / paraphrase / partial, judged by how much of the derivative comes from the source."""
    if ev.verbatim_share >= COPY_VERBATIM or ev.near_verbatim_share >= COPY_NEAR_VERBATIM:
        return "copy"
    if ev.coverage >= PARAPHRASE_SHARE and ev.near_verbatim_share < TAKEN_WORD_FOR_WORD * ev.coverage:
        return "paraphrase"
    return "partial"


def score(ev: Evidence) -> float:
    """One number in [0, 1] for sorting: how much of the derivative the source explains, and how surely."""
    value = 0.5 * ev.coverage + 0.3 * ev.vocabulary + 0.2 * max(ev.near_verbatim_share, ev.order)
    return round(min(1.0, max(0.0, value)), 3)


# --- a pair of documents: derivation, or only related --------------------------------------------

DUPLICATE_SHARE = 0.9
# The same day, one outlet's two texts each this close to the other word for word are one article
# republished under a new headline and lead (a second feed, a video page), not a rewrite.
REPUBLISHED_SHARE = 0.85
# How a `duplicate` known to be one article (its URL, its republication the same day) begins its
# explanation; two undated near-identical texts of one outlet may still be two writers' copies.
SAME_ARTICLE = "the same article"
# Agencies whose copy outlets republish under their own name; a press-release service is not
# one of them: a rewritten release *is* derived from the release.
NEWS_AGENCIES = agencies.NEWS_AGENCIES
TEMPLATE_FIGURES = 3          # a derivative with this many figures, few of them the source's,
TEMPLATE_SHARED_FIGURES = 0.3  # days apart, follows a template (daily statistics), not the source
TEMPLATE_DAYS = 1
# ... or whose matching sentences are mostly the same words with other figures in them
TEMPLATE_SENTENCES = 2
TEMPLATE_SHARE = 0.25           # of the aligned sentences; the rest of a template is evergreen lines
REFILLED_WORDING = 0.8          # a refilled sentence keeps this much of its wording, figures masked
SAME_EVENT_SENTENCES = 2
SAME_EVENT_COVERAGE = 0.15
# Within one outlet, a partial overlap resting on a single verbatim block (a teaser of
# another article, a programme promo, the standing background paragraph of a running story)
# is the outlet's furniture, not a rewrite: a derivation needs a second block or this many
# sentences rewritten closely (similarity >= STRONG_SENTENCE).
SAME_OUTLET_STRONG_SENTENCES = 2
STRONG_SENTENCE = 0.5
# The same holds for a `paraphrase` whose sentences match only loosely around that one block
# (a promo box in two finance pages) where the two share less than this of their informative
# vocabulary; a follow-up of the outlet's own story shares more, and keeps its derivation.
SAME_OUTLET_VOCABULARY = 0.4
# Within one outlet, reuse of a story carries at least a paragraph over word for word (an update,
# a follow-up, a recycled piece); what shorter runs and loose matches share is the outlet's
# furniture: standing sentences ("im Auftrag der …"), plugs, methods boxes, refilled templates.
SAME_OUTLET_RUN_WORDS = 40
# Days apart, an outlet tells its story again (an update, the verdict on top of the trial's
# report) by carrying most of the old copy: both texts lie largely in their shared runs. A new
# story that reuses the old one's background paragraph, boxes or format shares a smaller part
# of each (harmonic mean of the two verbatim shares below SAME_OUTLET_RETOLD_SHARE).
SAME_OUTLET_RETOLD_DAYS = 5
SAME_OUTLET_RETOLD_SHARE = 0.4
# A text whose body (title aside) has fewer words than this (a paywall stub: headline, "read on
# with a subscription") is too thin to be called a rewrite of anything; only a long verbatim
# run inside its body can still make it a copy.
MIN_BODY_WORDS = 30
# A derivation resting on a sliver (under a tenth of the derivative, at most two sentences,
# no long verbatim run) was furniture in every reviewed case: a teaser, a standing background
# line. It stays visible as related, not as a rewrite.
SLIVER_COVERAGE = 0.1
SLIVER_SENTENCES = 2
SLIVER_RUN_WORDS = 25
# ... and shared across outlets this many days apart, a background line: from the first day past
# the window in which two newsrooms' common text is taken for one agency story (NEWSROOM_DAYS);
# at 7 days, lines shared 4 to 6 days apart fell between the two rules (eighth review).
BACKGROUND_DAYS = 4
BACKGROUND_RUNS = 2          # (or two), with at most one sentence rewritten closely outside them
# Two texts this many days apart that share under this share of their words word for word share
# an agency's background lines, not one wire story: two stories on one topic (read on INSM: 4 of
# 25 sampled `common_source` pairs, 4 to 51 days apart, 3–11 % word for word; every sibling
# pair read shared more, or was at most three days apart).
BACKGROUND_SHARE = 0.15
# Within one outlet, a derivative whose own text (outside what it shares) is about something else
# (under this share of its informative words in the source) carries the outlet's furniture.
TOPIC_CONTINUITY = 0.15
TOPIC_REST_WORDS = 20
# An outlet's standing text: a winnowed k-gram in this many of its pages, published this many
# days apart or more, is a plug, box or template it repeats (a story's own follow-ups carry
# their background for days, not for weeks); a same-outlet derivation whose shared runs are
# mostly such text is furniture.
STANDING_PAGES = 3
STANDING_DAYS = 21
STANDING_SHARE = 0.5
# A teaser of another article of the same outlet repeats its headline and lead.
LEAD_SENTENCES = 2
TEASER_COVERAGE = 0.5
TEASER_HEADLINE = 0.5  # ... repeating this share of the words of its headline
TEASER_LINES = 0.5     # ... and of the words of the lead lines it touches


@dataclass
class Profile:
    """What the pair verdict needs to know about one document."""

    id: str
    units: list[Unit]
    date: str | None = None
    wire_credit: str | None = None
    source: str | None = None
    title: str | None = None
    quotes: list[str] = field(default_factory=list)
    url: str | None = None
    release: bool = False   # a press release: an organisation's own account (see `metadata.is_release`)
    # An agency's copy as its outlet runs it (`metadata.agency_copy`), the outlet not being that agency:
    # words quoted in it as said to the outlet reached it through the agency, not from its own desk.
    agency_copy: bool = False
    # Published by a news agency itself (its outlet is one): the copy that newsrooms run, not
    # one of those runs, so a text sharing it took it from this document.
    by_agency: bool = False
    obtained: list[str] = field(default_factory=list)  # `metadata.obtained_documents`: it had a paper itself
    credits: tuple = ()                 # `credibility.credit_phrases`: where it credits other outlets
    registry_outlet: str | None = None  # its outlet's registry name, by which others credit it
    # Its outlet is one the registry knows as no newsroom (`pipeline.profile`): it has no agency feed.
    feedless: bool = False
    # Other outlets its sign-off names ('RND/dpa' on a page that is not RND's, `metadata.sign_off`):
    # a copy keeps the signature of the page it was taken from.
    signed_by: frozenset = frozenset()
    sign_off: str | None = None
    # Sentences made mostly of formula text (`pipeline.profile`): no part of the verdict, but a
    # long run two texts share through them still makes the pair related (`_shared_passage`).
    standing: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.agencies = frozenset(
            agencies.key_of(part) for part in re.split(r"[/,]|\bund\b", self.wire_credit or "") if part.strip()
        )
        self.vocabulary = vocabulary(self.units)
        self.numbers = frozenset(n for u in self.units for n in u.numbers)
        forms = [word.form for unit in self.units for word in unit.words]
        self.seeds = frozenset(zip(*(forms[i:] for i in range(SEED_WORDS))))
        self._passage: tuple[list, frozenset[int]] | None = None
        if self.standing:
            passage_forms = [word.form for word in self.passage[0]]
            self.passage_seeds = frozenset(zip(*(passage_forms[i:] for i in range(SEED_WORDS))))
        else:
            self.passage_seeds = self.seeds
        self._prepared: Prepared | None = None
        self._df: dict[str, int] | None = None
        self.site = site_of(self.url)
        self.outlet = self.site or self.source
        self.names = outlet_words(self.site, self.source)
        self.body_words = sum(len(u.words) for u in self.units if u.kind != "title")
        body = [i for i, u in enumerate(self.units) if u.kind != "title"]
        self.lead = frozenset([i for i, u in enumerate(self.units) if u.kind == "title"] + body[:LEAD_SENTENCES])

    def memory_estimate(self) -> int:
        """Bytes it takes in memory once judged, alignment tables included, roughly: a fixed
        part and a kilobyte a word (fitted on 250 INSM documents; nine in ten lie within
        12 % of it). What a cache of profiles counts, where a count of profiles would let a few
        live blogs of 50,000 words each fill gigabytes."""
        return PROFILE_BYTES_FIXED + PROFILE_BYTES_PER_WORD * (
            sum(len(u.words) for u in self.units) + sum(len(u.words) for u in self.standing)
        )

    @property
    def passage(self) -> tuple[list, frozenset[int]]:
        """All its prose words in text order, formula sentences included (`_shared_passage`),
        and the positions where a word does not follow the one before in the text (a segment
        left out between them, boilerplate or debris), which no shared run may cross."""
        if self._passage is None:
            units = sorted(self.units + self.standing, key=lambda u: u.start) if self.standing else self.units
            words: list = []
            breaks: set[int] = set()
            previous = None
            for unit in units:
                if previous is not None and unit.segment - previous > 1:
                    breaks.add(len(words))
                words.extend(unit.words)
                previous = unit.segment
            self._passage = (words, frozenset(breaks))
        return self._passage

    @property
    def prepared(self) -> Prepared:
        """The alignment tables, built on first use: most candidate pairs fail `worth_aligning`,
        which needs only the seeds and the vocabulary, and their documents never need them."""
        if self._prepared is None:
            self._prepared = prepare(self.units)
        return self._prepared

    @property
    def df(self) -> dict[str, int]:
        """Stem -> how many of the units use it (`Prepared.df`, without the rest of `prepare`)."""
        if self._df is None:
            if self._prepared is not None:
                self._df = self._prepared.df
            else:
                df: dict[str, int] = {}
                for unit in self.units:
                    for stem in unit.stems:
                        df[stem] = df.get(stem, 0) + 1
                self._df = df
        return self._df


PROFILE_BYTES_FIXED = 33_000
PROFILE_BYTES_PER_WORD = 1_050


def worth_aligning(a: Profile, b: Profile) -> bool:
    """Whether the pair can earn any verdict at all; exact, not a heuristic: every verdict of
    `compare_profiles` needs one of these (a shared URL, a shared quote, two shared 5-word
    seeds for a verbatim run, or enough common informative vocabulary), and they cost
    microseconds where an alignment costs milliseconds."""
    if same_article(a.url, b.url) or set(a.quotes) & set(b.quotes):
        return True
    if len(a.seeds & b.seeds) >= MIN_SHARED_SEEDS:
        return True
    return max(
        vocabulary_containment(a.vocabulary, b.vocabulary), vocabulary_containment(b.vocabulary, a.vocabulary)
    ) >= MIN_VOCABULARY


def out_of_reach(a: Profile, b: Profile) -> bool:
    """Whether a pair that passes `worth_aligning` still provably ends with no verdict, settled
    without aligning it. Exact, like the gate: reports more than SAME_EVENT_DAYS apart that
    share no URL and no quote earn a verdict only as a derivation or through a quoted verbatim
    run (`compare_profiles`). A verbatim passage covers at least MIN_VERBATIM_WORDS words that
    lie inside shared 5-word seeds, on both sides; without one, a derivation needs a paraphrase
    coverage that the sentences able to match at all (`_reach`) cannot give."""
    gap = days_apart(a.date, b.date)
    if gap is None or abs(gap) <= SAME_EVENT_DAYS:
        return False
    if same_article(a.url, b.url) or set(a.quotes) & set(b.quotes):
        return False
    shared = a.seeds & b.seeds
    if shared and (_seeded_words(a, shared) >= MIN_VERBATIM_WORDS or _seeded_words(b, shared) >= MIN_VERBATIM_WORDS):
        return False
    return not _may_paraphrase(a, b) and not _may_paraphrase(b, a)


def _seeded_words(profile: Profile, seeds: frozenset) -> int:
    """Words of the document inside one of `seeds` (5-word runs): every word of a verbatim run is."""
    forms = [word.form for unit in profile.units for word in unit.words]
    covered: set[int] = set()
    for k, gram in enumerate(zip(*(forms[i:] for i in range(SEED_WORDS)))):
        if gram in seeds:
            covered.update(range(k, k + SEED_WORDS))
    return len(covered)


def _may_paraphrase(derivative: Profile, source: Profile) -> bool:
    """Whether `is_derived` could hold by coverage and vocabulary, with no verbatim passage."""
    share = vocabulary_containment(derivative.vocabulary, source.vocabulary)
    if share < MIN_VOCABULARY:
        return False
    reach = _reach(derivative, source)
    return reach >= PARAPHRASE_COVERAGE and reach + share >= PARAPHRASE_EVIDENCE


_ROUNDING = 1e-9


def _reach(derivative: Profile, source: Profile) -> float:
    """An upper bound of `align`'s paraphrase coverage of `derivative` by `source`: the share of
    its words in sentences that have a candidate (a stem of POSTING_WEIGHT on both sides) and
    could share MIN_SHARED_WEIGHT with one. A source sentence weighs each stem at most as much
    as the whole source does (its vocabulary), so the topic-discounted sum over the stems in
    common with the whole source bounds the shared weight with any one of its sentences."""
    theirs, df_mine, df_theirs = source.vocabulary, derivative.df, source.df
    total = covered = 0
    for unit in derivative.units:
        total += len(unit.words)
        stems = unit.stems
        if not any(w >= POSTING_WEIGHT and theirs.get(stem, 0.0) >= POSTING_WEIGHT for stem, w in stems.items()):
            continue
        bound = sum(
            min(w, theirs[stem]) / max(df_mine[stem], df_theirs[stem]) ** TOPIC_DISCOUNT
            for stem, w in stems.items() if stem in theirs
        )
        if bound + _ROUNDING >= MIN_SHARED_WEIGHT:
            covered += len(unit.words)
    return covered / total if total else 0.0


# --- the gate over summaries: many pairs settled without their profiles ----------------------------


@dataclass
class GateSummary:
    """What `worth_aligning` reads of one profile, as a few arrays: small enough to hold for every
    document of a corpus in one process, which can then settle most candidate pairs before any
    worker builds a profile for them (`Gate`)."""

    seeds: np.ndarray | None    # sorted distinct hashes of the 5-word seeds (`passage_seeds`); None where two share one
    stems: tuple[str, ...]      # the vocabulary's stems ...
    weights: np.ndarray         # ... and their weights, in the same order
    total: float                # sum of the vocabulary's weights, summed as `vocabulary_containment` sums them
    quotes: frozenset[str]
    url: str | None             # `_url_key` of the URL; "" where there is one that cannot be read


def gate_summary(profile: Profile) -> GateSummary:
    """The profile's `GateSummary`. Seeds are hashed with Python's own `hash`, which is the same
    in every process forked from one interpreter (the judging workers and the process that
    gathers their summaries) but not across interpreters: compare summaries of one run only."""
    seeds = np.sort(np.fromiter(map(hash, profile.passage_seeds), dtype=np.int64, count=len(profile.passage_seeds)))
    if len(seeds) > 1 and not np.all(seeds[1:] != seeds[:-1]):
        seeds = None  # two different seeds with one hash: counting hashes could undercount shared seeds
    try:
        url = _url_key(profile.url) if profile.url else None
    except ValueError:
        url = ""
    return GateSummary(
        seeds=seeds,
        stems=tuple(profile.vocabulary),
        weights=np.fromiter(profile.vocabulary.values(), dtype=np.float64, count=len(profile.vocabulary)),
        total=sum(profile.vocabulary.values()),
        quotes=frozenset(profile.quotes),
        url=url,
    )


class Gate:
    """`worth_aligning` over `GateSummary`s, for many pairs in one process, without the profiles.

    Never False where `worth_aligning` is True, nor where `_shared_passage` could find a run (its
    seeds are the passage seeds, formula sentences included, a superset of the profile's seeds,
    and a run of SHARED_PASSAGE_WORDS words holds many): a hash shared by two different seeds can only add
    to the seeds two documents seem to share (and a document where two of its own seeds share a
    hash always passes), and the vocabulary shares, summed in another order than Python's, are
    compared with a margin far above their rounding. So every pair it stops has no verdict
    (`compare_profiles` returns None); the few it lets through in doubt are judged as ever."""

    def __init__(self) -> None:
        self.stem_ids: dict[str, int] = {}
        self.documents: dict[str, tuple] = {}

    def __contains__(self, document_id: str) -> bool:
        return document_id in self.documents

    def add(self, document_id: str, summary: GateSummary) -> None:
        ids = np.fromiter(
            (self.stem_ids.setdefault(stem, len(self.stem_ids)) for stem in summary.stems), dtype=np.int64,
            count=len(summary.stems),
        )
        order = np.argsort(ids)
        self.documents[document_id] = (
            summary.seeds, ids[order], summary.weights[order], summary.total, summary.quotes, summary.url,
        )

    def may_pass(self, a: str, b: str) -> bool:
        """False only where `compare_profiles` of the two documents' profiles is None."""
        seeds_a, ids_a, weights_a, total_a, quotes_a, url_a = self.documents[a]
        seeds_b, ids_b, weights_b, total_b, quotes_b, url_b = self.documents[b]
        if url_a == "" or url_b == "" or (url_a is not None and url_a == url_b) or quotes_a & quotes_b:
            return True
        if seeds_a is None or seeds_b is None or _shared(seeds_a, seeds_b)[0].sum() >= MIN_SHARED_SEEDS:
            return True
        in_b, where = _shared(ids_a, ids_b)
        threshold = MIN_VOCABULARY - _ROUNDING
        if total_a > 0 and weights_a[in_b].sum() / total_a >= threshold:
            return True
        return bool(total_b > 0 and weights_b[where[in_b]].sum() / total_b >= threshold)


def _shared(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which elements of sorted distinct `a` are in sorted distinct `b`, where they would sit in `b`)."""
    if not len(a) or not len(b):
        return np.zeros(len(a), dtype=bool), np.zeros(len(a), dtype=np.intp)
    where = np.searchsorted(b, a)
    np.minimum(where, len(b) - 1, out=where)
    return b[where] == a, where


DECISIVE_DAYS = 2       # publication dates this far apart settle the order on their own
# Undated, what the texts themselves say of the order. Figures the rewrite drops weigh more than
# how much of each text the other explains: a rewrite padded with filler, or one that also takes
# text from elsewhere, is explained less than its source, but it gains no figures by it (read on
# Clough & Stevenson, where the answers are the rewrites: the two disagreed on 3 of 29 derived
# answers, and the figures were right each time). Together they still weigh less than a date.
CONTAINMENT_WEIGHT = 0.15
SPECIFICITY_WEIGHT = 0.2
# Undated, a sentence that says 'yesterday' where the sentence it retells says 'today' of the
# same thing was written a day later: as good as the two dates a day apart.
RELATIVE_DAY_WEIGHT = 0.4
SAME_EVENT_DAYS = 3     # reports further apart are about different events, however alike


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def days_apart(a: str | None, b: str | None) -> int | None:
    """Whole days from a to b (b - a), or None when either date is missing or unreadable."""
    try:
        return (datetime.date.fromisoformat(b[:10]) - datetime.date.fromisoformat(a[:10])).days
    except (TypeError, ValueError):
        return None


def direction(derivative: Profile, source: Profile, forward: Evidence, backward: Evidence) -> tuple[float, list[str]]:
    """Signed evidence that `source` came first: > 0 for this order, < 0 for the other, 0 unknown."""
    votes: list[tuple[float, str]] = []
    crediting = {
        quoting.id: _story_credit(quoting, quoted)
        for quoting, quoted in ((derivative, source), (source, derivative))
    }
    if source.release != derivative.release:
        release, other = (source, derivative) if source.release else (derivative, source)
        votes.append((RELEASE_WEIGHT if release is source else -RELEASE_WEIGHT, _release_reason(release, other)))
    # An agency report that names the other's outlet relayed that outlet's story: its wire credit
    # says who distributed it, not that the story started there.
    elif source.wire_credit and not derivative.wire_credit and not crediting[source.id]:
        votes.append((0.35, f"{source.id} carries the wire credit '{source.wire_credit}': a distributed release or agency report; {derivative.id} has none"))
    elif derivative.wire_credit and not source.wire_credit and not crediting[derivative.id]:
        votes.append((-0.35, f"{derivative.id} carries the wire credit '{derivative.wire_credit}'; {source.id} has none"))
    for copy, page, sign in ((derivative, source, 1), (source, derivative, -1)):
        if _carries_sign_off(copy, page):
            votes.append((sign * FIRST_CREDIT_WEIGHT, (
                f"{copy.id} is signed as {page.registry_outlet} signs its pages ('{copy.sign_off}') but is not "
                f"{page.registry_outlet}'s page: a copy of {page.id}, which came first"
            )))
    for quoting, quoted, ev, sign in ((derivative, source, forward, 1), (source, derivative, backward, -1)):
        credit = crediting[quoting.id]
        quote_voted = ev.longest_credited_quote >= LONG_RUN_WORDS
        if quote_voted:
            how = (
                f"as said to {quoted.registry_outlet}" if _said_to(quoting, quoted.registry_outlet, ev.credited_quotes)
                else f"beside a credit to {quoted.registry_outlet}'s report"
            )
            votes.append((sign * CREDITED_QUOTE_WEIGHT, (
                f"{quoting.id} quotes {ev.longest_credited_quote} words {how}, which {quoted.id} prints too: {quoted.id} had them first"
            )))
        if credit is not None and (credit.first or not quote_voted):
            # Beside a credited quotation its credit is already counted: only the difference is added.
            credit_weight = (FIRST_CREDIT_WEIGHT if credit.first else CREDITED_QUOTE_WEIGHT) - (
                CREDITED_QUOTE_WEIGHT if quote_voted else 0.0
            )
            votes.append((sign * credit_weight, (
                f"{quoting.id} says {quoted.registry_outlet} had the story first (credit phrase, characters "
                f"{credit.start}–{credit.end}), so {quoted.id} came first" if credit.first else
                f"{quoting.id} credits {quoted.registry_outlet} in a credit phrase (characters {credit.start}–{credit.end}): "
                f"it follows {quoted.registry_outlet}'s report, so {quoted.id} came first"
            )))
    gap = days_apart(source.date, derivative.date)
    if gap is not None and abs(gap) >= DECISIVE_DAYS:
        weight = 0.8
    else:
        weight = 0.4
    if source.date and derivative.date:
        first, second = source.date[:19], derivative.date[:19]
        comparable = len(first) == len(second) and (len(first) > 10 or first[:10] != second[:10])
        if comparable and first < second:
            votes.append((weight, f"{source.id} is dated {source.date}, before {derivative.id} ({derivative.date})"))
        elif comparable and first > second:
            votes.append((-weight, f"{derivative.id} is dated {derivative.date}, before {source.id} ({source.date})"))
    if gap is None or abs(gap) < DECISIVE_DAYS:
        numbers = _article_number(source), _article_number(derivative)
        if all(numbers) and derivative.site == source.site and len(str(numbers[0])) == len(str(numbers[1])):
            if numbers[0] != numbers[1]:
                earlier, later = (source, derivative) if numbers[0] < numbers[1] else (derivative, source)
                votes.append((
                    URL_NUMBER_WEIGHT if earlier is source else -URL_NUMBER_WEIGHT,
                    f"{earlier.site} numbers its articles: {earlier.id}'s URL carries {min(numbers)}, "
                    f"{later.id}'s {max(numbers)}, so {earlier.id} was published first",
                ))
    if not (source.date and derivative.date):
        told = _relative_days_told(derivative, source, forward)
        if told:
            votes.append((RELATIVE_DAY_WEIGHT if told[0] > 0 else -RELATIVE_DAY_WEIGHT, told[1]))
    asymmetry = forward.coverage - backward.coverage
    if abs(asymmetry) >= 0.15:
        sign = 1 if asymmetry > 0 else -1
        votes.append((
            CONTAINMENT_WEIGHT * sign,
            f"{forward.coverage:.0%} of {derivative.id} is traced to {source.id}, but only {backward.coverage:.0%} of {source.id} to {derivative.id}"
            if sign > 0 else
            f"{backward.coverage:.0%} of {source.id} is traced to {derivative.id}, but only {forward.coverage:.0%} the other way",
        ))
    dropped = sorted(source.numbers - derivative.numbers)
    added = sorted(derivative.numbers - source.numbers)
    if len(dropped) >= len(added) + 2:
        votes.append((SPECIFICITY_WEIGHT, f"{derivative.id} drops {len(dropped)} figures that {source.id} gives ({', '.join(dropped[:5])}); the rewrite is less specific"))
    elif len(added) >= len(dropped) + 2:
        votes.append((-SPECIFICITY_WEIGHT, f"{source.id} lacks {len(added)} figures that {derivative.id} gives ({', '.join(added[:5])})"))
    total = sum(weight for weight, _ in votes)
    if not total:
        return 0.0, []
    # The evidence the other way too, after the reasons that carry the verdict: it is why a
    # confidence is low, and a reader checking the order needs to see it.
    reasons = [reason for weight, reason in votes if (weight > 0) == (total > 0)]
    reasons += [f"against: {reason}" for weight, reason in votes if weight and (weight > 0) != (total > 0)]
    return max(-1.0, min(1.0, total)), reasons


def _relative_day(unit: Unit) -> tuple[int, str] | None:
    """(days, word) of the one relative day a sentence's own words name ('yesterday': -1), or None
    for none or two different ones. Quoted words are the speaker's day, not the writer's."""
    found = {
        (RELATIVE_DAYS[w.form], w.form) for w, quoted in zip(unit.words, unit.quoted)
        if not quoted and w.form in RELATIVE_DAYS
    }
    days = {day for day, _ in found}
    return min(found) if len(days) == 1 else None


def _relative_days_told(derivative: Profile, source: Profile, forward: Evidence) -> tuple[int, str] | None:
    """(sign, reason) where aligned sentences name different relative days, all the same way
    round: > 0 where the derivative's day lies before the source's ('yesterday' for 'today'), so
    it was written later and the source came first. Sentences retelling one another tell of one
    event; the day each puts it on counts from the day each was written."""
    told = []
    for d, s, _ in forward.alignment.sentence_pairs:
        mine, theirs = _relative_day(derivative.units[d]), _relative_day(source.units[s])
        if mine and theirs and mine[0] != theirs[0]:
            told.append((theirs[0] - mine[0], derivative.units[d], source.units[s], mine[1], theirs[1]))
    if not told or len({later > 0 for later, *_ in told}) > 1:
        return None
    later, d_unit, s_unit, mine, theirs = told[0]
    sides = [(derivative.id, mine, d_unit), (source.id, theirs, s_unit)]
    (late, late_word, late_unit), (early, early_word, early_unit) = sides if later > 0 else sides[::-1]
    return (1 if later > 0 else -1), (
        f"{late} says '{late_word}' (characters {late_unit.start}–{late_unit.end}) where {early} says '{early_word}' "
        f"of the same event (characters {early_unit.start}–{early_unit.end}): {late} was written {_days(abs(later))} later"
    )


def _carries_sign_off(copy: Profile, page: Profile) -> bool:
    """Whether `copy` is signed with the name of `page`'s outlet, a newsroom, not an agency (whose
    name in a sign-off marks agency copy, which many outlets carry): a scraper keeps 'RND/dpa'."""
    outlet = page.registry_outlet
    return bool(outlet) and outlet in copy.signed_by and outlet.casefold() not in NEWS_AGENCIES


def _story_credits(derivative: Profile, source: Profile) -> list:
    """The credit phrases (`credibility.CreditPhrase`) in `derivative` naming the source's outlet
    ('Zuerst hatte die „Bild“-Zeitung darüber berichtet', 'sagte er dem RND'). None when the
    source is dated after the derivative, nor one giving another weekday than the source's date
    ('hatte die FAZ am Donnerstagabend berichtet'): those credit another report of that outlet."""
    outlet = _credit_target(derivative, source)
    if outlet is None:
        return []
    return [
        credit for credit in derivative.credits
        if outlet in credit.names and (credit.weekday is None or on_weekday(source.date, derivative.date, credit.weekday))
    ]


def _story_credit(derivative: Profile, source: Profile):
    """The credit of `_story_credits` that weighs most in the order: one saying the outlet had
    the story first ('Zuerst hatte …'), else the first one; None without any."""
    credits = _story_credits(derivative, source)
    return next((c for c in credits if c.first), credits[0] if credits else None)


def _pickup_credit(derivative: Profile, source: Profile, forward: Evidence) -> tuple[int, int] | None:
    """The credit that makes `derivative` a pickup of `source` (`_credited_story`): one for a
    reported story beside a sentence that retells one of the source's (CREDITED_RETELLING: the
    outlet's story may be another article of it, whose topic alone this one shares), or one for
    words said to the outlet beside a quotation of SEED_WORDS words or more that both texts give
    (the interview's words; without them the outlet may tell that interview in another article).
    Either way only where the derivative retells more of the source: for a reported story,
    CREDITED_STORY_RETOLD sentences matched clearly (a credit for one fact, 'Laut „Bild“ soll
    der Konzern …', in a report of its own is no pickup of the outlet's story, whose topic the
    two texts share, nor is one paragraph taken with a credit into a story of one's own); for an
    interview, RETOLD_SENTENCES (`retells`)."""
    quotations = [q for q in (*forward.alignment.shared_quotations, *forward.credited_quotes) if q[2] >= SEED_WORDS]
    for credit in _story_credits(derivative, source):
        span = (credit.start, credit.end)
        if credit.reported:
            beside = retells(forward, CREDITED_STORY_RETOLD) and _retold_beside(forward, span)
        else:  # words said to the outlet: its interview, picked up only where more of it is retold
            beside = retells(forward) and any(_beside(q, span) for q in quotations)
        if beside:
            return span
    return None


def _retold_beside(forward: Evidence, span: tuple[int, int]) -> bool:
    """Whether a passage beside a credit phrase retells the source (CREDITED_RETELLING)."""
    return any(
        _beside((p.derivative_start, p.derivative_end), span) and (p.kind == "verbatim" or p.similarity >= CREDITED_RETELLING)
        for p in forward.alignment.passages
    )


def _credited_item(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence) -> tuple[Profile, Profile, Evidence] | None:
    """(text, other, evidence) where the text credits the other's outlet for its report beside
    CREDITED_STORY_RETOLD sentences that retell the other, within a day, but those hold under
    RETOLD_SHARE of its words: one item of the report taken, with its credit, into a story of
    the text's own. Not independent reports, and no rewrite (`_pickup_credit`)."""
    apart = days_apart(a.date, b.date)
    if same_outlet(a, b) or (apart is not None and abs(apart) > CREDITED_STORY_DAYS):
        return None
    for text, other, forward in ((a, b, a_from_b), (b, a, b_from_a)):
        if other.agency_copy or forward.retold_sentences < CREDITED_STORY_RETOLD or retells(forward, CREDITED_STORY_RETOLD):
            continue
        if any(credit.reported and _retold_beside(forward, (credit.start, credit.end)) for credit in _story_credits(text, other)):
            return text, other, forward
    return None


def on_weekday(source_date: str | None, derivative_date: str | None, weekday: int) -> bool:
    """Whether the source is dated on the last `weekday` up to the derivative's date (unknown: yes)."""
    try:
        published = datetime.date.fromisoformat((source_date or "")[:10])
        written = datetime.date.fromisoformat((derivative_date or "")[:10])
    except ValueError:
        return True
    return published == written - datetime.timedelta(days=(written.weekday() - weekday) % 7)


def undated(a: Profile, b: Profile) -> bool:
    """Nothing outside the two texts orders them: not both dated, neither alone a release or
    wire copy. Only their wording speaks, which a graph of many such pairs can outvote."""
    return not (a.date and b.date) and a.release == b.release and bool(a.wire_credit) == bool(b.wire_credit)


# Most news sites give each new article the next number of their CMS and put it in the URL
# (bild.de …/76478076.bild.html, welt.de article225434015, sueddeutsche.de 1.5203839): within
# one site the larger number is the later article, which settles same-day updates.
URL_NUMBER_WEIGHT = 0.5
_URL_NUMBER = re.compile(r"(?<!\d)\d{6,12}(?!\d)")


def _article_number(profile: Profile) -> int | None:
    """The one long number in the URL's path that is not a date, or None."""
    if not profile.url or not profile.site:
        return None
    from urllib.parse import urlsplit

    try:
        path = urlsplit(profile.url.strip()).path
    except ValueError:
        return None
    found = [n for n in _URL_NUMBER.findall(path) if not _is_date(n)]
    return int(found[0]) if len(found) == 1 else None


def _is_date(digits: str) -> bool:
    """20210522, 22052021 or 210522 in a path is a date, not an article number."""
    def valid(year: int, month: int, day: int) -> bool:
        try:
            return 1990 <= year <= 2099 and bool(datetime.date(year, month, day))
        except ValueError:
            return False

    if len(digits) == 8:
        n = [int(digits[:4]), int(digits[4:6]), int(digits[6:])]
        m = [int(digits[4:]), int(digits[2:4]), int(digits[:2])]
        return valid(*n) or valid(*m)
    if len(digits) == 6:
        return valid(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    return False


def same_outlet(a: Profile, b: Profile) -> bool:
    """One publisher: the same web site when both URLs are known (an outlet's feeds — FAZ_Politik,
    faznet — share it), else the same source (feed) name."""
    if a.site and b.site:
        return a.site == b.site
    return bool(a.source) and a.source == b.source


def outlet_words(site: str | None, source: str | None) -> frozenset[str]:
    """The words a text may name this outlet by: its site's name ('rnd' of rnd.de, 'cgtn' of
    news.cgtn.com) and the first word of its source label ('focus' of FOCUS_TopNews)."""
    words = set()
    if site:
        words.add(site.split(".")[0])
    if source:
        first = re.split(r"[\W_]+", source.strip().casefold())[0]
        if first:
            words.add(first)
    return frozenset(word for word in words if len(word) >= 3)


def site_of(url: str | None) -> str | None:
    """The registrable part of a URL's host: www.faz.net and m.faz.net → faz.net;
    news.bbc.co.uk → bbc.co.uk."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return host or None
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"})


def same_article(a: str | None, b: str | None) -> bool:
    """Two URLs of one article: scheme, `www.`, query, fragment and a trailing slash aside."""
    if not a or not b:
        return False
    return _url_key(a) == _url_key(b)


def _url_key(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def compare_profiles(a: Profile, b: Profile) -> dict | None:
    """The verdict on one pair: a derivation, a related pair, or None (nothing in common)."""
    return _verdict(a, b) or _shared_passage(a, b)


# A shared passage relates two texts from this many identical words on: more than a standing
# line, which agencies and outlets repeat for months (a definition, the daily statistics
# sentence, a one-line background: 15 to 19 words, three quarters of the pairs a 15-word
# threshold found in the INSM corpus, and noise to a reviewer), less than a background paragraph.
SHARED_PASSAGE_WORDS = 20


def _shared_passage(a: Profile, b: Profile) -> dict | None:
    """Two texts that earn no other verdict but carry one passage of SHARED_PASSAGE_WORDS words
    or more word for word (an agency's background paragraph repeated for weeks, a definition, a
    statement both print) are related, not unconnected: the passage is there for a reader to
    check. Formula sentences count here (`Profile.standing`) unless both texts are one outlet's;
    boilerplate segments never do, and a run never crosses a segment left out. A run that ends
    (or starts) where both texts give a different figure is a template refilled with the day's
    numbers ("Die Zahl der … stieg auf 81 624"), not text one has from the other, and counts only
    from SLIVER_RUN_WORDS words on."""
    shared = a.passage_seeds & b.passage_seeds
    if len(shared) < MIN_SHARED_SEEDS:
        return None
    (words_a, breaks_a), (words_b, breaks_b) = a.passage, b.passage
    forms_a = [word.form for word in words_a]
    forms_b = [word.form for word in words_b]
    # Only where a shared seed starts: a few dozen places in texts of thousands of words.
    starts: dict[tuple, list[int]] = {}
    grams_b = list(zip(*(forms_b[k:] for k in range(SEED_WORDS))))
    for j in [j for j, gram in enumerate(grams_b) if gram in shared]:
        starts.setdefault(grams_b[j], []).append(j)
    grams_a = list(zip(*(forms_a[k:] for k in range(SEED_WORDS))))
    best = (0, 0, 0)
    for i in [i for i, gram in enumerate(grams_a) if gram in shared]:
        for j in starts[grams_a[i]]:
            joined = i and j and i not in breaks_a and j not in breaks_b
            if joined and forms_a[i - 1] == forms_b[j - 1]:
                continue  # inside a run already measured from its start
            if any(k in breaks_a for k in range(i + 1, i + SEED_WORDS)) or any(k in breaks_b for k in range(j + 1, j + SEED_WORDS)):
                continue
            n = SEED_WORDS
            while (
                i + n < len(forms_a) and j + n < len(forms_b) and forms_a[i + n] == forms_b[j + n]
                and i + n not in breaks_a and j + n not in breaks_b
            ):
                n += 1
            if n < SHARED_PASSAGE_WORDS or n <= best[0]:
                continue
            ends_on_figures = i + n < len(forms_a) and j + n < len(forms_b) and _other_figures(forms_a[i + n], forms_b[j + n])
            if n < SLIVER_RUN_WORDS and ((joined and _other_figures(forms_a[i - 1], forms_b[j - 1])) or ends_on_figures):
                continue
            best = (n, i, j)
    words, i, j = best
    if not words:
        return None
    recurring = max(_standing_words(a, words_a[i : i + words]), _standing_words(b, words_b[j : j + words])) * 2 >= words
    if recurring and same_outlet(a, b):
        return None  # the outlet's own furniture (a promo, a rights line, a box), not text one took from the other
    span_a = [words_a[i].start, words_a[i + words - 1].end]
    span_b = [words_b[j].start, words_b[j + words - 1].end]
    first, second = sorted((a.id, b.id))
    return {
        "kind": "related",
        "documents": [first, second],
        "reason": "other",
        "common_source": None,
        "explanation": (
            f"{a.id} (characters {span_a[0]}–{span_a[1]}) and {b.id} (characters {span_b[0]}–{span_b[1]}) share one "
            f"passage of {words} words word for word, "
            + ("text that recurs in many documents on many days (an agency's background lines, a definition, a standing "
               "sentence), " if recurring else "")
            + "and too little else to call one a rewrite of the other or both reports of one event"
        ),
        "evidence": {
            "shared_passage_words": words,
            "shared_passage": {a.id: span_a, b.id: span_b},
            "recurring_text": recurring,
        },
    }


def _standing_words(profile: Profile, words: list) -> int:
    """How many of `words` (the profile's own) lie in its formula sentences."""
    standing = {word.start for unit in profile.standing for word in unit.words}
    return sum(1 for word in words if word.start in standing)


def _other_figures(form_a: str, form_b: str) -> bool:
    """Whether two words that differ are both figures: where a template takes the day's numbers."""
    return form_a != form_b and any(c.isdigit() for c in form_a) and any(c.isdigit() for c in form_b)


def _verdict(a: Profile, b: Profile) -> dict | None:
    if not worth_aligning(a, b) or out_of_reach(a, b):
        return None
    a_from_b = evidence(a.prepared, b.prepared, a.vocabulary, b.vocabulary, b.names, a.credits, _credit_target(a, b))
    b_from_a = evidence(b.prepared, a.prepared, b.vocabulary, a.vocabulary, a.names, b.credits, _credit_target(b, a))
    if same_article(a.url, b.url):
        feeds = " and ".join(sorted({x.source for x in (a, b) if x.source})) or "one outlet"
        return _related(
            a, b, "duplicate", None,
            f"{SAME_ARTICLE} (same URL) under two ids, linked by {feeds}", max(a_from_b, b_from_a, key=lambda e: e.coverage),
        )
    a_derived = is_derived(a_from_b) and _body_carries(a, a_from_b)
    b_derived = is_derived(b_from_a) and _body_carries(b, b_from_a)
    if a_derived or b_derived:
        template = _template(a, b, a_from_b if a_derived else b_from_a, a_derived)
        if template:
            return template
    shared_agencies = sorted(a.agencies & b.agencies)
    picked_up = _picked_up_quote(a, b, a_from_b) or _picked_up_quote(b, a, b_from_a)
    signed = _carries_sign_off(a, b) or _carries_sign_off(b, a)
    if (
        (a_derived or b_derived) and shared_agencies and not same_outlet(a, b) and not picked_up and not signed
        and not (a.by_agency or b.by_agency)
    ):
        best = a_from_b if a_from_b.coverage >= b_from_a.coverage else b_from_a
        wire = "/".join(shared_agencies)
        apart = days_apart(a.date, b.date)
        if apart is not None and abs(apart) > NEWSROOM_DAYS:
            # Days apart, two agency reports share the agency's background lines, not one story.
            kinship = f"two {wire} reports {_days(abs(apart))} apart that repeat the agency's text (its background lines on the topic)"
        else:
            kinship = "siblings of one wire story"
        return _related(
            a, b, "common_source", wire,
            f"both credit {wire} and share its text ({best.coverage:.0%} of one traced to the other, "
            f"{best.verbatim_share:.0%} word for word): {kinship}",
            best,
        )
    if a_derived or b_derived:
        lean, _ = direction(a, b, a_from_b, b_from_a)
        if a_derived and b_derived:
            a_is_derivative = lean > 0 or (lean == 0 and (a_from_b.coverage, b.id) >= (b_from_a.coverage, a.id))
        elif a.release != b.release and (a if a_derived else b).release:
            # A release found whole inside a report: the report took it up and went on (the
            # study's details, reactions), which is why the release is the better covered one.
            a_is_derivative = not a_derived
        else:
            a_is_derivative = a_derived
        derivative, source = (a, b) if a_is_derivative else (b, a)
        forward, backward = (a_from_b, b_from_a) if a_is_derivative else (b_from_a, a_from_b)
        # The agency rules below do not apply to a copy that kept the source outlet's signature.
        credited_pickup = _picked_up_quote(derivative, source, forward) or _carries_sign_off(derivative, source)
        confidence, reasons = direction(derivative, source, forward, backward)
        mutual = a_derived and b_derived
        if mutual and same_outlet(derivative, source) and days_apart(source.date, derivative.date) == 0 and min(
            forward.near_verbatim_share, backward.near_verbatim_share
        ) >= REPUBLISHED_SHARE:
            shares = f"{forward.near_verbatim_share:.0%} and {backward.near_verbatim_share:.0%}"
            return _related(
                a, b, "duplicate", None,
                f"{SAME_ARTICLE} under two ids of {source.outlet} the same day ({shares} of each word for word in the "
                "other): republished under a new headline or lead, not a rewrite", forward,
            )
        if mutual and forward.near_verbatim_share >= DUPLICATE_SHARE and backward.near_verbatim_share >= DUPLICATE_SHARE:
            if same_outlet(derivative, source):
                return _related(a, b, "duplicate", None, f"the same text under two ids of {source.outlet}", forward)
            if derivative.wire_credit and derivative.wire_credit == source.wire_credit and not signed:
                return _related(
                    a, b, "common_source", derivative.wire_credit,
                    f"both carry the same {derivative.wire_credit} text: siblings of one wire story", forward,
                )
        # Crediting different agencies without a run of SLIVER_RUN_WORDS in common: two agencies'
        # reports; sharing a longer one, the credits are mixed, not the text.
        other_agencies = sorted(derivative.agencies & NEWS_AGENCIES), sorted(source.agencies & NEWS_AGENCIES)
        if (
            all(other_agencies) and not set(other_agencies[0]) & set(other_agencies[1])
            and forward.longest_unquoted_verbatim < SLIVER_RUN_WORDS
        ):
            gap = days_apart(a.date, b.date)
            running = gap is not None and abs(gap) >= RUNNING_STORY_DAYS
            return _related(
                a, b, "other" if running else "same_event", None,
                f"{derivative.id} credits {'/'.join(other_agencies[0])} and {source.id} credits {'/'.join(other_agencies[1])}: "
                + (f"two agencies' reports on one running story, {_days(abs(gap))} apart" if running else "two agencies' reports")
                + ", whose shared words are statements both quote or common phrasing", forward,
            )
        earlier_by = days_apart(derivative.date, source.date)
        if not mutual and earlier_by is not None and earlier_by >= DECISIVE_DAYS:
            return _related(
                a, b, "other", None,
                f"{derivative.id} would draw on {source.id}, but it is dated {earlier_by} days earlier "
                f"({derivative.date} vs {source.date}): the text they share is formula or comes from elsewhere", forward,
            )
        teaser = _teaser(derivative, source, forward, backward)
        if teaser:
            return _related(a, b, "other", None, teaser, forward)
        if (
            _picked_up_quote(derivative, source, forward) and not retells(forward)
            and forward.longest_unquoted_verbatim < SLIVER_RUN_WORDS
        ):
            # One credited quote with a sentence of the outlet's indirect speech around it: still
            # a pickup of the quote, not a rewrite (a paragraph of the outlet's prose would be one).
            pickup = _quote_pickup(derivative, source, forward, backward)
            if pickup:
                return pickup
        if (
            forward.coverage < SLIVER_COVERAGE
            and forward.aligned_sentences <= SLIVER_SENTENCES
            and forward.longest_unquoted_verbatim < SLIVER_RUN_WORDS
            and not credited_pickup
        ):
            return _related(
                a, b, "other", None,
                f"{derivative.id} shares only {forward.aligned_sentences} sentence(s), {forward.coverage:.0%} of its text, "
                f"with {source.id}: a repeated line (teaser, background, boilerplate), too little to call it a rewrite",
                forward,
            )
        # Before the agency rules: two pages of one outlet about different things share its
        # furniture (teasers, a sign-up box), whatever agencies the two stories credit.
        elsewhere = _unshared_topic(derivative, source, forward)
        if same_outlet(derivative, source) and elsewhere is not None and elsewhere < TOPIC_CONTINUITY:
            return _related(
                a, b, "other", None,
                f"two {source.outlet} articles about different things (outside the text they share, only {elsewhere:.0%} "
                f"of {derivative.id}'s informative words occur in {source.id}): a box, template or background "
                "passage the outlet repeats, not a rewrite", forward,
            )
        shared_wire = sorted(derivative.agencies & source.agencies)
        if shared_wire and same_outlet(derivative, source):
            wire, apart = "/".join(shared_wire), days_apart(source.date, derivative.date)
            return _related(
                a, b, "common_source", wire,
                f"two {wire} reports in {source.outlet}, {_days(abs(apart))} apart, that share the agency's standing "
                "lines (a recurring report or its background): not two versions of one story, nor a rewrite by the outlet"
                if apart is not None and abs(apart) > NEWSROOM_DAYS else
                f"two versions of one {wire} story in {source.outlet}: an agency write-through, not a rewrite by the outlet",
                forward,
            )
        # A run that one text quotes and the other retells is a third party's words (a tweet, a
        # speech), not evidence of agency copy: such a pair goes to the shared-quote verdict below.
        prose = is_derived(forward, prose=True)
        wire = sorted(source.agencies & NEWS_AGENCIES)
        # (Unless the source is the agency's own text: then the derivative took it from this one.
        # Or the derivative is a site the registry knows as no newsroom: see `_retells_agency_page`.)
        if (
            wire and not credited_pickup and prose and not source.by_agency  # its credited quotes are the outlet's own
            and not _retells_agency_page(derivative, source)
        ):
            others = sorted((derivative.agencies & NEWS_AGENCIES) - set(wire))
            if others and not derivative.agencies & set(wire):
                # Each credits another agency for the text they share: the credits do not say whose it is.
                return _related(
                    a, b, "common_source", "/".join(sorted({*wire, *others})),
                    f"{source.id} carries {'/'.join(wire)} copy and {derivative.id} credits {'/'.join(others)}; they share "
                    f"text that most likely comes from one of the agencies ({' or '.join(sorted({*wire, *others}))}), "
                    "not from each other", forward,
                )
            return _related(
                a, b, "common_source", "/".join(wire),
                f"{source.id} carries {'/'.join(wire)} copy; {derivative.id} shares that text: "
                "both most likely took it from the agency", forward,
            )
        wire = sorted(derivative.agencies & NEWS_AGENCIES)
        # Unless the agency copy quotes words as said to the source's outlet: the agency relayed
        # the source's interview or scoop, which the source did not take from the agency.
        if wire and not source.agencies and not credited_pickup and prose and not derivative.by_agency:
            return _related(
                a, b, "common_source", "/".join(wire),
                f"{derivative.id} carries {'/'.join(wire)} copy and {source.id} credits no one: "
                "the text they share most likely comes from the agency, which both used", forward,
            )
        gap = days_apart(source.date, derivative.date)
        # Within a day the figures that count are those of the matching sentences: a report
        # of a release published the evening before (an embargo) goes on to other stories and
        # their figures. Days apart, a text that shares a passage but gives other figures is a
        # new story around background, boxes or a template.
        figures = _aligned_figures(derivative, forward) if gap is not None and abs(gap) <= TEMPLATE_DAYS else derivative.numbers
        if (
            len(figures) >= TEMPLATE_FIGURES
            and len(figures & source.numbers) < TEMPLATE_SHARED_FIGURES * len(figures)
            and gap is not None and abs(gap) >= TEMPLATE_DAYS
            and not credited_pickup
        ):
            return _related(
                a, b, "other", None,
                f"{derivative.id} shares text with {source.id}, {_days(abs(gap))} apart, but gives other figures (only "
                f"{len(figures & source.numbers)} of its {len(figures)} are {source.id}'s): a new story around shared "
                "background, a box or a template filled anew, not reuse", forward,
            )
        loose = relation(forward) == "partial" or (relation(forward) == "paraphrase" and forward.vocabulary < SAME_OUTLET_VOCABULARY)
        if same_outlet(derivative, source) and loose:
            blocks, strong = _evidence_blocks(forward)
            # (Not where the block is the source's opening, a paragraph or more: the earlier
            # story itself carried over into an update or a round-up, not a box or background.)
            carried = _lead_corresponds(source, backward, word_for_word=True) and _carries_a_paragraph(
                relation(forward), forward.longest_unquoted_verbatim,
            )
            if blocks <= 1 and strong < SAME_OUTLET_STRONG_SENTENCES and not carried:
                return _related(
                    a, b, "other", None,
                    f"two {source.outlet} articles that share {'one block of text' if blocks else 'a few loosely matched sentences'} "
                    "and little else: a teaser, promo or background paragraph the outlet repeats, not a rewrite", forward,
                )
        if same_outlet(derivative, source) and not _carries_a_paragraph(relation(forward), forward.longest_unquoted_verbatim):
            return _related(
                a, b, "other", None,
                f"two {source.outlet} texts that share no passage of {SAME_OUTLET_RUN_WORDS} words outside quotations: "
                "the outlet's standing sentences, boxes or a template it fills anew, not a reuse of the story", forward,
            )
        apart = days_apart(source.date, derivative.date)
        if (
            same_outlet(derivative, source) and apart is not None and abs(apart) >= SAME_OUTLET_RETOLD_DAYS
            and _retold_share(forward, backward) < SAME_OUTLET_RETOLD_SHARE
        ):
            return _related(
                a, b, "other", None,
                f"two {source.outlet} texts {_days(abs(apart))} apart that share word for word {forward.verbatim_share:.0%} of "
                f"{derivative.id} and {backward.verbatim_share:.0%} of {source.id}: too little for the story told again (an "
                "update carries most of the old copy); background, boxes or a format the outlet reuses for a new story",
                forward,
            )
        if not prose:
            credited = _credited_story(a, b, a_from_b, b_from_a) or _reported_release(a, b, a_from_b, b_from_a)
            if credited:
                return credited
            run = forward.longest_unquoted_verbatim
            if not run:
                return _related(
                    a, b, "shared_quote", None,
                    f"{derivative.id} shares with {source.id} {forward.quoted_verbatim_words} words both quote and sentences "
                    "that retell the same statements, and no run of their own prose: a third party's words, which both may "
                    f"have from that party, not {source.id}'s prose", forward,
                )
            quoting, other = (
                (derivative.id, source.id) if run in [q[2] for q in forward.alignment.derivative_quoted_runs]
                else (source.id, derivative.id)
            )
            shared = (
                f"{derivative.id} shares with {source.id} a run of {run} words that {quoting} quotes and {other} gives "
                "without quotation marks (an interview's answers, reported speech, a statement retold), and too little else to "
                "call it a rewrite: "
            )
            if _story_credits(derivative, source):
                # Naming the source's outlet, the derivative says where it has the statement from.
                return _picked_up_from(
                    a, b, source,
                    shared + f"words {derivative.id} credits to {source.registry_outlet}, picked up from its interview "
                    "or report", forward,
                )
            return _related(
                a, b, "shared_quote", None,
                shared + f"a third party's words, which both may have from that party, not {source.id}'s prose", forward,
            )
        if confidence < 0:
            # A short scoop is mostly inside the longer text that retells it: the credit says who followed whom.
            credited = _credited_story(a, b, a_from_b, b_from_a)
            if credited and credited["derivative"] == source.id:
                return credited
            confidence, reasons = 0.0, []
        background = _background_line(derivative, source, forward)
        return _derivation(derivative, source, forward, confidence, reasons, {
            "mutual": mutual,
            "reverse_coverage": round(backward.coverage, 3),
            "reverse": {"relation": relation(backward), "score": score(backward), **backward.as_dict()},
            "undated": undated(derivative, source),
            **({"background_line": background} if background else {}),
            **({
                "credited_quote_words": forward.longest_credited_quote,
                "credited_quotes": [list(q) for q in forward.credited_quotes],
                "credited_outlet": source.registry_outlet,
                "said_to_outlet": _said_to(derivative, source.registry_outlet, forward.credited_quotes),
            } if forward.longest_credited_quote else {}),
        })
    credited = _credited_story(a, b, a_from_b, b_from_a)
    if credited:
        return credited
    best = a_from_b if a_from_b.coverage >= b_from_a.coverage else b_from_a
    shared_quotes = sorted(set(a.quotes) & set(b.quotes))
    if shared_quotes or best.quoted_verbatim_words >= 8:
        reported = _reported_release(a, b, a_from_b, b_from_a)
        if reported:
            return reported
        pickup = _quote_pickup(a, b, a_from_b, b_from_a)
        if pickup:
            return pickup
        words = shared_quotes[0] if shared_quotes else _quoted_run(a if best is a_from_b else b, best)
        quote = f": „{words[:120]}“" if words else ""
        said_to = sorted(
            (_credited_beside_quotations(a, a_from_b) & _credited_beside_quotations(b, b_from_a))
            - {a.registry_outlet, b.registry_outlet}
        )
        if said_to:
            return _related(
                a, b, "common_source", said_to[0],
                f"both quote words said to {said_to[0]}{quote}: two pickups of its interview or report", best,
            )
        naming = [f"{x.id} names {y.registry_outlet} as a source" for x, y in ((a, b), (b, a)) if _story_credits(x, y)]
        return _agency_siblings(a, b, a_from_b, b_from_a, best) or _related(
            a, b, "shared_quote", None, f"both quote the same words{quote}" + "".join(f"; {n}" for n in naming), best,
        )
    gap = days_apart(a.date, b.date)
    if gap is not None and abs(gap) > SAME_EVENT_DAYS:
        return None
    if best.aligned_sentences < SAME_EVENT_SENTENCES or best.coverage < SAME_EVENT_COVERAGE:
        return None
    if max(a_from_b.vocabulary, b_from_a.vocabulary) < MIN_VOCABULARY:
        return None
    reported = _reported_release(a, b, a_from_b, b_from_a)
    if reported:
        return reported
    shared_numbers = sorted(a.numbers & b.numbers)
    reason, item = "other", None
    if same_outlet(a, b) and a.agencies == b.agencies:
        # One newsroom telling a story again (an update, a follow-up, another angle) is not an
        # independent report, and not a rewrite either: say which it is.
        when = "" if gap is None else f" {_days(abs(gap))} apart" if gap else " on the same day"
        ending = f" two {a.outlet} reports on one story{when}: a follow-up told anew, not a rewrite"
    elif gap is not None and abs(gap) >= LOOSE_TURN_DAYS:
        # Days apart, what two reports share is the story's background (who, the figures so far);
        # what each reports is a new turn of it.
        ending = f" independent reports on one running story, {_days(abs(gap))} apart, not of one event"
    elif item := _credited_item(a, b, a_from_b, b_from_a):
        text, other, forward = item
        ending = (
            f" {text.id} credits {other.registry_outlet}'s report beside the {forward.retold_sentences} sentences that "
            f"retell {other.id}, which hold only {forward.retold_share:.0%} "
            f"of its words: one item of that report taken into a story of its own, not independent, and not a rewrite"
        )
    elif lone := _lone_lead(a, b, a_from_b, b_from_a):
        ending = (
            f" the lead of {lone[0].id} (its headline and first sentences) has no counterpart in {lone[1].id}: two "
            "reports on one story (an action and the reaction, a side event, a round-up or a column), not of one event"
        )
    else:
        reason, ending = "same_event", " independent reports of the same event"
    # A stub (a paywall teaser: the headline and a line) may be all traced and still too thin to
    # be a rewrite: say so, not "only 100 % of the text".
    thin = next((x for x, ev in ((a, a_from_b), (b, b_from_a)) if is_derived(ev) and not _body_carries(x, ev)), None)
    explanation = (
        f"{best.aligned_sentences} sentence(s) correspond and the texts share names"
        + (f" and figures ({', '.join(shared_numbers[:5])})" if shared_numbers else "")
        + (
            f", but {thin.id} has only {thin.body_words} words besides its headline (a paywall stub or teaser): "
            "too few to tell a rewrite from a report of its own" if thin else
            f", but only {best.coverage:.0%} of the text and {best.vocabulary:.0%} of the informative vocabulary:"
            + ending
        )
    )
    if thin:
        reason = "other"
    siblings = _agency_siblings(a, b, a_from_b, b_from_a, best)
    if siblings:
        return siblings
    related = _related(a, b, reason, None, explanation, best)
    if item:
        related["evidence"].update(item_picked_up_from=item[1].id, credited_outlet=item[1].registry_outlet)
    return related


def _without_agency_feed(profile: Profile) -> bool:
    """Whether a text credits no agency and comes from a site the registry knows as no newsroom
    (`Profile.feedless`). Newsrooms subscribe to agencies and run their copy uncredited, and a
    site the registry does not list may be one (a regional paper); a site it knows as none has
    no feed: what it shares with agency copy on a news site it took from that page (how a
    content farm rewrites a wire story it found: the seed case)."""
    return profile.feedless and not profile.agencies


def _retells_agency_page(derivative: Profile, source: Profile) -> bool:
    """Whether `derivative` took the agency copy `source` carries from `source`'s page, not from
    the agency: it has no feed (`_without_agency_feed`) and is not dated before the page."""
    apart = days_apart(source.date, derivative.date)
    return _without_agency_feed(derivative) and (apart is None or apart >= 0)


def _lone_lead(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence) -> tuple[Profile, Profile] | None:
    """(text, other text) where the first text's lead has no counterpart in the other, else None.
    Two reports of one event both lead with it; a lead without a counterpart is another event of
    the story: a reaction, a side event, a digest's other item. Read on 32 same-day pairs of INSM
    that were called one event: where both leads had a counterpart 8 were right, 3 wrong, 1
    debatable; where only one had, 3 right and 5 wrong; where neither, 1 right, 8 wrong, 3
    debatable (a blind hand review)."""
    for text, other, ev in ((a, b, a_from_b), (b, a, b_from_a)):
        if not _lead_corresponds(text, ev):
            return text, other
    return None


def _lead_corresponds(profile: Profile, ev: Evidence, word_for_word: bool = False) -> bool:
    """Whether a passage of `ev` (`profile` on its derivative side; a verbatim one if
    `word_for_word`) covers part of the profile's lead: its headline or first LEAD_SENTENCES sentences."""
    spans = [(p.derivative_start, p.derivative_end) for p in ev.alignment.passages if p.kind == "verbatim" or not word_for_word]
    return bool(_touched([profile.units[i] for i in sorted(profile.lead)], spans))


def _quoted_run(derivative: Profile, ev: Evidence) -> str:
    """The words of the longest run both texts quote, as the derivative has them (word forms):
    what "both quote the same words" points to where no whole quotation is the same."""
    if not ev.alignment.shared_quotations:
        return ""
    start, end, _ = max(ev.alignment.shared_quotations, key=lambda q: (q[1] - q[0], -q[0]))
    return _quoted_words(derivative, start, end)


def _quoted_words(profile: Profile, start: int, end: int, skip: frozenset[str] = frozenset()) -> str:
    """The quoted word forms of `profile` between the character offsets `start` and `end`; without
    leading words in `skip`: the outlet named in quotation marks just before the quotation (dem
    „Tagesspiegel“: „…“) is not what was said."""
    words = [
        w.form for u in profile.units for w, quoted in zip(u.words, u.quoted) if quoted and start <= w.start and w.end <= end
    ]
    while words and words[0] in skip:
        words.pop(0)
    return " ".join(words)


def _quote_pickup(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence) -> dict | None:
    """A text that quotes words as said to the other's outlet, which the other printed, and
    retells little else of it (`retells`): it picked up one quote of that interview or report.
    Where the words come from is known, but the text is not a rewrite of the other's."""
    for derivative, source, forward in ((a, b, a_from_b), (b, a, b_from_a)):
        if forward.longest_credited_quote < LONG_RUN_WORDS:
            continue
        start, end, words = max(forward.credited_quotes, key=lambda q: (q[2], -q[0]))
        said = _quoted_words(derivative, start, end, skip=source.names)
        quotations = len(forward.credited_quotes)
        return _picked_up_from(
            a, b, source,
            f"{derivative.id} quotes "
            + (f"{words} words" if quotations == 1 else f"{quotations} quotations (the longest {words} words)")
            + (f" as said to {source.registry_outlet}" if _said_to(derivative, source.registry_outlet, forward.credited_quotes)
               else f" beside a credit to {source.registry_outlet}'s report")
            + f" („{said[:120]}“), which {source.id} printed: a pickup of "
            + ("the quote" if quotations == 1 else "its quotes")
            + f" from its interview or report; only {forward.retold_sentences} sentence(s) of {derivative.id} "
            f"({forward.retold_share:.0%} of its words) match "
            f"{source.id} clearly, too little of it for a rewrite",
            forward,
        )
    return None


def _picked_up_from(a: Profile, b: Profile, source: Profile, explanation: str, ev: Evidence) -> dict:
    """A `shared_quote` whose words the other text picked up from `source` (its outlet's interview
    or report): the evidence names the text and its outlet (`_picked_up_elsewhere` reads them)."""
    related = _related(a, b, "shared_quote", None, explanation, ev)
    related["evidence"].update(quote_picked_up_from=source.id, credited_outlet=source.registry_outlet)
    return related


def _agency_siblings(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence, best: Evidence) -> dict | None:
    """Instead of a shared quote or the same event: two texts that credit one news agency and,
    within NEWSROOM_DAYS, share a run of its wording that neither quotes ('Der Kreistag hatte die
    Schließung im Herbst beschlossen'), too short for a derivation, are two uses of
    one agency story, however many statements both also quote."""
    wire = sorted(a.agencies & b.agencies & NEWS_AGENCIES)
    run = max(a_from_b.longest_prose_verbatim, b_from_a.longest_prose_verbatim)
    gap = days_apart(a.date, b.date)
    if not wire or run < MIN_VERBATIM_WORDS or (gap is not None and abs(gap) > NEWSROOM_DAYS):
        return None
    wire = "/".join(wire)
    return _related(
        a, b, "common_source", wire,
        f"both credit {wire} and share its wording outside quotations (a run of {run} words): text both have from "
        f"{wire} (one story of the agency, or its standing lines), not two independent reports",
        best,
    )


def _credited_story(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence) -> dict | None:
    """A report that names the other's outlet as where it has the story ('Zuerst hatte die
    „Bild“-Zeitung darüber berichtet', 'wie das RND berichtet') and retells it in corresponding
    sentences: a credited pickup of that outlet's report, derived however much it rewrites, not
    an independent report of one event. Only within a day, not between pages of one outlet, and
    only where the credit stands beside the corresponding text (`_pickup_credit`): a credit for
    another fact ('nach ARD-Angaben', of a television programme) does not make the story the outlet's."""
    if same_outlet(a, b):
        return None
    apart = days_apart(a.date, b.date)
    if apart is not None and abs(apart) > CREDITED_STORY_DAYS:
        return None
    # Both crediting one third outlet: their likeness may come from its report (a common source).
    third = (_credited_names(a) & _credited_names(b)) - {a.registry_outlet, b.registry_outlet}
    if third:
        return None
    found = []
    for derivative, source, forward, backward in ((a, b, a_from_b, b_from_a), (b, a, b_from_a, a_from_b)):
        # Agency copy on the outlet's site is the agency's story, which other outlets carry too;
        # the outlet's own story signed with an agency besides ('RND/dpa') is the outlet's.
        if source.agency_copy:
            continue
        if (
            forward.aligned_sentences < SAME_EVENT_SENTENCES
            or forward.coverage < SAME_EVENT_COVERAGE or forward.vocabulary < MIN_VOCABULARY
        ):
            continue
        credit = _pickup_credit(derivative, source, forward)
        if credit:
            found.append((derivative, source, forward, backward, credit))
    if len(found) != 1:
        return None  # neither, or each crediting the other: no order to tell
    derivative, source, forward, backward, credit = found[0]
    confidence, reasons = direction(derivative, source, forward, backward)
    if confidence <= 0:
        return None  # the credit is outweighed (an hour earlier the same day): an earlier report of that outlet
    return _derivation(derivative, source, forward, confidence, reasons, {
        "mutual": False,
        "reverse_coverage": round(backward.coverage, 3),
        "credited_story": True,
        "credited_outlet": source.registry_outlet,
        "credit": list(credit),
    })


def _credited_names(profile: Profile) -> frozenset[str]:
    return frozenset(name for credit in profile.credits for name in credit.names)


def _reported_release(a: Profile, b: Profile, a_from_b: Evidence, b_from_a: Evidence) -> dict | None:
    """A report of a press release, in its own words: a news text whose sentences correspond to an
    organisation's release within days and carry its figures. Two reports of one event are
    independent; a release is not a report but the organisation's own account, and the figures
    and statements a report takes from it come from the organisation (directly, or from the study
    the release announces). Kept only where the report names the organisation (`reconcile`):
    without that, both may quote a third party's figures.

    A release without figures (a demand, a statement) is reported the same way with its
    spokesperson's words: a report naming the issuer that quotes RELEASE_QUOTE_WORDS of what
    the release quotes has them from the release. Not naming it, both may quote a politician
    the release quotes too: `reconcile` makes that a shared quote again."""
    apart = days_apart(a.date, b.date)
    if a.release == b.release or (apart is not None and abs(apart) > SAME_EVENT_DAYS):
        return None
    report, release, forward, backward = (b, a, b_from_a, a_from_b) if a.release else (a, b, a_from_b, b_from_a)
    if forward.aligned_sentences < SAME_EVENT_SENTENCES or forward.coverage < SAME_EVENT_COVERAGE:
        return None
    figures = sorted(_aligned_figures(report, forward) & release.numbers)
    quoted = forward.quoted_verbatim_words
    if len(figures) < RELEASE_FIGURES and (quoted < RELEASE_QUOTE_WORDS or not _names(report.units, release.names)):
        return None
    if report.obtained and not forward.longest_verbatim:
        return _related(
            a, b, "same_event", None,
            f"{report.id} gives figures of what the press release {release.id} is about ({', '.join(figures[:5])}), "
            f"but shares no wording with it and names another way to the paper („{report.obtained[0]}“): "
            "two accounts of one study, not a report of the release", forward,
        )
    confidence, reasons = direction(report, release, forward, backward)
    if confidence <= 0:
        confidence, reasons = RELEASE_WEIGHT, [_release_reason(release, report)]
    return _derivation(report, release, forward, confidence, reasons, {
        "mutual": False,
        "reverse_coverage": round(backward.coverage, 3),
        "reports_release": True,
        "release_figures": figures[:10],
        **({"release_quote_words": quoted} if quoted else {}),
    })


def _derivation(
    derivative: Profile, source: Profile, forward: Evidence, confidence: float, reasons: list[str], evidence: dict,
) -> dict:
    """A derivation verdict: relation and measures read from `forward`, `evidence` added to its numbers."""
    return {
        "kind": "derivation",
        "derivative": derivative.id,
        "source": source.id,
        "relation": relation(forward),
        "score": score(forward),
        "coverage": round(forward.coverage, 3),
        "source_coverage": round(forward.source_coverage, 3),
        "verbatim_share": round(forward.verbatim_share, 3),
        "direction": {"confidence": round(confidence, 3), "reasons": reasons},
        "evidence": {
            **forward.as_dict(), **evidence, **({"no_agency_feed": True} if _without_agency_feed(derivative) else {}),
        },
        "passages": [p.as_dict() for p in forward.alignment.passages],
    }


def _background_line(derivative: Profile, source: Profile, ev: Evidence) -> dict | None:
    """A partial overlap of two outlets' texts weeks apart that rests on one or two runs shorter
    than a paragraph (and at most one other sentence rewritten closely): agencies and outlets
    repeat such background lines ("Die Nachbarländer lehnen den Bau ab, weil …") in every
    report on a topic, so it says little about who read whom. Marked here and settled in `reconcile`, which knows
    whether the derivative names the source (then it is a quotation, and stays a derivation)."""
    if same_outlet(derivative, source) or relation(ev) != "partial":
        return None
    gap = days_apart(source.date, derivative.date)
    if gap is None or abs(gap) < BACKGROUND_DAYS or ev.longest_unquoted_verbatim >= SLIVER_RUN_WORDS:
        return None
    passages = ev.alignment.passages
    runs = [(p.derivative_start, p.derivative_end) for p in passages if p.kind == "verbatim"]
    close = {
        p.derivative_start for p in passages
        if p.kind == "paraphrase" and p.similarity >= STRONG_SENTENCE
        and not any(start < p.derivative_end and p.derivative_start < end for start, end in runs)
    }
    if _evidence_blocks(ev)[0] > BACKGROUND_RUNS or len(close) > 1:
        return None
    return {"run_words": ev.longest_unquoted_verbatim, "days_apart": abs(gap)}


def _release_reason(release: Profile, other: Profile) -> str:
    how = f"distributed with the credit '{release.wire_credit}'" if release.wire_credit else "so its input says"
    return f"{release.id} is a press release ({how}), where a story starts; {other.id} is not"


RELEASE_FIGURES = 2    # figures of the release in the report's matching sentences
RELEASE_QUOTE_WORDS = LONG_RUN_WORDS  # ... or words of its quotations, quoted word for word
RELEASE_WEIGHT = 0.35  # what "this is the press release" adds to the direction, like a wire credit
CREDITED_QUOTE_WEIGHT = 0.4  # ... and "it quotes words as said to the other's outlet", like a day's date
FIRST_CREDIT_WEIGHT = 0.6    # ... and "it says the other's outlet had the story first" ('Zuerst hatte die „Bild“ berichtet')
CREDITED_STORY_DAYS = 1      # a credited pickup of a report (`_credited_story`) follows it within a day
# ... and beside its credit retells a sentence of it this closely, or word for word: a weaker match
# is a topic both share, which the outlet's other articles share too (a 'schreibt „Bild“' for Bild's
# Seehofer interview beside Bild's story on vaccine deliveries).
CREDITED_RETELLING = 0.3
# ... and retells this many of its sentences clearly (RETOLD_SIMILARITY): the credited fact and
# more; a scoop of a few sentences retold retells three. Read on INSM: the five credited stories
# retelling fewer were, in a blind review, four reports of their own that credit the outlet for
# one fact (or for another article of it) and one that retells the outlet's report of a paper.
CREDITED_STORY_RETOLD = 3


def _retold_share(forward: Evidence, backward: Evidence) -> float:
    """Harmonic mean of the two texts' shares in verbatim runs: high only where each is mostly the other."""
    total = forward.verbatim_share + backward.verbatim_share
    return 2 * forward.verbatim_share * backward.verbatim_share / total if total else 0.0


def _carries_a_paragraph(relation_name: str, longest_unquoted_run: int) -> bool:
    """Whether a derivation between two pages of one publisher (one outlet, or sister sites of
    one owner) is reuse of a story rather than its furniture: a copy, or a paragraph carried over."""
    return relation_name == "copy" or longest_unquoted_run >= SAME_OUTLET_RUN_WORDS


def _template(a: Profile, b: Profile, ev: Evidence, a_derived: bool) -> dict | None:
    """Days apart, with most matching sentences the same words around other figures (the daily
    case numbers, lottery results): a recurring template, whoever publishes it, not one story."""
    derivative, source = (a, b) if a_derived else (b, a)
    refilled = _refilled_sentences(derivative, source, ev)
    days = days_apart(source.date, derivative.date)
    if days is None or abs(days) < TEMPLATE_DAYS or refilled < max(TEMPLATE_SENTENCES, TEMPLATE_SHARE * ev.aligned_sentences):
        return None
    return _related(
        a, b, "other", None,
        f"{refilled} of the {ev.aligned_sentences} matching sentences repeat their wording with other figures, "
        f"{_days(abs(days))} apart: a recurring template (results, daily statistics), not reuse", ev,
    )


def _aligned_figures(derivative: Profile, ev: Evidence) -> frozenset[str]:
    """The figures of the derivative's sentences that match the source: a template repeats its
    wording around new figures, while a report that takes a few sentences from a release keeps
    their figures, whatever other figures the rest of it gives."""
    return frozenset(n for d in best_pairs(ev.alignment) for n in derivative.units[d].numbers)


def _refilled_sentences(derivative: Profile, source: Profile, ev: Evidence) -> int:
    """Aligned sentence pairs whose figures differ and whose wording, figures and date words
    masked, is the same or nearly (80 %): a template filled in again (lottery results, the
    daily case numbers, "am Montagmorgen" → "am Dienstagmorgen")."""
    refilled = 0
    for d, (_, s) in best_pairs(ev.alignment).items():
        mine, theirs = [w.form for w in derivative.units[d].words], [w.form for w in source.units[s].words]
        if _figures(mine) == _figures(theirs):
            continue
        masked_mine, masked_theirs = _masked(mine), _masked(theirs)
        if masked_mine == masked_theirs or (
            difflib.SequenceMatcher(None, masked_mine, masked_theirs, autojunk=False).ratio() >= REFILLED_WORDING
        ):
            refilled += 1
    return refilled


def _figures(forms: list[str]) -> list[str]:
    """The figures of a sentence as values: "8.616" and "8616" are one figure, written two ways."""
    return [number_value(form) if _FIGURE.match(form) else form for form in forms if any(c.isdigit() for c in form)]


_FIGURE = re.compile(r"^\d+(?:[.,]\d+)*$")


def _masked(forms: list[str]) -> list[str]:
    return ["#" if any(c.isdigit() for c in form) or form in DATE_WORDS else form for form in forms]


# Words a template refills with the date ("Lottozahlen vom Samstag, 16. Januar").
DATE_WORDS = frozenset(
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar jänner februar märz april "
    "mai juni juli august september oktober november dezember monday tuesday wednesday thursday friday "
    "saturday sunday january february march may june july october december".split()
)


def _unshared_topic(derivative: Profile, source: Profile, ev: Evidence) -> float | None:
    """How much of the derivative's informative vocabulary outside the shared passages the source
    uses at all: an update or follow-up stays on its source's topic; a story that carries a box,
    template or background paragraph of another does not. None when too little is left to say."""
    touched = _touched(derivative.units, [(p.derivative_start, p.derivative_end) for p in ev.alignment.passages])
    touched.update(ev.alignment.loose_units)  # on the source's topic, if no rewrite of it
    rest = [u for i, u in enumerate(derivative.units) if i not in touched and u.kind != "title"]
    if sum(len(u.words) for u in rest) < TOPIC_REST_WORDS:
        return None
    return vocabulary_containment(vocabulary(rest), source.vocabulary)


def _body_carries(derivative: Profile, ev: Evidence) -> bool:
    """Whether a derivation verdict rests on the derivative's body, not on a headline alone
    (paywall stubs: their only content is the headline, often repeated once)."""
    if derivative.body_words >= MIN_BODY_WORDS:
        return True
    return ev.longest_unquoted_verbatim >= LONG_RUN_WORDS and any(
        p.kind == "verbatim" for p in ev.alignment.passages
        if not _inside_title(derivative, p.derivative_start, p.derivative_end)
    )


def _inside_title(profile: Profile, start: int, end: int) -> bool:
    return any(u.kind == "title" and u.start <= start and end <= u.end for u in profile.units)


def _touched(units: list[Unit], spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the units that the character spans overlap."""
    return {i for i, u in enumerate(units) for start, end in spans if start < u.end and u.start < end}


def _teaser(derivative: Profile, source: Profile, forward: Evidence, backward: Evidence) -> str | None:
    """Within one outlet, text shared only with the other article's headline and lead (its headline's
    words among it, and most of the lines it touches), and a small part of the article carrying
    it, is a teaser box linking to that article, not reuse. A standing phrase in a lead sentence
    ('im Auftrag der …') is no teaser."""
    if not same_outlet(derivative, source):
        return None
    passages = forward.alignment.passages
    source_spans = [(p.source_start, p.source_end) for p in passages]
    derivative_spans = [(p.derivative_start, p.derivative_end) for p in passages]
    in_source = _touched(source.units, source_spans)
    in_derivative = _touched(derivative.units, derivative_spans)
    source_lead = bool(in_source) and in_source <= source.lead and forward.coverage < TEASER_COVERAGE
    derivative_lead = bool(in_derivative) and in_derivative <= derivative.lead and backward.coverage < TEASER_COVERAGE
    if not (source_lead or derivative_lead):
        return None
    shared = _forms_inside(source.units, source_spans) | _forms_inside(derivative.units, derivative_spans)
    if source_lead and _repeats_headline(source, in_source, source_spans, shared):
        return (f"{derivative.id} repeats only the headline and lead of {source.id}, another {source.outlet} article: "
                "a teaser linking to it, not a rewrite")
    if derivative_lead and _repeats_headline(derivative, in_derivative, derivative_spans, shared):
        return (f"{source.id} repeats only the headline and lead of {derivative.id}, another {source.outlet} article: "
                "a teaser linking to it, not a rewrite")
    return None


def _repeats_headline(profile: Profile, touched: set[int], spans: list[tuple[int, int]], shared: set[str]) -> bool:
    """Whether the shared text (word forms `shared`) carries most of the profile's headline, where
    it has one (scraped pages repeat it in the body, where the match lands, or give the page title
    and the display headline in other words), and most of the words of the lead lines it touches:
    what a teaser of the article repeats."""
    headline = {w.form for u in profile.units if u.kind == "title" for w in u.words}
    if len(headline & shared) < TEASER_HEADLINE * len(headline):
        return False
    words = [w for i in touched for w in profile.units[i].words]
    return sum(1 for w in words if _inside_any(w, spans)) >= TEASER_LINES * len(words)


def _forms_inside(units: list[Unit], spans: list[tuple[int, int]]) -> set[str]:
    return {w.form for u in units for w in u.words if _inside_any(w, spans)}


def _inside_any(word, spans: list[tuple[int, int]]) -> bool:
    return any(start <= word.start and word.end <= end for start, end in spans)


def _evidence_blocks(ev: Evidence) -> tuple[int, int]:
    """(verbatim blocks of the source, derivative sentences rewritten closely, the sentences
    holding a block included). A block the derivative repeats (a promo box above and below the
    article) counts once."""
    passages = ev.alignment.passages
    spans = sorted((p.source_start, p.source_end) for p in passages if p.kind == "verbatim")
    blocks, reach = 0, -1
    for start, end in spans:
        if start >= reach:
            blocks += 1
        reach = max(reach, end)
    strong = {p.derivative_start for p in passages if p.kind == "paraphrase" and p.similarity >= STRONG_SENTENCE}
    return blocks, len(strong)


def _related(a: Profile, b: Profile, reason: str, common_source: str | None, explanation: str, ev: Evidence) -> dict:
    first, second = sorted((a.id, b.id))
    return {
        "kind": "related",
        "documents": [first, second],
        "reason": reason,
        "common_source": common_source,
        "explanation": explanation,
        "evidence": ev.as_dict(),
    }


def background_lines(reason: str, common_source: str | None, gap: int | None, evidence: dict) -> bool:
    """Whether a pair called siblings of an agency's text (or of an unnamed common source) are
    rather two stories, BACKGROUND_DAYS or more apart, that repeat a few of the agency's standing
    lines on the topic (the charges against a man, when a law took effect): related `other`.
    Siblings of one document, or pickups of one outlet's interview, stay what they are.

    Said of the graph's final verdicts only (`reconcile`): that the shared lines are the agency's
    is still evidence that a text carries its copy (`_wire_copy`)."""
    if reason != "common_source" or gap is None or abs(gap) < BACKGROUND_DAYS:
        return False
    if evidence.get("verbatim_share", 0.0) >= BACKGROUND_SHARE:
        return False
    return common_source is None or common_source == UNCREDITED_WIRE or all(
        agencies.key_of(part) in NEWS_AGENCIES for part in common_source.split("/")
    )


def _background_explanation(first: str, second: str, common_source: str | None, gap: int, evidence: dict) -> str:
    """Names an agency only where a credit does: lines neither text credits may as well be a
    promo, an official description or an outlet's own background."""
    if common_source and common_source != UNCREDITED_WIRE:
        shared, whose = f"{common_source}'s background lines on the topic", "the agency's standing text"
    elif common_source == UNCREDITED_WIRE:
        shared, whose = "a few lines on the topic, most likely an agency's background that neither credits,", "standing text"
    else:
        shared, whose = "a few standing lines (background, an official description or a promo)", "the same standing lines"
    return (
        f"{first} and {second}, {_days(abs(gap))} apart, share {shared} and little else "
        f"({evidence.get('verbatim_share', 0.0):.0%} of the text word for word): two stories that repeat {whose}, "
        "not siblings of one story"
    )


def _not_derived(
    derivative: str, source: str, d: dict, credits: frozenset, pickups: dict, standing: dict | None = None,
) -> tuple[str, str | None, str] | None:
    """(reason, common source, explanation) where a pairwise derivation is not one once the
    outlets are known: two pages of one outlet sharing mostly its standing text, a report of a
    release that does not name its issuer, two pickups of a third outlet's report, a background
    line the later text does not credit."""
    evidence = d["evidence"]
    furniture = (standing or {}).get((derivative, source))
    if furniture and not furniture.get("elsewhere"):
        return (
            "other", None,
            f"{derivative} and {source} share mostly {furniture['outlet']}'s standing text: {furniture['prints']} of the "
            f"{furniture['of']} word sequences in their common runs recur in up to {furniture['pages']} of its pages from "
            f"{furniture['first']} to {furniture['last']} (a plug, box or template the outlet repeats), not a rewrite",
        )
    if evidence.get("reports_release") and (derivative, source) not in credits:
        if evidence.get("release_quote_words"):
            return (
                "shared_quote", None,
                f"{derivative} quotes {evidence['release_quote_words']} words that the press release {source} quotes "
                "too, but does not name its issuer: both may have them from the person quoted",
            )
        return (
            "same_event", None,
            f"{derivative} reports what the press release {source} is about, with its figures "
            f"({', '.join(evidence.get('release_figures', [])[:5])}), but does not name its issuer: "
            "the figures may be a third party's; two accounts of one event",
        )
    if (derivative, source) in pickups:
        outlet = pickups[(derivative, source)]
        return (
            "common_source", outlet,
            f"{derivative} and {source} both credit {outlet} for their story and neither names the other: "
            f"two pickups of one {outlet} report, whose words they share",
        )
    line = evidence.get("background_line")
    if line and (derivative, source) not in credits:
        return (
            "common_source", None,
            f"{derivative} shares with {source}, {_days(line['days_apart'])} apart, one run of {line['run_words']} words "
            "and no other passage close to word for word, and does not name it: a background line that agencies "
            "and outlets repeat in reports on the topic, most likely from a common source, not a rewrite",
        )
    return None


def standing_text(outlet: str, carriers: list[list[tuple[str | None, str | None]]]) -> dict | None:
    """Whether the runs two pages of `outlet` share are mostly its standing text.

    `carriers` holds, for each winnowed k-gram inside the shared runs, the (outlet, date) of
    every page carrying it. A k-gram is standing text when STANDING_PAGES pages of the outlet
    carry it over at least STANDING_DAYS days; returns how many are, of how many, in how many
    pages at most, first and last date, when they are at least STANDING_SHARE of them. Failing
    that, when STANDING_SHARE of them are carried by a page of one other outlet, returns that
    outlet (`elsewhere`) and how many it carries: text the outlet and another ran, agency copy."""
    standing, pages, first, last = 0, 0, None, None
    elsewhere: dict[str, int] = {}
    for carrying in carriers:
        for other in {place for place, _ in carrying if place and place != outlet}:
            elsewhere[other] = elsewhere.get(other, 0) + 1
        dates = sorted(date[:10] for place, date in carrying if place == outlet and date)
        spread = days_apart(dates[0], dates[-1]) if len(dates) >= STANDING_PAGES else None
        if spread is not None and spread >= STANDING_DAYS:
            standing += 1
            pages = max(pages, len(dates))
            first = min(first or dates[0], dates[0])
            last = max(last or dates[-1], dates[-1])
    if not carriers:
        return None
    if standing >= STANDING_SHARE * len(carriers):
        return {"outlet": outlet, "prints": standing, "of": len(carriers), "pages": pages, "first": first, "last": last}
    other, carried = min(elsewhere.items(), key=lambda item: (-item[1], item[0]), default=(None, 0))
    if carried and carried >= STANDING_SHARE * len(carriers):
        return {"outlet": outlet, "elsewhere": other, "prints": carried, "of": len(carriers)}
    return None


def _reversed_measures(d: dict) -> dict:
    """Relation, score and measures of a mutual derivation read the other way: judged by how
    much of the new derivative comes from the new source (verdicts stored before the reverse
    measures were kept turn their coverage only)."""
    reverse = d["evidence"].get("reverse")
    if not reverse:
        return {"coverage": d["evidence"].get("reverse_coverage", d["coverage"])}
    forward = {key: value for key, value in d["evidence"].items() if key not in ("reverse", "reverse_coverage", "mutual")}
    return {
        "relation": reverse["relation"],
        "score": reverse["score"],
        "coverage": reverse["coverage"],
        "source_coverage": reverse["source_coverage"],
        "verbatim_share": reverse["verbatim_share"],
        "evidence": {
            **{key: value for key, value in reverse.items() if key not in ("relation", "score")},
            "mutual": d["evidence"].get("mutual", False), "reverse_coverage": d["coverage"],
            "reverse": {"relation": d["relation"], "score": d["score"], **forward},
        },
    }


# --- the corpus: chains and origins -----------------------------------------------------------------


def reconcile(
    derivations: list[dict], related: list[dict], wire_pairs: dict | None = None, credits: dict | None = None,
    sisters: frozenset = frozenset(), pickups: dict | None = None, standing: dict | None = None,
    fold_duplicates: bool = True, dates: dict[str, str | None] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Turn pairwise verdicts into a consistent graph of chains and siblings.

    - two rewrites of one source resemble each other: that is a `common_source`, not a
      derivation of one from the other;
    - a rewrite of a rewrite resembles the origin too: that is a chain, not a second edge;
    - a text that took over a page carries what that page shares with others (the issuer's
      standing paragraph, an agency's background): where what it shares with such a text lies
      inside what it took from the page (`_inherited_from`), it has those words from the page;
    - an article stored under two ids (`duplicate`) is one source and one derivative: its
      derivations are reported once (`_one_article_twice`), the repeats related `other`
      (unless not `fold_duplicates`: a one-article check reports that article's own);
    - two texts that both credit one third outlet (`pickups`: 'wie die "Bild"-Zeitung berichtet')
      and neither the other are two pickups of that outlet's report: its `common_source`;
    - two pages of one outlet whose common runs are mostly its standing text (`standing`:
      (derivative, source) → `standing_text`), repeated in its pages for weeks, share furniture:
      related `other`; whose common runs another outlet carries word for word too, agency copy
      (`common_source`, the agency where the source's text is traced to it, else uncredited);
    - a partial overlap of two outlets weeks apart resting on one background line
      (`_background_line`) is a derivation only where the later text names the earlier;
    - where nothing but the wording orders a pair (`undated`) and the wording says little, the
      text that many others draw on is the source (the centre of a star of reuse);
    - where a mutual match has no dated or credited order, the text that names the other
      (`credits`: (a, b) when a names b or its outlet, "sagte dem SPIEGEL") is the later one;
      failing that, the text that is itself derived from a third sits nearer the origin and
      is taken as the source;
    - related pairs that descend from one document name it as their common source;
    - a derivation from a source that shares its text with agency copy, or between two
      newsrooms neither naming the other (`wire_pairs`: pair → days apart, see
      `pipeline.outlet_evidence`) that share a verbatim run, is two uses of one agency story
      or of its background lines: a `common_source`; two such newsrooms without a run are two
      reports of one story: `same_event` within NEWSROOM_DAYS, a running story told twice
      (`other`) further apart. But a derivative naming its source within days (`credits`:
      pair → days apart) picked it up (an interview, a scoop), whatever agency relayed it too;
    - two sites of one owner (`sisters`) sharing no paragraph are like one outlet's pages:
      the owner's furniture, related `other`;
    - with the documents' `dates`, siblings of an agency's text days apart that share little
      word for word repeat its background lines (`background_lines`): related `other`.
    """
    edges = {(d["derivative"], d["source"]): d for d in derivations}
    credits = credits or {}
    extra: list[dict] = []
    related = list(related)
    for (derivative, source), d in sorted(edges.items()):
        demoted = _not_derived(derivative, source, d, credits, pickups or {}, standing)
        if demoted:
            r = _graph_related(derivative, source, *demoted, d)
            related.append({key: value for key, value in r.items() if not key.startswith("_")})
            del edges[(derivative, source)]
    parents: dict[str, set[str]] = {}
    for derivative, source in edges:
        parents.setdefault(derivative, set()).add(source)

    def flip(derivative: str, source: str, confidence: float, reason: str) -> None:
        d = edges.pop((derivative, source))
        edges[(source, derivative)] = {
            **d,
            **_reversed_measures(d),
            "derivative": source,
            "source": derivative,
            "direction": {"confidence": confidence, "reasons": [reason]},
            "passages": [
                {**p, "derivative_start": p["source_start"], "derivative_end": p["source_end"],
                 "source_start": p["derivative_start"], "source_end": p["derivative_end"]}
                for p in d["passages"]
            ],
        }
        parents[derivative].discard(source)
        parents.setdefault(source, set()).add(derivative)

    for (derivative, source), d in sorted(edges.items()):
        if not d["evidence"].get("mutual") or d["direction"]["confidence"] >= CREDIT_OVERRULES:
            continue
        if (source, derivative) in credits and (derivative, source) not in credits:
            flip(derivative, source, CREDIT_CONFIDENCE,
                 f"{source} names {derivative} or its outlet as a source and {derivative} does not name {source}: "
                 f"{source} is the later text")
        elif (derivative, source) in credits and (source, derivative) not in credits:
            edges[(derivative, source)] = {**d, "direction": {
                "confidence": max(d["direction"]["confidence"], CREDIT_CONFIDENCE),
                "reasons": [f"{derivative} names {source} or its outlet as a source", *d["direction"]["reasons"]],
            }}

    drawn_on: dict[str, int] = {}
    for _, source in edges:
        drawn_on[source] = drawn_on.get(source, 0) + 1
    for (derivative, source), d in sorted(edges.items()):
        if not d["evidence"].get("undated") or d["direction"]["confidence"] >= HUB_OVERRULES or "reverse" not in d["evidence"]:
            continue
        mine, theirs = drawn_on.get(derivative, 0), drawn_on.get(source, 0)
        if mine >= HUB_MIN_LINKS and mine >= HUB_RATIO * theirs:
            flip(derivative, source, HUB_CONFIDENCE,
                 f"{mine} texts draw on {derivative}, {theirs} on {source}, and nothing dates them: "
                 f"the text many draw on is their source, so {source} is the later text")
        elif theirs >= HUB_MIN_LINKS and theirs >= HUB_RATIO * mine and d["direction"]["confidence"] < HUB_CONFIDENCE:
            edges[(derivative, source)] = {**d, "direction": {"confidence": HUB_CONFIDENCE, "reasons": [
                f"{theirs} texts draw on {source}, {mine} on {derivative}, and nothing dates them: "
                "the text many draw on is their source",
                *d["direction"]["reasons"],
            ]}}

    for (derivative, source), d in sorted(edges.items()):
        if d["direction"]["confidence"] == 0 and d["evidence"].get("mutual"):
            if parents.get(derivative, set()) - {source} and not parents.get(source, set()) - {derivative}:
                flip(derivative, source, 0.3,
                     f"{derivative} is itself derived from {', '.join(sorted(parents[derivative] - {source}))}; "
                     f"{source} is not, so the chain runs through {derivative} to {source}")

    wire_of = _wire_copy(related)
    wire_pairs = wire_pairs or {}
    for (derivative, source), d in sorted(edges.items()):
        pair = tuple(sorted((derivative, source)))
        wires = wire_of.get(source, {})
        agency_copy = bool(wires) and derivative not in set().union(*wires.values())
        if pair in wire_pairs and not (agency_copy and wire_pairs[pair] > NEWSROOM_DAYS):
            apart = wire_pairs[pair]
            run = d["evidence"].get("longest_unquoted_verbatim_words", 0)
            close = apart <= NEWSROOM_DAYS
            newsrooms = f"{derivative} and {source} come from two newsrooms " + (
                "on the same day" if apart == 0 else f"{_days(apart)} apart"
            )
            if run >= LONG_RUN_WORDS:
                reason, common, why = "common_source", UNCREDITED_WIRE, (
                    " and neither credits the other: most likely both ran one agency story, or one statement or press "
                    "release word for word, that neither text names"
                    if close else
                    f" and neither credits the other; what they share ({d['coverage']:.0%} of {derivative}, a run of {run} "
                    "words) is most likely an agency's background lines that both used, not one newsroom copying the other"
                )
            else:
                one_event = apart < RUNNING_STORY_DAYS
                reason, common, why = "same_event" if one_event else "other", None, (
                    f", neither credits the other, and they share no passage of {LONG_RUN_WORDS} words outside quotations: "
                    + ("two reports of one story (its statements, its agency copy or press release told twice)" if one_event
                       else "one running story told twice (its facts, figures and statements)")
                    + ", not a copy of one by the other"
                )
            extra.append(_graph_related(derivative, source, reason, common, newsrooms + why, d))
            continue
        if pair in sisters and not _carries_a_paragraph(
            d["relation"], d["evidence"].get("longest_unquoted_verbatim_words", 0)
        ):
            extra.append(_graph_related(
                derivative, source, "other", None,
                f"{derivative} and {source} come from two sites of one owner and share no passage of "
                f"{SAME_OUTLET_RUN_WORDS} words outside quotations: the owner's shared plugs, boxes or standing "
                "sentences, not a reuse of the story", d,
            ))
            continue
        carried = (standing or {}).get((derivative, source), {})
        if agency_copy and not _picked_up(credits, derivative, source) and not d["evidence"].get("no_agency_feed"):
            agency = sorted(wires)[0]
            copies = ", ".join(sorted(wires[agency]))
            extra.append(_graph_related(
                derivative, source, "common_source", agency,
                f"{source} shares its text with {agency} copy ({copies}) without crediting {agency}: "
                f"uncredited wire copy, which {derivative} most likely took from {agency} too", d,
            ))
        elif carried.get("elsewhere") and not parents.get(derivative, set()) & parents.get(source, set()):
            # (two pages drawing on one document of the other outlet: its common source, below)
            extra.append(_graph_related(
                derivative, source, "common_source", UNCREDITED_WIRE,
                f"{derivative} and {source}, two {carried['outlet']} pages, share runs that {carried['elsewhere']} carries "
                f"word for word too ({carried['prints']} of the {carried['of']} word sequences in them): copy both pages "
                "and the other outlet took from one agency, not the outlet reusing its own story", d,
            ))

    demoted = {(r["_derivative"], r["_source"]) for r in extra}  # each pair is related once, by its first rule
    for (derivative, source), d in sorted(edges.items()):
        if (derivative, source) in demoted:
            continue
        for shared in sorted(parents.get(derivative, set()) & parents.get(source, set())):
            if edges[(derivative, shared)]["coverage"] >= 0.9 * d["coverage"]:
                extra.append(_graph_related(derivative, source, "common_source", shared,
                                            f"both derive from {shared}; their likeness comes from it", d))
                break

    dropped = {(r["_derivative"], r["_source"]) for r in extra}
    for (derivative, source), d in sorted(edges.items()):
        if (derivative, source) in dropped:
            continue
        for middle in sorted(parents.get(derivative, set()) - {source}):
            if (
                (middle, source) in edges and (middle, source) not in dropped and (derivative, middle) not in dropped
                and edges[(derivative, middle)]["coverage"] >= d["coverage"]
            ):
                extra.append(_graph_related(derivative, source, "other", None,
                                            f"{derivative} reuses {source} through {middle}: a chain {source} → {middle} → {derivative}", d))
                dropped.add((derivative, source))
                break
    dropped |= {(r["_derivative"], r["_source"]) for r in extra}
    sharing = {tuple(r["documents"]) for r in related} | {tuple(sorted(pair)) for pair in edges}
    for (derivative, source), d in sorted(edges.items()):
        if (derivative, source) in dropped:
            continue
        inherited = _inherited_from(derivative, source, d, parents, edges, dropped, sharing)
        if inherited:
            middle, inside = inherited
            extra.append(_graph_related(
                derivative, source, "other", None,
                f"what {derivative} shares with {source} ({d['coverage']:.0%} of it) lies inside what it took from {middle} "
                f"({inside:.0%} of those characters; {middle} accounts for {edges[(derivative, middle)]['coverage']:.0%} of "
                f"{derivative}), and {middle} shares text with {source} itself (a standing paragraph, background, a box): "
                f"{derivative} has it from {middle}, not from {source}", d,
            ))
            dropped.add((derivative, source))
    kept = [d for key, d in sorted(edges.items()) if key not in dropped]
    for d in _cycle_breakers(kept):
        extra.append(_graph_related(d["derivative"], d["source"], "other", None,
                                    f"{d['derivative']} and {d['source']} sit in a cycle of mutual reuse; "
                                    "the order among them cannot be told", d))
        dropped.add((d["derivative"], d["source"]))
    kept = {(d["derivative"], d["source"]): d for d in kept if (d["derivative"], d["source"]) not in dropped}
    folded = _one_article_twice(kept, related) if fold_duplicates else {}
    for (derivative, source), (kept_derivative, kept_source) in folded.items():
        same = [f"{x} and {y}" for x, y in ((derivative, kept_derivative), (source, kept_source)) if x != y]
        extra.append(_graph_related(
            derivative, source, "other", None,
            f"{derivative}'s reuse of {source} is reported once, as {kept_derivative} ← {kept_source}: "
            f"{' and '.join(same)} are the same article under two ids (duplicate)", kept.pop((derivative, source)),
        ))
    for (derivative, source), kept_source in _one_quotation_twice(kept).items():
        found = kept[(derivative, source)]["evidence"]
        outlet = found["credited_outlet"]
        extra.append(_graph_related(
            derivative, source, "other", None,
            f"{derivative} credits {outlet} for the story, which {source} and {kept_source} both tell: its pickup is "
            f"reported once, as {derivative} ← {kept_source} (the {outlet} text that covers more of it)"
            if found.get("credited_story") else
            f"{derivative} quotes words said to {outlet} that {source} and {kept_source} both carry: its pickup is "
            f"reported once, as {derivative} ← {kept_source} (the {outlet} text with more of its quotations)",
            kept.pop((derivative, source)),
        ))
    kept = sorted(kept.values(), key=lambda d: (d["derivative"], d["source"]))

    ancestors = _ancestors(kept)
    graph_pairs = {tuple(sorted((r["_derivative"], r["_source"]))) for r in extra}
    final_related = []
    retold_from = {(d["derivative"], d["evidence"]["credited_outlet"]): d["source"] for d in kept if d["evidence"].get("credited_outlet")}
    for r in related:
        a, b = r["documents"]
        if (a, b) in graph_pairs:
            continue
        picked = _picked_up_elsewhere(r, retold_from)
        if picked:
            final_related.append(picked)
            continue
        if a in ancestors.get(b, set()) or b in ancestors.get(a, set()):
            later, earlier = (b, a) if a in ancestors.get(b, set()) else (a, b)
            r = {**r, "reason": "other", "common_source": None,
                 "explanation": f"{later} descends from {earlier} through a chain of rewrites"}
        else:
            common = sorted(ancestors.get(a, set()) & ancestors.get(b, set()))
            if common:
                r = {**r, "reason": "common_source", "common_source": common[0],
                     "explanation": f"both descend from {common[0]}"}
        final_related.append(r)
    final_related += [{k: v for k, v in r.items() if not k.startswith("_")} for r in extra]
    for k, r in enumerate(final_related):
        gap = days_apart(*(dates.get(x) for x in r["documents"])) if dates else None
        if background_lines(r["reason"], r["common_source"], gap, r["evidence"]):
            final_related[k] = {**r, "reason": "other", "common_source": None,
                                "explanation": _background_explanation(*r["documents"], r["common_source"], gap, r["evidence"])}
    final_related.sort(key=lambda r: (r["documents"], r["reason"]))
    return kept, final_related


# A text that takes over a page takes what that page shares with others too: the issuer's standing
# paragraph, an agency's background lines, the outlet's box. Where all but a little of what it
# shares with a second text lies inside the passages it took from the page, and the page accounts
# for several times as much of it, the page is where those words come from.
INHERITED_SHARE = 0.8         # of the characters the second text's passages cover in the derivative
INHERITED_COVERAGE_RATIO = 2  # the page's coverage of the derivative, at least this many times the second text's


def _inherited_from(
    derivative: str, source: str, d: dict, parents: dict[str, set[str]], edges: dict[tuple[str, str], dict],
    dropped: set[tuple[str, str]], sharing: set[tuple[str, str]],
) -> tuple[str, float] | None:
    """(the page, the share of the derivation's passages inside it) where `derivative` has what it
    shares with `source` from another of its sources that itself shares text with `source`
    (`sharing`: the pairs with any verdict, sorted); else None. The page it took most from is
    asked first."""
    mine = [(p["derivative_start"], p["derivative_end"]) for p in d["passages"]]
    pages = [m for m in parents.get(derivative, set()) - {source} if (derivative, m) in edges]
    for middle in sorted(pages, key=lambda m: (-edges[(derivative, m)]["coverage"], m)):
        through = edges[(derivative, middle)]
        if (
            (derivative, middle) in dropped or tuple(sorted((middle, source))) not in sharing
            or through["coverage"] < INHERITED_COVERAGE_RATIO * d["coverage"]
        ):
            continue
        inside = _covered_share(mine, [(p["derivative_start"], p["derivative_end"]) for p in through["passages"]])
        if inside >= INHERITED_SHARE:
            return middle, inside
    return None


def _covered_share(spans: list[tuple[int, int]], cover: list[tuple[int, int]]) -> float:
    """The share of the characters of `spans` (merged) that `cover` (merged) covers."""
    own, other = union_spans(spans), union_spans(cover)
    total = sum(end - start for start, end in own)
    inside = sum(max(0, min(end, b) - max(start, a)) for start, end in own for a, b in other)
    return inside / total if total else 0.0


def _picked_up_elsewhere(r: dict, retold_from: dict[tuple[str, str], str]) -> dict | None:
    """A quote picked up from one text of an outlet (`_picked_up_from`) by a text derived from
    another text of that outlet that carries it too (`retold_from`: (derivative, credited outlet)
    → source): the pickup is reported once, as that derivation."""
    source = r["evidence"].get("quote_picked_up_from")
    if not source:
        return None
    (derivative,) = set(r["documents"]) - {source}
    outlet = r["evidence"]["credited_outlet"]
    kept_source = retold_from.get((derivative, outlet))
    if kept_source is None or kept_source == source:
        return None
    return {**r, "reason": "other", "common_source": None, "explanation": (
        f"{derivative} quotes words said to {outlet} that {source} and {kept_source} both carry: its pickup is "
        f"reported once, as {derivative} ← {kept_source} (the {outlet} text it retells)"
    )}


def _picked_up(credits: dict, derivative: str, source: str) -> bool:
    """Whether the derivative names the source within days: a credited pickup (an interview, a
    scoop), which agency copies of the source (crediting it in turn) do not make wire copy."""
    apart = credits.get((derivative, source))  # None: no credit, or no dates to tell
    return apart is not None and apart <= NEWSROOM_DAYS


def _articles(related: list[dict], certain: bool = False) -> dict[str, str]:
    """Each document stored under several ids (`duplicate` pairs, chains of them too) → the
    first of its ids: one article. `certain`: only duplicates known to be one article
    (`SAME_ARTICLE`), not undated texts merely near-identical."""
    group: dict[str, str] = {}

    def root(x: str) -> str:
        while group.get(x, x) != x:
            x = group[x]
        return x

    for r in related:
        if r["reason"] == "duplicate" and (not certain or r["explanation"].startswith(SAME_ARTICLE)):
            a, b = sorted(map(root, r["documents"]))
            if a != b:
                group[b] = a
    return {x: root(x) for x in group}


def _one_article_twice(edges: dict[tuple[str, str], dict], related: list[dict]) -> dict[tuple[str, str], tuple[str, str]]:
    """Derivations that repeat another once `duplicate` ids are taken as one article (one
    derivative from an article stored twice, or two copies of one derivative from one source),
    each mapped to the one kept: the best covered, then the first by ids. An article built from
    several sources has one derivation per source, not one per id its source is stored under.
    Only articles known to be one (`_articles(certain=True)`): folding two writers' near-identical
    copies would lose a true derivation, not folding costs a repeated line."""
    article = _articles(related, certain=True)
    if not article:
        return {}
    articles: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for derivative, source in edges:
        articles.setdefault((article.get(derivative, derivative), article.get(source, source)), []).append((derivative, source))
    repeated = {}
    for pairs in articles.values():
        if len(pairs) > 1:
            kept = min(pairs, key=lambda pair: (-edges[pair]["coverage"], -edges[pair]["score"], pair))
            repeated.update({pair: kept for pair in pairs if pair != kept})
    return repeated


def _one_quotation_twice(edges: dict[tuple[str, str], dict]) -> dict[tuple[str, str], str]:
    """Derivations resting on one quotation credited to one outlet, found in two of its texts (the
    interview and its explainer, the story and its update): the derivative picked the words up
    once, from the text giving most of its credited quotations (then most of its quotations: the
    interview rather than a piece quoting one line of it; then the best covered); each other
    derivation → the source kept. Pickups of different quotations from two texts stay two."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for pair, d in edges.items():
        outlet = d["evidence"].get("credited_outlet")
        if outlet:
            groups.setdefault((pair[0], outlet), []).append(pair)
    repeated = {}
    for pairs in groups.values():
        ranked = sorted(pairs, key=lambda pair: (
            -sum(q[2] for q in edges[pair]["evidence"].get("credited_quotes", ())),
            -edges[pair]["evidence"].get("quoted_verbatim_words", 0), -edges[pair]["coverage"], pair,
        ))
        for position, pair in enumerate(ranked[1:], 1):
            for better in ranked[:position]:
                if better not in repeated and _same_quotation(edges[pair], edges[better]):
                    repeated[pair] = better[1]
                    break
    return repeated


def _same_quotation(a: dict, b: dict) -> bool:
    """Whether two derivations' credited quotations overlap in their derivative's text, or both
    rest on one credit phrase for the story (`_credited_story`)."""
    if a["evidence"].get("credit") and a["evidence"].get("credit") == b["evidence"].get("credit"):
        return True
    return any(
        x[0] < y[1] and y[0] < x[1]
        for x in a["evidence"].get("credited_quotes", ()) for y in b["evidence"].get("credited_quotes", ())
    )


def _cycle_breakers(derivations: list[dict]) -> list[dict]:
    """The weakest edge of every cycle (lowest direction confidence, then coverage), repeatedly,
    until the derivation graph has none: an article cannot come before its own source."""
    removed: list[dict] = []
    live = {(d["derivative"], d["source"]): d for d in derivations}
    while True:
        cycle = _find_cycle(live)
        if not cycle:
            return removed
        weakest = min(cycle, key=lambda d: (d["direction"]["confidence"], d["coverage"], d["derivative"], d["source"]))
        removed.append(weakest)
        del live[(weakest["derivative"], weakest["source"])]


def _find_cycle(edges: dict[tuple[str, str], dict]) -> list[dict]:
    parents: dict[str, list[str]] = {}
    for derivative, source in sorted(edges):
        parents.setdefault(derivative, []).append(source)
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[dict]:
        state[node] = 1
        path.append(node)
        for parent in parents.get(node, ()):
            if state.get(parent) == 1:
                loop = path[path.index(parent):] + [parent]
                return [edges[(loop[i], loop[i + 1])] for i in range(len(loop) - 1)]
            if parent not in state:
                found = visit(parent)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(parents):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


UNCREDITED_WIRE = "uncredited wire"
# A star of undated reuse (an encyclopedia article and the answers copied from it, a text and
# its rewrites): the centre is the source. Only where nothing but the wording orders a pair
# (`undated`) and the wording says little: in a dated chain the middle text is drawn on most.
HUB_OVERRULES = 0.4
HUB_MIN_LINKS = 3
HUB_RATIO = 1.5
HUB_CONFIDENCE = 0.3
# A text naming the other as its source is the later one, unless dates days apart say otherwise.
CREDIT_OVERRULES = 0.8
CREDIT_CONFIDENCE = 0.6
# Newsrooms subscribe to agencies and run their copy, often without a credit line; they do not
# republish a competitor's story the same day without naming it.
NEWSROOM_ROLES = frozenset({"news outlet", "broadcaster"})
NEWSROOM_AFFILIATIONS = frozenset({"none known", "state-funded independent"})
# Reports this far apart are two turns of one running story, not one event: what they share is
# its background (read on INSM: all 10 of 25 sampled same_event pairs two or more days apart were
# reports of different developments).
RUNNING_STORY_DAYS = 2
# ... and from a day apart where they match only loosely (no derivation's coverage: a few
# corresponding sentences): 16 of 20 such pairs a day apart read on INSM reported the next turn
# (the reply to a demand, the vote after the debate) over the background every update repeats,
# 2 one event, 1 debatable. Texts that tell one story in corresponding sentences (two newsrooms'
# write-ups of one release) stay one event's reports a day apart: dates without times cannot
# tell the evening's report from the next morning's.
LOOSE_TURN_DAYS = 1
NEWSROOM_DAYS = 3       # two newsrooms' common text this close is one agency story; further apart, its background


def _wire_copy(related: list[dict]) -> dict[str, dict[str, set[str]]]:
    """document → news agency → the agency-credited documents it shares text with, from the
    related pairs that name an agency as their common source."""
    wire_of: dict[str, dict[str, set[str]]] = {}
    for r in related:
        if r["reason"] != "common_source" or not r.get("common_source"):
            continue
        wires = sorted({agencies.key_of(part) for part in r["common_source"].split("/")} & NEWS_AGENCIES)
        if not wires:
            continue
        a, b = r["documents"]
        for agency in wires:
            wire_of.setdefault(a, {}).setdefault(agency, set()).add(b)
            wire_of.setdefault(b, {}).setdefault(agency, set()).add(a)
    return wire_of


def _graph_related(derivative: str, source: str, reason: str, common: str | None, explanation: str, d: dict) -> dict:
    return {
        "documents": sorted([derivative, source]),
        "reason": reason,
        "common_source": common,
        "explanation": explanation,
        "evidence": d["evidence"],
        "_derivative": derivative,
        "_source": source,
    }


def _ancestors(derivations: list[dict]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for d in derivations:
        parents.setdefault(d["derivative"], set()).add(d["source"])
    memo: dict[str, set[str]] = {}

    def walk(doc: str, seen: frozenset) -> set[str]:
        found: set[str] = set()
        for parent in parents.get(doc, ()):
            if parent not in seen:
                found |= {parent} | walk(parent, seen | {doc})
        return found

    for doc in parents:
        memo[doc] = walk(doc, frozenset())
    return memo


def origins(document_ids: list[str], derivations: list[dict], related: list[dict] = ()) -> dict[str, list[str]]:
    """For every document, the earliest documents its content can be followed back to; a
    document whose derivation is reported under its `duplicate` twin's id has the twin's."""
    sources: dict[str, set[str]] = {}
    for d in derivations:
        sources.setdefault(d["derivative"], set()).add(d["source"])
    ids: dict[str, list[str]] = {}
    for document_id, first in _articles(related).items():
        ids.setdefault(first, [first]).append(document_id)
    for same in ids.values():
        drawn = set().union(*(sources[x] for x in same if x in sources))
        for document_id in same:
            if drawn and document_id not in sources:
                sources[document_id] = set(drawn)
    result: dict[str, list[str]] = {}

    def roots(doc: str, seen: frozenset) -> set[str]:
        parents = sources.get(doc, set()) - seen
        if not parents:
            return {doc}
        found: set[str] = set()
        for parent in sorted(parents):
            found |= roots(parent, seen | {doc})
        return found

    for doc in sorted(document_ids):
        result[doc] = sorted(roots(doc, frozenset()))
    return result
