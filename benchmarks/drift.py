"""Drift detection on FactCC-style altered sentences inside faithful paraphrases.

    .venv/bin/python benchmarks/drift.py [--eval-dir ../shared/eval] [--limit N] [--examples K]

The test set is built at run time from real sentences: the two seed documents, German news and
press releases from ../shared/eval/insm/ and the English texts of ../shared/eval/clough/ (both
read when present, never copied into the repository). For each source document:

1. A *faithful paraphrase* of the whole document is made by fixed plain operations: synonym
   swaps from a small list, reported speech turned around ("„…“, sagte X." → "X sagte: „…“."),
   a fronted English adverbial moved to the end, and the order of two sentences changed within a
   paragraph. Quotations are never touched. This unaltered paraphrase is the control.
2. *Alterations*, one per type and document where the paraphrase offers a site, each made by a
   plain string operation chosen without looking at the claim extractor (FactCC-style): swap a
   number, change a scale or unit word, change a weekday, month, day or year, replace a city or
   country from a fixed list, replace a person's name (or the speaker of reported speech) from a
   fixed list, insert or remove a negation, change a word inside a quotation. Every other
   sentence of the document stays as paraphrased, so alignment must find the altered one.
3. The real pipeline path is run on each control and altered copy: `pipeline.analyse` on both
   documents, `align.align` over `terms.units`, `claims.check_claims`.

Printed per language and drift type: cases; recall (a claim covering the altered words is
`drifted` with that type); recall of any drift there; precision (of the claims in the altered
copies flagged with that type, the share the alteration explains: they cover altered words of
that type, or, for a changed name, report the new name as `person` or `speaker` drift, as a
pronoun further on does); and on the unaltered paraphrases the false-drift rate (share of claims
flagged `drifted`). `--examples K` lists K misses and wrong flags per type. Deterministic: one
fixed seed, the same figures on every run; the default (250 documents per corpus) takes about
1.5 minutes on one core. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

from provenance import align, claims, terms
from provenance.document import Document
from provenance.ingest import RawRecord
from provenance.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
SEED = 4
TYPES = ("number", "unit", "date", "place", "person", "speaker", "negation", "quote")
MIN_TEXT, MAX_TEXT = 1200, 6000   # insm documents of ordinary news length
MIN_QUOTE_WORDS = 5               # shorter quoted strings are titles and terms, not quotations

# --- fixed lists ----------------------------------------------------------------------------------

SYNONYMS = {
    "de": {
        "sagte": "erklärte", "erklärte": "sagte", "sagten": "erklärten", "erklärten": "sagten",
        "betonte": "unterstrich", "zudem": "außerdem", "außerdem": "zudem", "jedoch": "allerdings",
        "allerdings": "jedoch", "bislang": "bisher", "bisher": "bislang", "derzeit": "momentan",
        "mehr als": "über", "rund": "etwa", "knapp": "fast", "erhielt": "bekam", "bekam": "erhielt",
        "schnell": "rasch", "sofort": "umgehend", "ebenfalls": "auch",
        "wichtig": "bedeutend", "beispielsweise": "zum Beispiel", "zum Beispiel": "beispielsweise",
    },
    "en": {
        "said": "stated", "says": "states", "however": "nevertheless", "approximately": "about",
        "roughly": "about", "large": "big", "big": "large", "important": "significant",
        "often": "frequently", "main": "principal", "shows": "demonstrates", "quickly": "rapidly",
        "known as": "called", "because of": "due to", "therefore": "thus", "whereas": "while",
        "obtain": "get", "requires": "needs", "require": "need", "allows": "enables",
        "In addition": "Furthermore", "for example": "for instance",
    },
}
# A sentence opening with one of these leans on the one before; it is never moved.
LEANING = frozenset(
    """er sie es dies das diese dieser dieses dabei damit dazu daher deshalb deswegen dort auch
    zudem außerdem allerdings jedoch doch aber und denn so trotzdem dennoch ihr ihre sein seine
    he she it they this that these those there but and however also its his her their then thus
    so such which zugleich gleichzeitig dann danach später anschließend demnach ebenso ferner hier
    then later meanwhile""".split()
)
PERSONAL = frozenset("er sie ihm ihn ihr ihnen he she they him her them".split())
SPEECH = {
    "de": r"sagte|sagten|sagt|sagen|erklärte|erklärten|erklärt|betonte|betont|unterstrich|meinte|meint|warnte|"
          r"warnt|kritisierte|kritisiert|forderte|fordert|berichtete|berichtet|schrieb|schreibt|so|laut",
    "en": r"said|says|stated|states|told|tells|added|explained|warned|wrote|according to",
}
AFTER_SPEAKER = {
    "de": r"sagte|sagten|sagt|erklärte|erklärt|betonte|betont|meinte|meint|warnte|warnt|kritisierte|kritisiert|"
          r"forderte|fordert|zufolge",
    "en": r"said|says|stated|states|told|tells|added|explained|warned|wrote",
}
WEEKDAYS = {
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    # "May" is left out: a modal verb and a surname as often as a month.
    "en": ["January", "February", "March", "April", "June", "July", "August", "September",
           "October", "November", "December"],
}
MONTH_CUES = {"de": r"(?:\d{1,2}\.\s|\b(?:im|Im|Ende|Anfang|Mitte|seit|Seit|bis|vom|zum|ab)\s)$",
              "en": r"(?:\d{1,2}\s|\b(?:in|In|since|until|by|early|late|mid-|of|from)\s)$"}
YEAR_CUES = {
    "de": r"\b(?:[Ii]m\sJahr|[Ii]m|[Ss]eit|bis|[Vv]on|ab|[Vv]or|[Nn]ach|Ende|Anfang|Mitte|Frühjahr|Sommer|Herbst|"
          r"Winter|Geschäftsjahr|Jahr|Jahres|Januar|Februar|März|April|Mai|Juni|Juli|August|September|"
          r"Oktober|November|Dezember)\s$",
    "en": r"\b(?:[Ii]n|[Ss]ince|until|by|[Ff]rom|of|early|late|mid-|year|fiscal|January|February|March|April|"
          r"May|June|July|August|September|October|November|December|\d{1,2},?)\s$",
}
PLACES = {
    "de": {
        "city": ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Dortmund",
                 "Leipzig", "Dresden", "Hannover", "Nürnberg", "Bremen", "Bonn", "Mainz", "Potsdam", "Erfurt",
                 "Kiel", "Wien", "Zürich", "Paris", "London", "Brüssel", "Washington", "Moskau", "Peking", "Rom",
                 "Madrid", "Warschau", "Prag", "Kiew", "Istanbul", "Tokio", "Straßburg", "Genf", "Budapest",
                 "Athen", "Lissabon", "Astana"],
        # neuter country names only: "in der Schweiz" cannot take "Polen"
        "country": ["Deutschland", "Frankreich", "Italien", "Spanien", "Polen", "Österreich", "Belgien",
                    "Dänemark", "Schweden", "Norwegen", "Finnland", "Tschechien", "Ungarn", "Griechenland",
                    "Portugal", "Russland", "China", "Japan", "Indien", "Brasilien", "Kanada", "Australien",
                    "Großbritannien", "Israel", "Kasachstan", "Ägypten", "Mexiko"],
    },
    "en": {
        "city": ["London", "Paris", "Berlin", "Rome", "Madrid", "Moscow", "Beijing", "Tokyo", "Washington",
                 "New York", "Chicago", "Boston", "Los Angeles", "San Francisco", "Sydney", "Toronto",
                 "Manchester", "Birmingham", "Edinburgh", "Dublin", "Brussels", "Vienna", "Geneva"],
        "country": ["England", "Scotland", "France", "Germany", "Italy", "Spain", "China", "Japan", "India",
                    "Canada", "Australia", "Russia", "Brazil", "Mexico", "Ireland", "Poland", "Sweden",
                    "Norway", "Egypt", "Israel"],
    },
}
FIRST_NAMES = frozenset(
    """Angela Olaf Armin Annalena Markus Jens Karl Christian Robert Friedrich Peter Thomas Michael
    Andreas Stefan Stephan Frank-Walter Horst Hubertus Heiko Svenja Franziska Anja Julia Christine
    Norbert Saskia Ralph Hendrik Dietmar Winfried Manuela Malu Bodo Reiner Rainer Daniel Joe Kamala
    Donald Boris Emmanuel Ursula Charles Mario Alexei Wladimir Vladimir Sebastian Alexander Marco
    Lars Kevin Janine Dorothee Katrin Cem Omid Ricarda Nancy Lothar Ulrich Hans Klaus Jürgen Wolfgang
    Werner Uwe Matthias Martin Tobias Philipp Florian Jan Johannes Felix Maximilian Paul Anna Maria
    Sabine Susanne Claudia Petra Monika Birgit Karin Katharina Laura Lisa Sarah Sandra Nicole Frank
    Jörg Dirk Gerhard Helmut Günter Bernd Carsten Karsten Volker Joachim Dieter Josef Georg Christoph
    Oliver Patrick Marcel Tim Timo Jonas Lukas Simon Benjamin David John James William Richard Mary
    Elizabeth Jennifer Susan Larry Sergey George Edward Henry Alan Tony Gordon Theresa Keir Rishi
    Hillary Barack Bill Xi Kassym-Jomart Jeff Elon Mark Greta Alexandria Antony Jerome Christine
    Emily Hannah Sophie Marie Ralf Achim Heinz-Dietrich Gesine Kristina Hermann Erich""".split()
)
NOT_SURNAMES = frozenset(
    """Der Die Das Den Dem Des Ein Eine Und Oder Aber Von Vom Zum Zur Im Am In An Auf Aus Bei Mit Nach
    The A An And Or But Of In On At By For To From With Jr Sr Institut Stiftung Haus Preis Schule
    Straße Platz Universität University College Foundation Street""".split()
)
PEOPLE = {
    "de": ["Martin Weber", "Julia Becker", "Thomas Krüger", "Sabine Vogel", "Stefan Hartmann", "Claudia Neumann"],
    "en": ["John Carter", "Emily Hughes", "David Reynolds", "Sarah Mitchell", "Mark Jennings", "Laura Bennett"],
}
NUMBER_WORDS = {
    "de": ["zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
           "zwanzig", "dreißig", "vierzig", "fünfzig", "hundert"],
    "en": ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "twenty", "thirty", "forty", "fifty", "hundred"],
}
UNIT_SWAPS = {
    "de": {"Millionen": "Milliarden", "Milliarden": "Millionen", "Million": "Milliarde", "Milliarde": "Million",
           "Mio.": "Mrd.", "Mrd.": "Mio.", "Prozent": "Prozentpunkte", "Prozentpunkte": "Prozent",
           "%": " Prozentpunkte", "Euro": "Dollar", "Dollar": "Euro", "US-Dollar": "Euro"},
    "en": {"million": "billion", "billion": "million", "trillion": "billion", "bn": "m", "m": "bn",
           "percent": "percentage points", "per cent": "percentage points", "percentage points": "percent",
           "%": " percentage points", "dollars": "euros", "euros": "dollars", "pounds": "dollars"},
}
NEGATABLE = {
    "de": r"ist|sind|war|waren|wird|werden|wurde|wurden|kann|können|konnte|konnten|soll|sollen|sollte|"
          r"sollten|muss|müssen|musste|mussten|will|wollen|darf|dürfen|hat|haben|hatte|hatten",
    "en": r"is|are|was|were|will|would|can|could|should|must|did|does|do",
}
NEGATION = {"de": "nicht", "en": "not"}
NOT_NEGATION_AFTER = {"de": r"nur|zuletzt|mehr|einmal|zu|so", "en": r"only|just|least|yet|to|so"}
ANTONYMS = {
    "de": {"mehr": "weniger", "weniger": "mehr", "gut": "schlecht", "gute": "schlechte", "guten": "schlechten",
           "große": "kleine", "großen": "kleinen", "groß": "klein", "wichtig": "unwichtig", "richtig": "falsch",
           "falsch": "richtig", "immer": "selten", "alle": "wenige", "viele": "wenige", "stark": "schwach",
           "starke": "schwache", "schnell": "langsam", "höher": "niedriger", "neue": "alte", "neuen": "alten",
           "klar": "unklar", "sicher": "unsicher", "besser": "schlechter", "erfolgreich": "erfolglos",
           "positiv": "negativ", "gemeinsam": "allein", "richtige": "falsche", "früh": "spät"},
    "en": {"more": "less", "less": "more", "good": "bad", "great": "small", "large": "small", "important":
           "unimportant", "right": "wrong", "always": "rarely", "all": "few", "many": "few", "strong": "weak",
           "fast": "slow", "higher": "lower", "new": "old", "clear": "unclear", "safe": "unsafe", "better": "worse",
           "successful": "unsuccessful", "positive": "negative", "together": "alone", "early": "late"},
}
# adjectives: a stem from the list takes the place of another adjective, keeping its ending
ADJECTIVES = {
    "de": (["wichtig", "schwierig", "deutlich", "ehrlich", "kritisch", "politisch", "möglich", "nötig"],
           r"(\w+?(?:ig|lich|isch))(|e|en|er|es|em)"),
    "en": (["important", "difficult", "possible", "critical", "useful", "political", "serious", "effective"],
           r"(\w+?(?:ful|less|able|ible|ous|ive|ant|ent|al|ic))()"),
}
PRONOUNS = frozenset("sich es er sie ihn ihm ihr ihnen dies das man wir ich du mich mir uns euch it he she they we i you there".split())
NEGATION_WORDS = frozenset(
    "nicht kein keine keinen keinem keiner nie niemals niemand nichts weder not no never nothing none nobody neither nor cannot".split()
)


# --- the faithful paraphrase ----------------------------------------------------------------------


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations with their marks: „…“ „…" »…« «…» ‚…‘ “…” "…"."""
    spans = []
    for m in re.finditer(r"„[^„“”\"]{1,1500}[“”\"]|»[^»«]{1,1500}«|«[^«»]{1,1500}»|‚[^‚‘’]{1,1500}[‘’]|"
                         r"“[^“”]{1,1500}”|\"[^\"]{1,1500}\"", text):
        spans.append((m.start(), m.end()))
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _swap_synonyms(sentence: str, language: str, rng: random.Random) -> str:
    quoted = quote_spans(sentence)
    table = SYNONYMS[language]
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")\b")
    out, last = [], 0
    for m in pattern.finditer(sentence):
        if _inside(quoted, m.start(), m.end()) or rng.random() < 0.3:
            continue
        new = table[m.group(1)]
        out += [sentence[last:m.start()], new]
        last = m.end()
    return "".join(out) + sentence[last:]


def _turn_around(sentence: str, language: str) -> str:
    """Reported speech with the speaker first; an English fronted adverbial moved to the end."""
    if language == "de":
        m = re.fullmatch(
            r"(?P<body>„[^„“]+“|[A-ZÄÖÜ][^„“\"]+?), (?P<verb>sagte|erklärte|betonte|meinte) "
            r"(?P<who>(?:(?:der|die) )?(?:[A-ZÄÖÜ][\w.-]*(?: |(?=\.$))){1,4})\.", sentence)
        if m:
            who = m.group("who").strip()
            return f"{who[0].upper()}{who[1:]} {m.group('verb')}: {m.group('body')}."
        return sentence
    m = re.fullmatch(r"\"(?P<body>[^\"]+),\" (?P<who>(?:[A-Z][\w.-]*(?: |(?=said))){1,4}|the [a-z]+ )(?P<verb>said|says)\.",
                     sentence)
    if m:
        who = m.group("who").strip()
        return f"{who[0].upper()}{who[1:]} {m.group('verb')}: \"{m.group('body')}.\""
    m = re.fullmatch(r"(?P<adv>(?:In|On|During|Since|By) [^,\"]{3,40}), (?P<rest>[a-zA-Z][^\"]+)\.", sentence)
    if m and not re.match(r"(?:I|[A-Z]{2,})\b", m.group("rest")):
        rest, adv = m.group("rest"), m.group("adv")
        return f"{rest[0].upper()}{rest[1:]} {adv[0].lower()}{adv[1:]}."
    return sentence


def _leans(sentence: str) -> bool:
    """Does the sentence lean on what comes before it (a pronoun, a connective)? Then it is not moved."""
    words = [w.lower() for w in re.findall(r"\w+", sentence)]
    return bool(words) and (words[0] in LEANING or any(w in PERSONAL for w in words))


@dataclass
class Paraphrase:
    text: str
    body: list[tuple[int, int]]   # spans of content sentences in `text` where alterations may go


def paraphrase(doc: Document, rng: random.Random) -> Paraphrase:
    """The document rebuilt paragraph by paragraph, every content sentence lightly paraphrased."""
    language = doc.language
    quoted = quote_spans(doc.text)
    stray = [m.start() for m in re.finditer(r"[„“”\"»«]", doc.text) if not _inside(quoted, m.start(), m.start() + 1)]
    paragraphs: dict[int, list[tuple[str, bool, bool]]] = {}
    segments = doc.segments
    opening: dict[int, int] = {}
    for seg in segments:
        opening.setdefault(seg.paragraph, seg.start)
    for k, seg in enumerate(segments):
        nxt = segments[k + 1] if k + 1 < len(segments) else None
        end = nxt.start if nxt is not None and nxt.paragraph == seg.paragraph else seg.end
        piece = " ".join(doc.text[seg.start:end].split())
        content = seg.kind == "sentence" and not seg.boilerplate
        # Kept word for word and in place: part of a quotation running over several sentences, or
        # anywhere after an unpaired quotation mark in its paragraph (where a quotation may run on).
        locked = any(a < end and seg.start < b and not (seg.start <= a and b <= end) for a, b in quoted) or any(
            opening[seg.paragraph] <= q < end for q in stray)
        if content and not locked and rng.random() < 0.7:
            piece = _turn_around(_swap_synonyms(piece, language, rng), language)
        paragraphs.setdefault(seg.paragraph, []).append((piece, content, locked))
    text, body = "", []
    for _, pieces in sorted(paragraphs.items()):
        movable = [i for i in range(1, len(pieces) - 1)
                   if all(pieces[j][1] and not pieces[j][2] and not _leans(pieces[j][0]) for j in (i, i + 1))
                   and not (i + 2 < len(pieces) and _leans(pieces[i + 2][0]))]
        if movable and rng.random() < 0.5:
            i = rng.choice(movable)
            pieces[i], pieces[i + 1] = pieces[i + 1], pieces[i]
        if text:
            text += "\n\n"
        for n, (piece, content, _) in enumerate(pieces):
            if n:
                text += " "
            if content:
                body.append((len(text), len(text) + len(piece)))
            text += piece
    return Paraphrase(text, body)


# --- alterations ----------------------------------------------------------------------------------


@dataclass
class Alteration:
    type: str
    start: int
    end: int
    new: str


def _new_digits(number: str, rng: random.Random, taken: set[str]) -> str | None:
    """The number with another leading digit, a value the source never states."""
    first = next(i for i, c in enumerate(number) if c.isdigit())
    choices = [number[:first] + str(d) + number[first + 1:] for d in range(1, 10) if str(d) != number[first]]
    choices = [c for c in choices if c not in taken]
    return rng.choice(choices) if choices else None


def _years(sentence: str, language: str) -> list[re.Match]:
    """Four-digit years after a cue word (`im Jahr`, `seit`, a month, `in`, `since`)."""
    return [m for m in re.finditer(r"(?<![\d.,/-])(1[89]\d\d|20[0-4]\d)(?![\d%]|er\b|s\b|/)", sentence)
            if re.search(YEAR_CUES[language], sentence[:m.start()])]


def number_sites(sentence: str, language: str, rng: random.Random, source_text: str) -> list[Alteration]:
    """Figures (another leading digit: 41 → 71, 1,8 → 6,8, 140 000 → 740 000) and number words (zwei → fünf)."""
    taken = set(re.findall(r"\d+(?:[.,]\d+)*|\w+", source_text.lower()))
    out = []
    month = "|".join(MONTHS[language])
    figure = r"(?<![\w.,/:§-])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)*)(?=(?:bn|m|tn|k)\b|%|(?![\w/:-]|[.,]\d))"
    for m in re.finditer(figure, sentence):
        text, after, before = m.group(), sentence[m.end():m.end() + 12], sentence[max(0, m.start() - 10):m.start()]
        if re.fullmatch(r"1[5-9]\d\d|20[0-4]\d", text):
            continue                                           # a year: a date
        if re.match(r"[.)]", after) and not sentence[:m.start()].strip() or before.endswith("[") and after.startswith("]"):
            continue                                           # a list item "2.", a reference "[7]"
        if re.match(rf"\.?\s?(?:{month})\b|\.\d|\s?(?:Uhr|a\.m\.|p\.m\.|h\b)|\s\d", after) or re.search(r"\d\s$", before):
            continue                                           # a day of the month, a time, a phone number
        if re.search(r"(?:Art\.|Artikel|Abs\.|Absatz|Nr\.|No\.|§|Paragraf|Section|Kapitel|Seite|page)\s?$", before):
            continue
        if language == "en" and re.search(rf"(?:{month})\s$", before):
            continue
        new = _new_digits(text, rng, taken)
        if new:
            out.append(Alteration("number", m.start(), m.end(), new))
    words = NUMBER_WORDS[language]
    for m in re.finditer(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])", sentence, flags=re.IGNORECASE):
        word = m.group()
        free = [w for w in words if w not in taken]
        if not free:
            continue
        new = rng.choice(free)
        out.append(Alteration("number", m.start(), m.end(), new.capitalize() if word[0].isupper() else new))
    return out


def unit_sites(sentence: str, language: str) -> list[Alteration]:
    """A scale, percent or currency word right after a figure, swapped from the fixed list."""
    swaps = UNIT_SWAPS[language]
    # a unit word counts only right after a figure: a digit, a number word or a scale word
    figure = (r"(?:\d|\d(?:bn|m)|\b(?:" + "|".join(NUMBER_WORDS[language])
              + r"|Millionen|Milliarden|Million|Milliarde|Mio\.|Mrd\.|million|billion|trillion))\s?$")
    out = []
    keys = sorted(swaps, key=len, reverse=True)
    pattern = "|".join(re.escape(k) + (r"(?![\w-])" if k[-1].isalpha() else "") for k in keys)
    for m in re.finditer(rf"(?<![\w-])(?:{pattern})|(?<=\d)(?:%|bn\b|m\b)", sentence):
        before = sentence[:m.start()]
        if m.group() in ("bn", "m", "%"):
            if not re.search(r"\d$", before):
                continue
        elif not re.search(figure, before, flags=re.IGNORECASE):
            continue
        out.append(Alteration("unit", m.start(), m.end(), swaps[m.group()]))
    return out


def date_sites(sentence: str, language: str, rng: random.Random) -> list[Alteration]:
    """Another weekday, month (where a month is meant), year (after a cue such as `im`, `seit`) or day."""
    out = []
    days, months = WEEKDAYS[language], MONTHS[language]
    for m in re.finditer(r"\b(" + "|".join(days) + r")\b", sentence):
        out.append(Alteration("date", m.start(), m.end(), rng.choice([d for d in days if d != m.group()])))
    for m in re.finditer(r"\b(" + "|".join(months) + r")\b", sentence):
        if re.search(MONTH_CUES[language], sentence[:m.start()]) or re.match(r"\s\d{1,4}\b", sentence[m.end():]):
            out.append(Alteration("date", m.start(), m.end(), rng.choice([x for x in months if x != m.group()])))
    for m in _years(sentence, language):
        out.append(Alteration("date", m.start(), m.end(), str(int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3]))))
    month = "|".join(months)
    day = r"(?<![\d.])(\d{1,2})(?=\.\s(?:" + month + r")\b)" if language == "de" else \
        r"(?<![\d.])(\d{1,2})(?=\s(?:" + month + r")\b)|\b(?:" + month + r")\s(\d{1,2})(?!\d|\.\d)"
    for m in re.finditer(day, sentence):
        group = 1 if m.group(1) else 2
        old = int(m.group(group))
        if 1 <= old <= 31:
            new = str(rng.choice([d for d in range(1, 29) if d != old]))
            out.append(Alteration("date", m.start(group), m.end(group), new))
    return out


def place_sites(sentence: str, language: str, rng: random.Random, source_text: str) -> list[Alteration]:
    """A city or country of the fixed list replaced by another of its kind that the source never names."""
    out = []
    for names in PLACES[language].values():
        free = [n for n in names if not re.search(rf"\b{re.escape(n)}\b", source_text)]
        if not free:
            continue
        pattern = r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
        for m in re.finditer(pattern, sentence):
            if re.match(r"\s(?:University|Universität)\b", sentence[m.end():]) or re.search(r"(?:University of|FC|Bayern)\s$", sentence[:m.start()]):
                continue
            out.append(Alteration("place", m.start(), m.end(), rng.choice(free)))
    return out


def _speech_adjacent(sentence: str, start: int, end: int, language: str) -> bool:
    """Is the name the speaker of reported speech: after a speech verb or cue, or before one?"""
    before, after = sentence[:start], sentence[end:]
    if re.search(rf"\b(?:{SPEECH[language]})\s+(?:(?:der|die|dem|des|the)\s+)?(?:[\w.-]+\s+){{0,2}}$", before):
        return True
    return bool(re.match(rf"\s*(?:\([^)]{{1,30}}\)\s*)?(?:,[^,]{{1,60}},\s*)?(?:{AFTER_SPEAKER[language]})\b", after))


def person_sites(sentence: str, language: str, rng: random.Random, source_text: str) -> list[Alteration]:
    """Full names (a first name from the fixed list + a surname) and surnames after a speech verb."""
    taken = set(re.findall(r"\w+", source_text))
    free = [p for p in PEOPLE[language] if not any(part in taken for part in p.split())]
    if not free:
        return []
    full = re.compile(r"(?<![\w-])(?P<first>" + "|".join(sorted(FIRST_NAMES, key=len, reverse=True))
                      + r") (?P<last>[A-ZÄÖÜ][a-zäöüßéèáç]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)(?![\w-])")
    surnames = {m.group("last"): m.group("first") for m in full.finditer(source_text) if m.group("last") not in NOT_SURNAMES}
    out, used = [], []
    for m in full.finditer(sentence):
        first, last = m.group("first"), m.group("last")
        if last not in surnames:
            continue
        new = rng.choice(free)
        if last.endswith("s") and last[:-1] in surnames:
            new += "s"                                          # "Angela Merkels Politik"
        kind = "speaker" if _speech_adjacent(sentence, m.start(), m.end(), language) else "person"
        out.append(Alteration(kind, m.start(), m.end(), new))
        used.append((m.start(), m.end()))
    for last in sorted(surnames):
        for m in re.finditer(rf"(?<![\w-]){re.escape(last)}(?![\w-])", sentence):
            if any(a <= m.start() < b for a, b in used) or not _speech_adjacent(sentence, m.start(), m.end(), language):
                continue
            out.append(Alteration("speaker", m.start(), m.end(), rng.choice(free).split()[-1]))
    return out


def negation_sites(sentence: str, language: str) -> list[Alteration]:
    """`nicht`/`not` inserted after a finite auxiliary (German: before the clause-final verb), or removed."""
    word = NEGATION[language]
    out = []
    negated = re.search(r"n['’]t\b", sentence) or any(
        w.lower() in NEGATION_WORDS or w.lower().startswith("kein") for w in re.findall(r"\w+", sentence))
    if not negated and not sentence.rstrip().endswith("?"):
        for m in re.finditer(rf"\b({NEGATABLE[language]}) (?=[\w„\"])", sentence):
            clause = re.match(r"[^,.;:–!?()„“\"]*", sentence[m.end():]).group()
            words = list(re.finditer(r"\S+", clause))
            if words and re.fullmatch(NOT_NEGATION_AFTER[language], words[0].group().lower()):
                continue                                       # "not only", "nicht nur": no negation
            if language == "de" and len(words) >= 2 and re.fullmatch(r"[a-zäöüß]+", words[-1].group()):
                at = m.end() + words[-1].start()              # "… im kommenden Jahr nicht steigen"
            elif words and words[0].group().lower() not in PRONOUNS:
                at = m.end()                                   # "was not", "ist nicht hoch"
            else:
                continue
            out.append(Alteration("negation", at, at, word + " "))
    for m in re.finditer(rf"\b{word} (?!(?:{NOT_NEGATION_AFTER[language]})\b)", sentence):
        out.append(Alteration("negation", m.start(), m.end(), ""))
    return out


def quote_sites(sentence: str, language: str, rng: random.Random) -> list[Alteration]:
    """One word inside a quotation: its antonym from the list, else another adjective with its ending."""
    out = []
    for a, b in quote_spans(sentence):
        inner = sentence[a + 1:b - 1]
        if len(re.findall(r"\w+", inner)) < MIN_QUOTE_WORDS:
            continue
        words = list(re.finditer(r"(?<![\w-])[a-zäöüß]{3,}(?![\w-])", inner))
        options = [(w, ANTONYMS[language][w.group()]) for w in words if w.group() in ANTONYMS[language]]
        if not options:
            stems, suffix = ADJECTIVES[language]
            for w in words:
                m = re.fullmatch(suffix, w.group())
                if m and len(m.group(1)) >= 5:
                    other = rng.choice([x for x in stems if x != m.group(1)])
                    options.append((w, other + m.group(2)))
        if options:
            w, new = rng.choice(options)
            out.append(Alteration("quote", a + 1 + w.start(), a + 1 + w.end(), new))
    return out


def alterations(para: Paraphrase, language: str, rng: random.Random, source_text: str) -> dict[str, list[Alteration]]:
    """Every alteration site of the paraphrase's content sentences, by type, in text offsets."""
    quoted = quote_spans(para.text)
    by_type: dict[str, list[Alteration]] = collections.defaultdict(list)
    for start, end in para.body:
        sentence = para.text[start:end]
        found = (number_sites(sentence, language, rng, source_text) + unit_sites(sentence, language)
                 + date_sites(sentence, language, rng) + place_sites(sentence, language, rng, source_text)
                 + person_sites(sentence, language, rng, source_text) + negation_sites(sentence, language)
                 + quote_sites(sentence, language, rng))
        for alt in found:
            a, b = start + alt.start, start + alt.end
            if alt.type != "quote" and _inside(quoted, a, max(b, a + 1)):
                continue                                       # a quotation changed is a quote drift
            if para.text[a:b] == alt.new or any((x.start, x.end) == (a, b) for x in by_type[alt.type]):
                continue
            by_type[alt.type].append(Alteration(alt.type, a, b, alt.new))
    return by_type


# --- the corpora ------------------------------------------------------------------------------------


@dataclass
class Source:
    id: str
    corpus: str
    language: str
    text: str
    date: str | None = None


def load_sources(eval_dir: Path, limit: int) -> tuple[list[Source], list[str]]:
    notes = []
    out = [Source(p.stem, "seeds", "de", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]
    insm = eval_dir / "insm" / "documents.jsonl.gz"
    if insm.exists():
        rows = []
        with gzip.open(insm, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if MIN_TEXT <= len(row["text"]) <= MAX_TEXT:
                    rows.append(row)
        rows.sort(key=lambda r: r["id"])
        for row in random.Random(SEED).sample(rows, min(limit, len(rows))):
            out.append(Source(row["id"], "insm", "de", row["text"], (row.get("date") or "")[:10] or None))
    else:
        notes.append(f"{insm}: not found; no German corpus sentences (seeds only)")
    clough = eval_dir / "clough" / "documents.jsonl"
    if clough.exists():
        rows = sorted((json.loads(line) for line in clough.read_text(encoding="utf-8").splitlines() if line.strip()),
                      key=lambda r: r["id"])
        for row in random.Random(SEED).sample(rows, min(limit, len(rows))):
            out.append(Source(row["id"], "clough", "en", row["text"]))
    else:
        notes.append(f"{clough}: not found; no English sentences")
    return out, notes


# --- the run ----------------------------------------------------------------------------------------


def document(text: str, source: Source, id: str) -> Document:
    given = {"language": source.language, **({"date": source.date} if source.date else {})}
    return analyse(RawRecord(id=id, text=text, origin=id, format="txt", given=given))[0]


def check(derivative: Document, source: Document, prepared, profile: dict) -> list[dict]:
    pairs = align.align(terms.units(derivative), prepared).sentence_pairs
    return claims.check_claims(derivative, source, pairs, profile)


def covers(claim: dict, alt: Alteration) -> bool:
    """Does the claim cover the altered words (for a removed word: the place it was)?"""
    start, end = alt.start, alt.start + len(alt.new)
    return claim["start"] < max(end, start + 1) and start < claim["end"]


NAMES = {"person", "speaker"}


def explained(claim: dict, kind: str, alt: Alteration) -> bool:
    """Is a drift of type `kind` on this claim the alteration's doing, with the type it should have?

    It covers the altered words, or, for a changed name, its drift names the new name (a pronoun
    further on now points at the changed person). A changed name may come back as `person` or
    `speaker`: the checker reports a speaker whose name changed as speaker drift only.
    """
    if kind != alt.type and not {kind, alt.type} <= NAMES:
        return False
    if covers(claim, alt):
        return True
    return alt.type in NAMES and any(
        d["type"] == kind and any(part in str(d["value"]) for part in alt.new.split()) for d in claim["drift"]
    )


class Tally:
    """Counts per language and drift type, the controls, and a few examples of each failure."""

    def __init__(self, examples: int):
        self.cases = {lang: {t: collections.Counter() for t in TYPES} for lang in ("de", "en")}
        self.controls = {lang: collections.Counter() for lang in ("de", "en")}
        self.control_types: collections.Counter = collections.Counter()
        self.corpora: collections.Counter = collections.Counter()
        self.shown = collections.defaultdict(list)
        self.examples = examples

    def example(self, key: tuple[str, str], *item) -> None:
        if len(self.shown.get(key, [])) < self.examples:
            self.shown[key].append(item)


def measure(source: Source, tally: Tally) -> None:
    """The control and every altered copy of one source document, checked against it."""
    src = document(source.text, source, f"source:{source.id}")
    if not src.segments:
        return
    tally.corpora[source.corpus] += 1
    lang = source.language
    rng = random.Random(f"{SEED}:{source.id}")
    profile = claims.profile_source(src)
    prepared = align.prepare(terms.units(src))
    para = paraphrase(src, rng)

    control = tally.controls[lang]
    checked = check(document(para.text, source, f"paraphrase:{source.id}"), src, prepared, profile)
    control["documents"] += 1
    control["claims"] += len(checked)
    for claim in checked:
        control[claim["status"]] += 1
        for d in claim["drift"]:
            tally.control_types[d["type"]] += 1
            tally.example(("false drift on an unaltered paraphrase", d["type"]), source.id, claim["text"][:200], d)

    sites = alterations(para, lang, rng, source.text)
    for kind in TYPES:
        if not sites.get(kind):
            continue
        alt = rng.choice(sites[kind])
        change = f"[{para.text[alt.start:alt.end]!r} -> {alt.new!r}]"
        text = para.text[:alt.start] + alt.new + para.text[alt.end:]
        checked = check(document(text, source, f"altered:{source.id}:{kind}"), src, prepared, profile)
        hit = [c for c in checked if covers(c, alt)]
        counts = tally.cases[lang][kind]
        counts["cases"] += 1
        if any(d["type"] == kind for c in hit for d in c["drift"]):
            counts["recall"] += 1
        else:
            tally.example(("missed", kind), source.id, change, [(c["status"], c["text"][:200], c["drift"]) for c in hit])
        counts["any"] += any(c["drift"] for c in hit)
        for claim in checked:
            for t in sorted({d["type"] for d in claim["drift"]} & set(TYPES)):
                tally.cases[lang][t]["flagged"] += 1
                if explained(claim, t, alt):
                    tally.cases[lang][t]["true"] += 1
                else:
                    tally.example(("flagged wrongly", t), source.id, kind, change, claim["text"][:200],
                                  [d for d in claim["drift"] if d["type"] == t])


def report(tally: Tally) -> None:
    def share(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "–"

    cases = sum(c["cases"] for per in tally.cases.values() for c in per.values())
    controls = sum(c["documents"] for c in tally.controls.values())
    print(f"Drift test set: {', '.join(f'{n} {c}' for c, n in sorted(tally.corpora.items()))} source documents; "
          f"{cases} altered copies, {controls} unaltered paraphrases")
    for lang, title in (("de", "German"), ("en", "English"), ("all", "All")):
        rows = {t: tally.cases["de"][t] + tally.cases["en"][t] if lang == "all" else tally.cases[lang][t] for t in TYPES}
        control = tally.controls["de"] + tally.controls["en"] if lang == "all" else tally.controls[lang]
        if not control["documents"]:
            continue
        print(f"\n{title}:")
        print(f"  {'type':10}{'cases':>7}{'recall':>8}{'any drift':>11}{'precision':>11}{'flagged':>9}")
        total: collections.Counter = collections.Counter()
        for t in (*TYPES, "all"):
            r = total if t == "all" else rows[t]
            total.update({} if t == "all" else r)
            print(f"  {t:10}{r['cases']:>7}{share(r['recall'], r['cases']):>8}{share(r['any'], r['cases']):>11}"
                  f"{share(r['true'], r['flagged']):>11}{r['flagged']:>9}")
        print(f"  unaltered paraphrases: {control['documents']} documents, {control['claims']} claims; "
              f"false-drift rate {share(control['drifted'], control['claims'])} ({control['drifted']} drifted); "
              f"supported {share(control['supported'], control['claims'])}, "
              f"unsupported {share(control['unsupported'], control['claims'])}")
    if tally.control_types:
        print("\nfalse drift on unaltered paraphrases by type: "
              + ", ".join(f"{t} {n}" for t, n in sorted(tally.control_types.items(), key=lambda x: (-x[1], x[0]))))
    for (what, kind), items in sorted(tally.shown.items()):
        print(f"\n{what}: {kind}")
        for item in items:
            print("  ", *item)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--limit", type=int, default=250, help="source documents drawn from each corpus (default 250)")
    parser.add_argument("--examples", type=int, default=0, help="show this many misses and wrong flags per type")
    args = parser.parse_args()
    started = time.perf_counter()
    sources, notes = load_sources(Path(args.eval_dir), args.limit)
    for note in notes:
        print(note)
    tally = Tally(args.examples)
    for source in sources:
        measure(source, tally)
    report(tally)
    print(f"\ntotal time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
