"""Who published a document, who distributed it, who a derivative credits, and what a reader should know.

Four steps, each a plain function over plain data (dicts; a `Document` works wherever a dict of
document fields is asked for):

- the **outlet registry** (`load_registry`, `merge`, `read_outlets_file`, `validate_outlet`):
  one record per outlet with `role` and `state_affiliation` kept apart (Xinhua is a news agency
  *and* state-controlled), domains, feed handles, aliases and third-party ratings, each rating
  with its source and licence;
- **resolution** (`resolve`): the outlet a document comes from, by URL domain, feed handle,
  source name, release footer or headline self-identification (`CGTN: …`), and the
  distributor (wire or press-release service) named in the dateline credit or the URL. The
  distributor is never taken for the outlet; unknown stays unknown;
- **attribution** (`attribution`): whether a derivative names its source's outlet, owner,
  distributor, URL, domain, title or author, with the credits' character offsets, and whether
  it credits some *other* outlet instead;
- **signals** and **score** (`signals`, `score`): the reasons a reader should be careful, each
  with a severity, its evidence and one plain sentence, and a 0-100 score computed from them
  by the documented formula in `score`.

Text matching is by whole words. Acronyms are matched in their own case (`CGTN`, `AP`; a lower
case acronym also in capitals: `dpa`, `DPA`); names that are also everyday words (`Welt`,
`Spiegel`, `Bild`, `Die Zeit`) count only inside a credit phrase (`laut`, `zufolge`,
`wie … berichtet`, `according to`, `(dpa)`, `Quelle:` …); names of countries never count.
"""
from __future__ import annotations

import copy
import csv
import functools
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from . import SCHEMA_DIR

# --- vocabularies --------------------------------------------------------------------------------

ROLES = ("news outlet", "broadcaster", "news agency", "press-release distributor", "organisation", "unknown")
STATE_AFFILIATIONS = ("state-controlled", "state-captured", "state-funded independent", "none known")
SEVERITIES = ("info", "low", "medium", "high")

# The State Media Monitor typology as used by the ASD State Media Profiles.
ASD_TYPOLOGY = {
    "SC": "state-controlled",            # state-controlled media
    "CaPu": "state-captured",            # captured public / state-managed media
    "CaPr": "state-captured",            # captured private media
    "ISFM": "state-funded independent",  # independent, state-funded and state-managed
    "ISF": "state-funded independent",   # independent, state-funded
    "ISM": "state-funded independent",   # independent, state-managed
    "IP": "state-funded independent",    # independent public media
}

LIST_FIELDS = ("domains", "feeds", "aliases", "data_sources")
SCALAR_FIELDS = ("role", "state_affiliation", "typology", "country", "owner", "notes")
DEFAULTS = {"role": "unknown", "state_affiliation": "none known"}

DATA_DIR = Path(__file__).parent / "data" / "outlets"
# Loaded in this order; later files add to (and may override) earlier ones. Each file has its
# own licence: see NOTICE.md in that folder.
DEFAULT_FILES = ("outlets.json", "wikipedia-perennial-sources.json", "cred-1.json")


def affiliation_from_typology(code) -> str:
    """'SC' → 'state-controlled', 'CaPr' → 'state-captured', 'ISFM?' → 'state-funded independent';
    no code or an unknown one → 'none known'."""
    if not isinstance(code, str):
        return "none known"
    return ASD_TYPOLOGY.get(code.strip().rstrip("?").strip(), "none known")


class OutletFileError(ValueError):
    """An outlets file could not be read; `errors` holds one line per problem, naming file and row."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# --- domains and URLs ----------------------------------------------------------------------------

_WWW_RE = re.compile(r"^www\d*\.")
_LANGUAGE_PATH_RE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$", re.IGNORECASE)


def split_url(value) -> tuple[str, str] | None:
    """(host, path) of a URL or bare domain, normalised: lower-case host without 'www.' or port,
    path without query, fragment, trailing slash, index file or lone language code ('/en/')."""
    if not isinstance(value, str):
        return None
    value = re.sub(r"\s+", "", value.strip())
    if not value:
        return None
    if "://" not in value:
        value = "http://" + value.lstrip("/")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if not host or "." not in host.strip("."):
        return None
    host = _WWW_RE.sub("", host.strip(".").lower())
    segments = [s for s in parts.path.split("/") if s]
    if segments and "." in segments[-1] and re.search(r"^(?:index|default|home)\.\w+$", segments[-1], re.I):
        segments = segments[:-1]
    if len(segments) == 1 and _LANGUAGE_PATH_RE.match(segments[0]):
        segments = []
    return host, "/".join(segments)


def normalise_domain(value) -> str | None:
    """A registry domain entry from a URL or hostname: 'https://www.FAZ.net/' → 'faz.net'."""
    parts = split_url(value)
    if parts is None:
        return None
    host, path = parts
    return f"{host}/{path}" if path else host


# --- records -------------------------------------------------------------------------------------


def _schema_path() -> Path:
    packaged = SCHEMA_DIR / "outlet.schema.json"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas" / "outlet.schema.json"


@functools.lru_cache(maxsize=1)
def outlet_validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads(_schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate_outlet(record) -> list[str]:
    """Errors of one outlet record against schemas/outlet.schema.json, as `json_path: message`, sorted."""
    errors = sorted(outlet_validator().iter_errors(record), key=lambda e: (e.json_path, e.message))
    return [f"{error.json_path}: {error.message}" for error in errors]


def _key(name) -> str:
    return " ".join(str(name).split()).casefold()


def _dedupe(values, key=_key) -> list[str]:
    seen, out = set(), []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        value = " ".join(value.split())
        k = key(value)
        if k not in seen:
            seen.add(k)
            out.append(value)
    return out


def normalise_record(record: dict) -> dict:
    """A record with collapsed whitespace, normalised domains and sorted, de-duplicated lists.

    Only tidies what is there: it never adds fields. Use it before `validate_outlet` on input
    typed by people ('https://www.faz.net/' becomes 'faz.net')."""
    out = {}
    for key, value in record.items():
        if key == "name" and isinstance(value, str):
            value = " ".join(value.split())
        elif key == "domains" and isinstance(value, list):
            value = sorted(_dedupe([normalise_domain(v) or v for v in value if isinstance(v, str)], key=str))
        elif key == "feeds" and isinstance(value, list):
            value = sorted(_dedupe([v.strip() for v in value if isinstance(v, str)]), key=lambda v: (v.casefold(), v))
        elif key == "aliases" and isinstance(value, list):
            value = sorted(_dedupe(value, key=str), key=lambda v: (v.casefold(), v))
        elif key == "data_sources" and isinstance(value, list):
            value = sorted(_dedupe(value), key=lambda v: (v.casefold(), v))
        elif key in SCALAR_FIELDS and isinstance(value, str):
            value = " ".join(value.split()) or None
        out[key] = value
    return out


def _rating_key(rating: dict) -> tuple:
    return (_key(rating.get("source", "")), _key(rating.get("domain") or ""), _key(rating.get("value", "")))


def _complete(record: dict) -> dict:
    """A stored record: every field present, defaults filled, lists sorted."""
    out = {"name": " ".join(record["name"].split())}
    for key in SCALAR_FIELDS:
        out[key] = record.get(key) if record.get(key) not in ("", None) else DEFAULTS.get(key)
    for key in LIST_FIELDS:
        out[key] = list(record.get(key) or [])
    out["ratings"] = sorted(
        (dict(r) for r in record.get("ratings") or []),
        key=lambda r: (r.get("source", ""), r.get("domain") or "", r.get("value", "")),
    )
    out = normalise_record(out)
    out["aliases"] = [a for a in out["aliases"] if a != out["name"]]
    return out


def outlet_summary(record: dict | None) -> dict | None:
    """The contract's outlet object: {name, role, state_affiliation, country}, or None."""
    if not record:
        return None
    return {key: record.get(key) for key in ("name", "role", "state_affiliation", "country")}


# --- the registry --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+")
_GAP_RE = re.compile(r"^[ \t.\-‐‑–'’&/+]{0,3}$|^ ?[.\-] ?$")
MAX_ALIAS_TOKENS = 8
COMMON_WORD_ZIPF = 4.0   # wordfreq Zipf frequency from which a name is also an everyday word
GENERIC_WORD_ZIPF = 5.0  # … from which it is so common that matching it in text means nothing
_ARTICLES = {"der", "die", "das", "the", "le", "la", "les", "el", "il"}


@dataclass(frozen=True)
class _Alias:
    text: str
    record: str          # the record's name
    kind: str            # "name", "alias", "owner"
    common: bool         # counts only inside a credit phrase


def _zipf(word: str) -> float:
    from .terms import zipf_of

    return max(zipf_of(word, "de"), zipf_of(word, "en"))


@functools.lru_cache(maxsize=65536)
def _alias_class(alias: str, countries: frozenset) -> str | None:
    """'distinct', 'common' (everyday word: needs a credit phrase) or None (never matched in text)."""
    tokens = _TOKEN_RE.findall(alias)
    if not tokens or len(tokens) > MAX_ALIAS_TOKENS or len("".join(tokens)) < 2:
        return None
    if _key(alias) in countries or all(t.isdigit() for t in tokens):
        return None
    if len(tokens) == 1:
        token = tokens[0]
        if not any(c.islower() for c in token) and len(token) <= 6:
            return "distinct"   # an acronym, matched in its own case
        if token.islower() and len(token) <= 4:
            return "distinct"   # dpa, ots, epd: matched as written or in capitals
        frequency = _zipf(token.lower())
        if frequency >= GENERIC_WORD_ZIPF:
            return None
        return "common" if frequency >= COMMON_WORD_ZIPF else "distinct"
    if len(tokens) == 2 and tokens[0].lower() in _ARTICLES and _zipf(tokens[1].lower()) >= COMMON_WORD_ZIPF:
        return "common"         # Die Welt, Die Zeit, Der Spiegel, The Times
    return "distinct"


def _case_ok(alias_tokens: list[str], surface_tokens: list[str]) -> bool:
    if len(alias_tokens) > 1:
        return True  # token-wise case-insensitive equality is checked by the index
    alias, surface = alias_tokens[0], surface_tokens[0]
    if surface == alias:
        return True
    if not any(c.islower() for c in alias):
        return False                                  # CGTN, AP, BILD: own case only
    if len(alias) < 6 or alias.islower():
        return surface == alias.upper()               # dpa/DPA, Welt/WELT
    if surface.isupper():
        return True                                   # XINHUA, REUTERS
    return surface[0].isupper() == alias[0].isupper() and surface.casefold() == alias.casefold()


def _owner_names(owner) -> list[str]:
    """'Rossiya Segodnya (Russia Today)' → ['Rossiya Segodnya', 'Russia Today']."""
    if not isinstance(owner, str) or not owner.strip():
        return []
    owner = owner.replace("*", "").strip()
    names = [re.sub(r"\s*\([^)]*\)", "", owner).strip()]
    names += [p.strip() for p in re.findall(r"\(([^)]*)\)", owner)]
    return [n for n in names if n]


@dataclass
class Registry:
    """The outlet records (sorted by name) with lookups by name, alias, feed and URL."""

    records: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.records = sorted((_complete(r) for r in self.records), key=lambda r: (_key(r["name"]), r["name"]))
        self._by_name = {}
        for record in self.records:
            if _key(record["name"]) in self._by_name:
                raise ValueError(f"two outlets are named {record['name']!r}")
            self._by_name[_key(record["name"])] = record
        self._by_alias: dict[str, list[dict]] = {}
        self._by_feed: dict[str, dict] = {}
        self._by_domain: dict[str, list[tuple[str, dict]]] = {}
        for record in self.records:
            for alias in [record["name"], *record["aliases"]]:
                bucket = self._by_alias.setdefault(_key(alias), [])
                if not any(r is record for r in bucket):
                    bucket.append(record)
            for feed in record["feeds"]:
                self._by_feed.setdefault(feed.lstrip("@").casefold(), record)
            for domain in record["domains"]:
                host, _, path = domain.partition("/")
                self._by_domain.setdefault(host, []).append((path, record))
        self._matcher = None

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def get(self, name) -> dict | None:
        """The record named `name` (case-insensitive), or None."""
        return self._by_name.get(_key(name)) if isinstance(name, str) else None

    def by_alias(self, text) -> list[dict]:
        """Every record whose name or an alias is `text` (case-insensitive)."""
        return list(self._by_alias.get(_key(text), [])) if isinstance(text, str) else []

    def by_feed(self, handle) -> dict | None:
        """The record with this feed handle ('FAZ_Politik', '@faznet'), case-insensitive, or None."""
        if not isinstance(handle, str) or not handle.strip():
            return None
        return self._by_feed.get(handle.strip().lstrip("@").casefold())

    def lookup(self, text) -> dict | None:
        """The one record a name, alias or feed handle stands for; None if unknown or ambiguous."""
        record = self.get(text)
        if record is not None:
            return record
        candidates = self.by_alias(text)
        if len(candidates) == 1:
            return candidates[0]
        return None if candidates else self.by_feed(text)

    def by_url(self, url) -> tuple[dict, str] | None:
        """(record, matched domain entry) for a URL or hostname: the longest domain, then path, match."""
        parts = split_url(url)
        if parts is None:
            return None
        host, path = parts
        labels = host.split(".")
        for i in range(len(labels) - 1):
            suffix = ".".join(labels[i:])
            entries = self._by_domain.get(suffix)
            if not entries:
                continue
            best = None
            for entry_path, record in entries:
                if entry_path and not (path == entry_path or path.startswith(entry_path + "/")):
                    continue
                if best is None or len(entry_path) > len(best[0]):
                    best = (entry_path, record)
            if best is not None:
                return best[1], suffix + ("/" + best[0] if best[0] else "")
        return None

    @functools.cached_property
    def countries(self) -> frozenset:
        return frozenset(_key(r["country"]) for r in self.records if r.get("country"))

    def matcher(self) -> "_Matcher":
        if self._matcher is None:
            self._matcher = _Matcher(self)
        return self._matcher


FOUND_TEXTS = 4096   # texts whose name matches a matcher remembers


class _Matcher:
    """Finds registry names in running text by token n-grams, with the case rules above."""

    def __init__(self, registry: Registry):
        countries = registry.countries
        self.index: dict[tuple, list[tuple[list[str], _Alias]]] = {}
        # Names too common to match bare (Bild, Welt, Focus, Standard) match when quoted as a
        # title is: 'wie die „Bild“-Zeitung berichtet', 'laut „Welt“'.
        self.quoted: dict[str, list[_Alias]] = {}
        for record in registry.records:
            names = [(record["name"], "name")] + [(a, "alias") for a in record["aliases"]]
            names += [(o, "owner") for o in _owner_names(record.get("owner"))]
            # 'die New York Times' in German text: the English article is not part of the name there.
            names += [(text[4:], kind) for text, kind in names if text.startswith("The ") and len(_TOKEN_RE.findall(text)) >= 3]
            names += [(variant, kind) for text, kind in names for variant in [_declined(text)] if variant]
            for text, kind in names:
                cls = _alias_class(text, countries)
                tokens = _TOKEN_RE.findall(text)
                if cls is None:
                    if _quotable(tokens, countries):
                        self.quoted.setdefault(tokens[0], []).append(_Alias(text, record["name"], kind, True))
                    continue
                entry = (tokens, _Alias(text, record["name"], kind, cls == "common"))
                self.index.setdefault(tuple(t.casefold() for t in tokens), []).append(entry)
        self.max_tokens = max((len(k) for k in self.index), default=1)
        self.first_tokens = {key[0] for key in self.index if key}
        self.prefixes = {key[:n] for key in self.index for n in range(1, len(key) + 1)}
        # Where a name may start (a genitive ending aside): a fifth of a text's tokens, which
        # spares the other four fifths every lookup.
        self.starts = frozenset(self.first_tokens | {word.casefold() for word in self.quoted})
        self._found: dict[str, tuple] = {}

    def find(self, text: str) -> tuple[tuple[int, int, list[_Alias]], ...]:
        """(start, end, aliases) for every longest name match in `text`, left to right.

        Remembered for the last FOUND_TEXTS texts: the graph asks about one text once for every
        derivation it is in, in both directions, and the scan is the costly part of it."""
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = tuple(self._scan(text))
            if len(self._found) > FOUND_TEXTS:
                del self._found[next(iter(self._found))]
        return found

    def _scan(self, text: str) -> list[tuple[int, int, list[_Alias]]]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
        folded = [t[2].casefold() for t in tokens]
        starts = self.starts
        out, after = [], 0
        for i, word in enumerate(folded):
            if i < after or not (
                word in starts or (word[-1:] == "s" and (word[:-1] in starts or word[:-2] in starts))
            ):
                continue
            found = self._match(text, tokens, folded, i)
            # 'des Spiegels', 'des „Handelsblattes“': the name without its genitive ending
            for base in _genitive_bases(text, tokens, i) if found is None else ():
                found = self._match(text, tokens, folded, i, base)
                if found:
                    break
            if found:
                n, start, end, hits = found
                out.append((start, end, hits))
                after = i + n
                while after < len(tokens) and tokens[after][0] < end:
                    after += 1
        return out

    def _match(self, text: str, tokens: list[tuple], folded: list[str], i: int, first: str | None = None) -> tuple | None:
        """(its number of tokens, start, end, aliases) of the longest name starting at token i, or
        None; with `first`, as if token i were that word."""
        word = tokens[i][2] if first is None else first
        head = word.casefold()
        if head not in self.first_tokens and word not in self.quoted:
            return None
        longest, limit = 1, min(self.max_tokens, len(tokens) - i)
        while longest < limit and (head, *folded[i + 1:i + longest + 1]) in self.prefixes:
            longest += 1
        for n in range(longest, 0, -1):
            window = tokens[i:i + n]
            entries = self.index.get((head, *folded[i + 1:i + n]))
            if not entries:
                continue
            if any(not _GAP_RE.match(text[a[1]:b[0]]) for a, b in zip(window, window[1:])):
                continue
            surface = [word] + [t[2] for t in window[1:]]
            hits = [alias for alias_tokens, alias in entries if _case_ok(alias_tokens, surface)]
            if hits and (_TITLE_FOLLOWS_RE.match(text, window[-1][1]) or (
                all(alias.common for alias in hits) and _NAME_GOES_ON_RE.match(text, window[-1][1])
            )):
                return None  # 'die Tageszeitung „Österreich“', 'the National Academy': something else
            if hits:
                return n, window[0][0], window[-1][1], hits
        if word in self.quoted:
            span = _quoted_title(text, tokens[i][0], tokens[i][1])
            if span:
                return 1, *span, self.quoted[word]
            if _PRESS_NOUN_BEFORE_RE.search(text, max(0, tokens[i][0] - 40), tokens[i][0]):
                return 1, tokens[i][0], tokens[i][1], self.quoted[word]
        return None


# A common-word name needs no quotation marks after a noun that says it is a paper, magazine or
# broadcaster: 'sagte der Zeitung Bild', 'dem Magazin Stern', 'told the newspaper Welt'.
_PRESS_NOUN_BEFORE_RE = re.compile(
    r"\b(?:Zeitung|Tageszeitung|Wochenzeitung|Sonntagszeitung|Boulevardzeitung|Boulevardblatt|Blatt|Magazin"
    r"|Nachrichtenmagazin|Wochenmagazin|Zeitschrift|Sender|newspaper|magazine|tabloid|paper)\s+$"
)
# A name followed by a quoted title describes that title ('die Tageszeitung „Österreich“'); an
# everyday-word name followed by another capitalised word is part of a longer name ('the National
# Academy of Sciences', 'das erste Quartal').
_TITLE_FOLLOWS_RE = re.compile(r" [„“\"»«][A-ZÄÖÜ]")
_NAME_GOES_ON_RE = re.compile(r" [A-ZÄÖÜ][a-zäöüß]+\b")
_GENITIVE_ARTICLE_RE = re.compile(r"\b(?:des|eines)\s*[„“\"»«‚‘']?$", re.IGNORECASE)


def _genitive_bases(text: str, tokens: list[tuple], i: int) -> tuple[str, ...]:
    """The word at token i without its genitive ending, where an article before it says it may
    have one: 'des Spiegels' → ('Spiegel',), 'des Handelsblattes' → ('Handelsblatte', 'Handelsblatt')."""
    start, _, word = tokens[i]
    if i == 0 or len(word) < 5 or not word[:1].isupper() or not word.endswith("s"):
        return ()
    if not _GENITIVE_ARTICLE_RE.search(text[tokens[i - 1][0]:start]):
        return ()
    return (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],)


# German names that open with adjectives are declined after an article or preposition: 'laut der
# Süddeutschen Zeitung', 'der Frankfurter Allgemeinen', 'nach Angaben der Deutschen Presse-Agentur'.
# An adjective is told by its ending; place names in -er ('Frankfurter') do not decline.
_ADJECTIVE_ENDINGS = ("sche", "liche", "eine", "ige", "ale")
_PLAIN_ADJECTIVES = frozenset({"Neue", "Freie", "Junge", "Alte", "Große", "Rote", "Grüne"})


def _declined(name: str) -> str | None:
    """`name` with its leading adjectives in the weak -n form ('Süddeutsche Zeitung' → 'Süddeutschen
    Zeitung'), or None where it opens with none. Place adjectives in -er before them are kept."""
    words = name.split(" ")
    declined, changed = [], False
    for index, word in enumerate(words):
        if word[:1].isupper() and (word in _PLAIN_ADJECTIVES or (word.endswith(_ADJECTIVE_ENDINGS) and len(word) > 5)):
            declined.append(word + "n")
            changed = True
        elif not changed and word.endswith("er") and word[:1].isupper() and index < len(words) - 1:
            declined.append(word)
        else:
            declined.extend(words[index:])
            break
    return " ".join(declined) if changed else None


_OPENING_MARKS = "„“\"«»‚‘'"
_CLOSING_MARKS = {"„": "“”\"", "“": "”\"", "\"": "\"“", "«": "»", "»": "«", "‚": "‘’'", "‘": "’'", "'": "'’"}
_TITLE_SUFFIX_RE = re.compile(r"-(?:Zeitung|Magazin|Online|Chef\w*|Redaktion|Reporter\w*|Bericht\w*|Interview)\b")


def _quotable(tokens: list[str], countries: frozenset) -> bool:
    """A one-word name too common to match bare that may still match in quotation marks."""
    return (
        len(tokens) == 1 and len(tokens[0]) >= 3 and tokens[0][:1].isupper() and tokens[0][1:].islower()
        and tokens[0].isalpha() and tokens[0].casefold() not in countries
    )


def _quoted_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name standing alone in quotation marks (with the marks and a '-Zeitung'
    that follows), or None."""
    if start == 0 or end >= len(text) or text[start - 1] not in _OPENING_MARKS:
        return None
    if text[end] not in _CLOSING_MARKS[text[start - 1]]:
        return None
    suffix = _TITLE_SUFFIX_RE.match(text, end + 1)
    return start - 1, suffix.end() if suffix else end + 1


def merge(registry: Registry, records, *, source: str | None = None, match_aliases: bool = False) -> Registry:
    """A new registry: `registry` with `records` added or applied as overrides (input untouched).

    A record whose name matches an outlet's name (case-insensitive; with `match_aliases`, failing
    that, the alias of exactly one outlet: 'FAZ' updates the Frankfurter Allgemeine) updates it:
    the scalar fields it gives replace the old values; domains, feeds, aliases and data
    sources are added; a rating replaces one with the same source, domain and value, others
    are added. A domain or feed handle belongs to one outlet: the record that names it last
    takes it from any other. Any other record is added as a new outlet. `source` (e.g. 'user')
    is appended to the data_sources of every record touched.
    """
    by_name = {_key(r["name"]): copy.deepcopy(r) for r in registry.records}
    alias_owner: dict[str, set[str]] = {}
    domain_owner: dict[str, str] = {}
    feed_owner: dict[str, str] = {}
    for key, record in by_name.items():
        for alias in record["aliases"]:
            alias_owner.setdefault(_key(alias), set()).add(key)
        for domain in record["domains"]:
            domain_owner[domain] = key
        for feed in record["feeds"]:
            feed_owner[feed.casefold()] = key
    for incoming in records:
        incoming = normalise_record(incoming)
        key = _key(incoming["name"])
        if match_aliases and key not in by_name and len(alias_owner.get(key, ())) == 1:
            key = next(iter(alias_owner[key]))
        target = by_name.setdefault(key, {"name": incoming["name"]})
        for field_name in SCALAR_FIELDS:
            if incoming.get(field_name) not in (None, ""):
                target[field_name] = incoming[field_name]
        for field_name in LIST_FIELDS:
            if incoming.get(field_name):
                target[field_name] = list(target.get(field_name) or []) + list(incoming[field_name])
        if source:
            target["data_sources"] = list(target.get("data_sources") or []) + [source]
        if incoming.get("ratings"):
            ratings = {_rating_key(r): r for r in target.get("ratings") or []}
            for rating in incoming["ratings"]:
                ratings[_rating_key(rating)] = dict(rating)
            target["ratings"] = list(ratings.values())
        for domain in incoming.get("domains") or []:
            previous = domain_owner.get(domain)
            if previous is not None and previous != key:
                other = by_name[previous]
                other["domains"] = [d for d in other["domains"] if d != domain]
            domain_owner[domain] = key
        for feed in incoming.get("feeds") or []:
            previous = feed_owner.get(feed.casefold())
            if previous is not None and previous != key:
                other = by_name[previous]
                other["feeds"] = [f for f in other["feeds"] if f.casefold() != feed.casefold()]
            feed_owner[feed.casefold()] = key
        for alias in incoming.get("aliases") or []:
            alias_owner.setdefault(_key(alias), set()).add(key)
    return Registry(list(by_name.values()))


def load_registry(path=None) -> Registry:
    """The shipped default registry, or the registry at `path`.

    `path` may be a folder holding the files of `DEFAULT_FILES` (as the shipped one does) or
    one JSON/JSONL/CSV outlets file (see `read_outlets_file`).
    """
    path = Path(path) if path is not None else DATA_DIR
    registry = Registry([])
    if path.is_dir():
        for name in DEFAULT_FILES:
            file = path / name
            if file.exists():
                registry = merge(registry, json.loads(file.read_text(encoding="utf-8")))
        return registry
    return merge(registry, read_outlets_file(path))


@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The shipped registry, loaded once per process, its name matcher built, and kept in the
    cache under a digest of the shipped files: merging and indexing ~10,000 records takes over a
    second, which `provenance compare` of two files paid on every run; reading the kept one a
    tenth of that. The matcher weighs names by wordfreq, so wordfreq's version is in the key."""
    import hashlib

    from . import cache

    def build() -> Registry:
        registry = load_registry()
        registry.matcher()
        return registry

    digest = hashlib.blake2b(digest_size=16)
    for name in DEFAULT_FILES:
        file = DATA_DIR / name
        digest.update(name.encode() + b"\0" + (file.read_bytes() if file.exists() else b""))
    return cache.stored("default-registry", (digest.hexdigest(), cache.package_version("wordfreq")), build)


# --- importing outlets files ---------------------------------------------------------------------

CSV_LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")
CSV_RATING_COLUMNS = ("rating_source", "rating_value", "rating_licence")


def read_outlets_file(path) -> list[dict]:
    """Outlet records from a JSON, JSON Lines or CSV file, normalised and validated.

    JSON: a list of records, {"outlets": [...]}, or one record. CSV: a header row with `name`
    and any of role, state_affiliation, typology, country, owner, notes, domains, feeds,
    aliases, data_sources (lists separated by ';' or '|'; a file whose header is separated by
    ';' is read with ';' as the delimiter) and rating_source, rating_value,
    rating_licence (one rating per row). Raises `OutletFileError` with one line per problem,
    naming the file and the row (CSV: data row and line; JSON: record number).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise OutletFileError([f"{path}: cannot read: {error.strerror or error}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OutletFileError([f"{path}: not UTF-8 (byte {error.start})"]) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_records(path, text)
    elif suffix in (".json", ".jsonl", ".ndjson"):
        rows = _json_records(path, text, lines=suffix != ".json")
    else:
        raise OutletFileError([f"{path}: unknown format {suffix or '(no extension)'}; use .json, .jsonl or .csv"])
    errors, records, names = [], [], {}
    for where, record in rows:
        if isinstance(record, str):
            errors.append(f"{path}: {where}: {record}")
            continue
        if not isinstance(record, dict):
            errors.append(f"{path}: {where}: $: not an object")
            continue
        record = normalise_record(record)
        problems = validate_outlet(record)
        errors += [f"{path}: {where}: {problem}" for problem in problems]
        if not problems:
            key = _key(record["name"])
            if key in names:
                errors.append(f"{path}: {where}: $.name: {record['name']!r} is already given in {names[key]}")
            names.setdefault(key, where)
            records.append(record)
    if errors:
        raise OutletFileError(errors)
    return records


def _json_records(path: Path, text: str, lines: bool):
    if lines:
        out = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append((f"line {number}", _record_or_problem(json.loads(line))))
            except json.JSONDecodeError as error:
                raise OutletFileError([f"{path}: line {number}: invalid JSON: {error.msg}"]) from None
        return out
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OutletFileError([f"{path}: line {error.lineno}: invalid JSON: {error.msg}"]) from None
    if isinstance(data, dict) and isinstance(data.get("outlets"), list):
        data = data["outlets"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise OutletFileError([f"{path}: expected a list of outlet records"])
    return [(f"record {n}", _record_or_problem(record)) for n, record in enumerate(data, 1)]


def _record_or_problem(record):
    """A JSON string where a record belongs is a problem, not a message to print as given."""
    return "$: not an object" if isinstance(record, str) else record


def _csv_records(path: Path, text: str):
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","  # spreadsheets set to German
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise OutletFileError([f"{path}: header (line 1): malformed CSV: {error}"]) from None
    except StopIteration:
        raise OutletFileError([f"{path}: empty file: expected a header row with a 'name' column"]) from None
    header = [h.strip().lower() for h in header]
    known = {"name", *SCALAR_FIELDS, *LIST_FIELDS, *CSV_RATING_COLUMNS}
    unknown = [h for h in header if h not in known]
    if unknown or "name" not in header or len(set(header)) != len(header):
        problem = (
            f"unknown column {unknown[0]!r} (known: {', '.join(sorted(known))})" if unknown
            else "no 'name' column" if "name" not in header else "a column appears twice"
        )
        raise OutletFileError([f"{path}: header (line 1): {problem}"])
    out, number = [], 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise OutletFileError([f"{path}: row {number + 1} (line {reader.line_num}): malformed CSV: {error}"]) from None
        if not any(v.strip() for v in values):
            continue
        number += 1
        where = f"row {number} (line {reader.line_num})"
        if len(values) != len(header):
            out.append((where, f"$: {len(values)} fields, but the header has {len(header)}"))
            continue
        row = {h: v.strip() for h, v in zip(header, values) if v.strip()}
        record = {k: v for k, v in row.items() if k not in CSV_RATING_COLUMNS and k not in LIST_FIELDS}
        for key in LIST_FIELDS:
            if key in row:
                record[key] = [v for v in CSV_LIST_SEPARATOR.split(row[key]) if v]
        if any(c in row for c in CSV_RATING_COLUMNS):
            record["ratings"] = [{
                "source": row.get("rating_source", ""), "value": row.get("rating_value", ""),
                "licence": row.get("rating_licence", ""),
            }]
        out.append((where, record))
    return out


# --- resolution ----------------------------------------------------------------------------------

HEADLINE_PREFIX_RE = re.compile(r"^\s*(?P<name>[^:|–—]{2,60}?)\s*(?::|\||–|—|\s-)\s+\S")
HEADLINE_SUFFIX_RE = re.compile(r"\S\s+(?:\||–|—|-)\s+(?P<name>[^|–—]{2,60}?)\s*$")
_FOOTER_RES = (
    # news aktuell / presseportal: "Original-Content von: CGTN, übermittelt durch news aktuell"
    re.compile(r"Original-Content von:\s*(?P<issuer>[^\n,]{2,120}?)\s*,\s*übermittelt (?:durch|von)\s*(?P<distributor>[^\n.]{2,60})"),
    # PR Newswire / Cision: "SOURCE China Global Television Network" on a line of its own
    re.compile(r"^\s*SOURCE\s+(?P<issuer>[^\n]{2,120}?)\s*$", re.MULTILINE),
)
_CREDIT_PART_RE = re.compile(r"\s*(?:/|,|;|\+|\bund\b|\band\b)\s*")


def _field(document, key):
    if isinstance(document, dict):
        return document.get(key)
    return getattr(document, key, None)


def _text(document) -> str:
    text = _field(document, "text")
    return text if isinstance(text, str) else ""


def distributor_label(records: list[dict]) -> str | None:
    """'news aktuell / PR Newswire' for the distributors of a resolution, in the order credited."""
    return " / ".join(r["name"] for r in records) or None


def resolve(document_fields, registry: Registry) -> dict:
    """The outlet behind a document and the service that distributed it.

    `document_fields`: a dict (or Document) with id, title, url, source, dateline, wire_credit,
    text. Returns::

        {"outlet": record | None,
         "how": "url domain" | "feed handle" | "source name" | "release footer" | "headline" | "unknown",
         # a URL only the text gives, of another outlet than the label's, is listed as COPIED_URL
         "evidence": [{"how", "value", "outlet", "role"} ...],   # every clue, agreeing or not
         "conflicts": [names of other outlets some clue pointed to],
         "distributor": "news aktuell / PR Newswire" | None,
         "distributors": [records in the order credited]}

    The outlet comes from the first of URL domain, feed handle, source name, release footer and
    headline self-identification that names a registry outlet that is not a press-release
    distributor. A wire credit in the dateline ('ots/PRNewswire', 'dpa'), a distributor's
    domain in the URL (presseportal.de) and a release footer name the distributor, never the
    outlet. Nothing is guessed: no clue, no outlet.
    """
    evidence: list[dict] = []
    distributors: list[dict] = []

    def add_distributor(record):
        if record is not None and all(record["name"] != d["name"] for d in distributors):
            distributors.append(record)

    def clue(how, value, record, start=None, end=None):
        item = {"how": how, "value": value, "outlet": record["name"] if record else None,
                "role": record["role"] if record else None}
        if start is not None:
            item.update(start=start, end=end)
        evidence.append(item)

    url = _field(document_fields, "url")
    if isinstance(url, str) and url.strip():
        hit = registry.by_url(url)
        if hit:
            record, domain = hit
            clue("url domain", split_url(url)[0], record)
            evidence[-1]["matched"] = domain
            if record["role"] == "press-release distributor":
                add_distributor(record)

    source = _field(document_fields, "source")
    if isinstance(source, str) and source.strip():
        feed = registry.by_feed(source)
        if feed is not None:
            clue("feed handle", source.strip(), feed)
        else:
            record = registry.lookup(source)
            if record is None and "." in source:
                hit = registry.by_url(source)
                record = hit[0] if hit else None
            if record is not None:
                clue("source name", source.strip(), record)
        if evidence and evidence[-1]["how"] in ("feed handle", "source name") \
                and evidence[-1]["role"] == "press-release distributor":
            add_distributor(registry.get(evidence[-1]["outlet"]))

    text = _text(document_fields)
    for pattern in _FOOTER_RES:
        for match in pattern.finditer(text):
            issuer = registry.lookup(match["issuer"].strip())  # an issuer not in the registry stays a clue
            clue("release footer", match["issuer"].strip(), issuer, match.start("issuer"), match.end("issuer"))
            if "distributor" in match.groupdict():
                add_distributor(registry.lookup(match["distributor"].strip()))

    title = _field(document_fields, "title")
    if isinstance(title, str) and title.strip():
        for pattern in (HEADLINE_PREFIX_RE, HEADLINE_SUFFIX_RE):
            match = pattern.search(title)
            if not match:
                continue
            name = match["name"].strip()
            record = _self_identified(name, registry)
            if record is not None:
                clue("headline", name, record)

    credit = _field(document_fields, "wire_credit")
    if isinstance(credit, str) and credit.strip():
        for part in _CREDIT_PART_RE.split(credit.strip(" ()/-–")):
            record = registry.lookup(part) if part else None
            if record is not None:
                add_distributor(record)
                clue("wire credit", part, record)

    if copied_permalink(document_fields, evidence):
        for item in evidence:
            if item["how"] == "url domain":
                item["how"] = COPIED_URL
    outlet, how = None, "unknown"
    for method in ("url domain", "feed handle", "source name", "release footer", "headline"):
        for item in evidence:
            if item["how"] == method and item["outlet"] and item["role"] != "press-release distributor":
                outlet, how = registry.get(item["outlet"]), method
                break
        if outlet is not None:
            break
    distributors = [d for d in distributors if outlet is None or d["name"] != outlet["name"]]
    conflicts = sorted({
        item["outlet"] for item in evidence
        if item["outlet"] and item["how"] != "wire credit" and item["role"] != "press-release distributor"
        and (outlet is None or item["outlet"] != outlet["name"])
        and not _same_family(registry.get(item["outlet"]), outlet)
    })
    return {
        "outlet": outlet,
        "how": how,
        "evidence": evidence,
        "conflicts": conflicts,
        "distributor": distributor_label(distributors),
        "distributors": distributors,
    }


# How `resolve` lists a URL that only the text gives ("Permalink: https://www.faz.net/…") where
# the given source label names another outlet: the page a copier took the text from, no clue to
# the copy's own outlet.
COPIED_URL = "url in the text of another outlet"


def copied_permalink(document_fields, evidence: list[dict]) -> bool:
    """Whether the document's URL was found only in its text and its given source label names
    another outlet: another site's permalink left in a copy. Label and URL agree when the
    registry puts both under one outlet or, failing that, when they share a name ('faz' of
    FAZ_Politik and faz.net)."""
    from .derivation import outlet_words, site_of

    found = _field(document_fields, "found") or {}
    url, source = _field(document_fields, "url"), _field(document_fields, "source")
    if not url or found.get("url") in (None, "given") or found.get("source") != "given" or not source:
        return False
    named = {item["how"]: item["outlet"] for item in evidence}
    by_label = named.get("feed handle") or named.get("source name")
    by_url = named.get("url domain") or named.get(COPIED_URL)
    if by_label and by_url:
        return by_label != by_url
    return not outlet_words(site_of(url), None) & outlet_words(None, source)


def _self_identified(name: str, registry: Registry) -> dict | None:
    """The outlet a headline names in its own voice ('CGTN: …', '… | DW'), if the name is distinctive."""
    if _alias_class(name, registry.countries) != "distinct":
        return None
    candidates = registry.by_alias(name)
    if len(candidates) != 1:
        return None
    tokens = _TOKEN_RE.findall(name)
    for record in candidates:
        for alias in [record["name"], *record["aliases"]]:
            if _key(alias) == _key(name) and _case_ok(_TOKEN_RE.findall(alias), tokens):
                return record
    return None


def _same_family(a: dict | None, b: dict | None) -> bool:
    """Two records of one owner (CGTN and CCTV: China Media Group)."""
    if not a or not b:
        return False
    if a["name"] == b["name"]:
        return True
    owners_a = {_key(o) for o in _owner_names(a.get("owner"))} | {_key(a["name"])}
    owners_b = {_key(o) for o in _owner_names(b.get("owner"))} | {_key(b["name"])}
    return bool(owners_a & owners_b) and bool(a.get("owner") or b.get("owner"))


# --- attribution ---------------------------------------------------------------------------------

_W = r"[\w\-„“\"'’.]+"
# A quoted name's marks lie outside the name's span: 'laut der „Süddeutschen Zeitung“ zufolge'.
_OPEN = r"[„“\"»«‚‘']?"
_CLOSE = r"[“”\"'’»«]?"
_PRE_CUES = [
    # laut (der chinesischen Nachrichtenagentur) Xinhua
    re.compile(rf"\b(?:[Ll]aut|lt\.)\s+(?:{_W}\s+){{0,4}}{_OPEN}$"),
    # wie (der chinesische Staatssender) CGTN … berichtet(e)/verbreitete, as (the) BBC first reported —
    # completed by a verb after
    re.compile(rf"\b(?:[Ww]ie|[Aa]s)\s+(?:{_W}\s+){{0,5}}{_OPEN}$"),
    # berichtet(e) Reuters / meldete die Nachrichtenagentur Xinhua / sagte Neubauer am Mittwoch dem Spiegel
    re.compile(
        rf"\b(?:berichte(?:t|te|ten|n)|melde(?:t|te|ten|n)|schreibt|schrieb|schreiben|verbreite(?:t|te|ten)"
        rf"|zitiert(?:e|en)?|sagte|sagt|erklärte|teilte|bestätigte|reported|reports|told|citing|cited)"
        rf"\s+(?:{_W}\s+){{0,5}}{_OPEN}$"
    ),
    # according to (the) Reuters / per / via / reported by / quoted by
    re.compile(rf"\b(?:[Aa]ccording to|[Vv]ia|[Rr]eported by|[Qq]uoted by|[Ss]ource:?)\s+(?:{_W}\s+){{0,3}}{_OPEN}$"),
    # nach Angaben / Informationen / Berichten (der Nachrichtenagentur) dpa; gegenüber der Welt
    re.compile(rf"\b(?:nach|Nach)\s+(?:Angaben|Informationen|Berichten|Recherchen)\s+(?:{_W}\s+){{0,4}}{_OPEN}$"),
    re.compile(rf"\bgegenüber\s+(?:{_W}\s+){{0,3}}{_OPEN}$"),
    # in einem Bericht/Artikel/Interview (des/der/mit) …
    re.compile(rf"\b(?:in einem|im|in an?)\s+(?:Bericht|Artikel|Beitrag|Interview|report|article|interview)\s+(?:{_W}\s+){{0,3}}{_OPEN}$"),
    # Quelle: / Quellen: / Foto: / Mit Material von
    re.compile(rf"(?:\b(?:Quellen?|Sources?|Text)\s*:|\b[Mm]it Material (?:von|der|des))\s*(?:{_W}[\s/,]+){{0,3}}{_OPEN}$"),
    # in der „Zeit“ / im „Tagesspiegel“ — a credit where the sentence has someone state something
    # there (`_STATED_IN_RE`): 'die Senatorin warb im „Tagesspiegel“ um Geduld', 'hatte der
    # Verbandschef in der „Zeit“ vorgeschlagen'
    re.compile(rf"\b(?:[Ii]n der|[Ii]m)\s+{_OPEN}$"),
]
_STATED_IN = len(_PRE_CUES) - 1
# What makes 'in der „Zeitung“' a credit: words said, written or proposed in its pages.
_STATED_IN_RE = re.compile(
    r"\b(?:sagte|sagt|sagten|erklärte|erklärt|plädierte|plädiert|forderte|fordert|gefordert|warnte|warnt|gewarnt"
    r"|betonte|betont|kritisierte|kritisiert|kündigte|angekündigt|räumte|eingeräumt|bekräftigte|bekräftigt"
    r"|schrieb|schreibt|geschrieben|äußerte|geäußert|verteidigte|bezeichnete|sprach sich|ins Spiel gebracht"
    r"|vorgeschlagen|schlug|warb|wirbt|geworben|zitiert)\b"
)
# sagte die stellvertretende Vorsitzende des Landeselternrats Martina Köhler-Brandt dem RND: words said
# to an outlet, the speaker's title and name between the verb and the outlet's dative, too many
# words for the verb's own cue and no comma between (which would open another clause).
_SAID_TO_RE = re.compile(
    rf"\b(?:sagte|sagt|sagten|erklärte|erklärt|betonte|bekräftigte|kritisierte|forderte|warnte|räumte|kündigte)"
    rf"\s+(?:[^\s,;:.!?()]+\s+){{5,10}}(?:dem|den\s+Zeitungen\s+(?:des|der))\s+{_OPEN}$"
)
# 'Foto: dpa', 'Bild: Reuters', '© AFP': a picture credit says nothing about where the text comes from.
_PICTURE_CREDIT_RE = re.compile(
    r"(?:\b(?:Fotos?|Bild|Bilder|Photos?|Image|Grafik|Video|Picture)\s*:|©|\(c\)|Copyright)\s*(?:[\w.\-]+\s*[/,]\s*|[\w.\-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Platforms carry what others post: 'schrieb auf Twitter' credits the poster, not an outlet.
PLATFORMS = frozenset(
    "twitter x facebook youtube instagram tiktok reddit telegram whatsapp linkedin google google maps google news "
    "wikipedia wikileaks rss medium substack vk weibo wechat douyin snapchat pinterest twitch spotify clubhouse "
    "mastodon threads bluesky".split(" ")
) | {"google maps", "google news"}
_POST_VERB_RE = re.compile(
    r"^[^.!?\n]{0,60}?\b(?:berichte(?:t|te|ten|n)|melde(?:t|te|ten|n)|verbreite(?:t|te|ten)|schreibt|schrieb"
    r"|mitteilt|mitteilte|zitiert(?:e|en)?|veröffentlicht(?:e|en)?|unter Berufung auf \w+|reported|reports|wrote|writes)\b"
)
_POST_CUES = [
    re.compile(rf"^{_CLOSE}\s+zufolge\b"),
    re.compile(rf"^{_CLOSE}\s+(?:berichte(?:t|te|ten)|melde(?:t|te|ten)|schreibt|schrieb|verbreite(?:t|te)|zitiert(?:e)?"
               r"|reported|reports|wrote|writes|said|says|quoted)\b"),
    re.compile(rf"^{_CLOSE}-(?:Meldung|Bericht|Berichten|Angaben|Informationen|Korrespondent\w*|Interview|Quellen|Recherchen?)\b"),
    # the perfect tense, a few words on: 'Zuerst hatte die „Bild“-Zeitung darüber berichtet'
    re.compile(r"^[“”\"'’»«]?(?:-\w+)?(?:\s*\([^()\n]{1,30}\))?(?:\s+(?!(?:und|oder|aber|nicht|nie|kein\w*)\b)[\w„“\"'’»«\-]+){0,8}?"
               r"\s+(?:berichtet|gemeldet|geschrieben|enthüllt|veröffentlicht|verbreitet)\b"),
]
_PAREN_PRE_RE = re.compile(r"\(\s*(?:[\w.\-]+\s*/\s*)*$")
_PAREN_POST_RE = re.compile(r"^\s*(?:/\s*[\w.\-]+\s*)*\)")
# 'die Jurorin Erika Beispiel („Der Spiegel“)', 'Moderator Max Muster (ZDF)': an outlet in brackets
# after a person's name says where that person works, not where the text has its story from.
# The name: two capitalised words (a particle allowed between) not led by an article, which
# would make them an outlet's long name ('der Süddeutschen Zeitung (SZ)'); a dateline ('Bad
# Homburg (dpa) –') goes on with a dash.
_PERSON_BEFORE_RE = re.compile(
    r"(?:(?P<before>[\w’'-]+)\s+)?(?P<name>[A-ZÄÖÜ][\w’'-]+(?:\s+(?:(?:von|van|de|di|da|del|zu|ten|la|le)\s+)?[A-ZÄÖÜ][\w’'-]+))\s*$"
)
_NOT_A_PERSON_BEFORE = frozenset(
    "der die das dem den des ein eine einer eines einem im vom zum zur beim the a an of".split()
)
_INSTITUTION_WORD_RE = re.compile(
    r"(?i)zeitung|presse|press\b|agentur|agence|netzwerk|rundschau|allgemein|nachrichten|rundfunk|fernsehen|radio"
    r"|post\b|times|news|magazin|sonntag|blatt|kurier|anzeiger|journal|tribune|herald|telegraph|verlag|funk|medi"
)
_DATELINE_AFTER_RE = re.compile(r"^\s*[-–—:]")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s+(?=[A-ZÄÖÜ„\"])|\n\s*\n")
WINDOW = 160  # characters looked at around a name for a credit phrase
CREDIT_SLACK = 20  # characters between reused text and a credit phrase that still credits it ('…“, berichtete Reuters')

STATE_MARKER_RE = re.compile(
    r"(?i)\b(?:staats\w*|staatlich\w*|regierungs\w*|state[- ](?:run|owned|controlled|media|broadcaster|funded|backed|news)"
    r"|government[- ](?:run|owned|controlled)|kommunistische\w* partei|communist party|parteizeitung|propaganda\w*"
    r"|kreml\w*|kremlin[- ]\w+)"
)
RELEASE_MARKER_RE = re.compile(
    r"(?i)\b(?:pressemitteilung\w*|pressemeldung\w*|presseaussendung\w*|press release\w*|news release|mitteilung"
    r"|promotion|anzeige|advertorial|sponsored|gesponsert\w*|paid content)\b"
)


def _sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    before = [m.end() for m in _SENTENCE_BREAK_RE.finditer(text, lo, start + 1)]  # its lookahead may see text[start]
    after = _SENTENCE_BREAK_RE.search(text, end, hi)
    return (before[-1] if before else lo), (after.start() + 1 if after else hi)


def credit_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The credit phrase around a name at text[start:end] ('wie der … Sender CGTN verbreitete',
    'laut Reuters', '(dpa)', 'Reuters zufolge'), or None when the name stands outside one."""
    if 0 < start and end < len(text) and text[start - 1] in _OPENING_MARKS and text[end] in _CLOSING_MARKS.get(text[start - 1], ""):
        start, end = start - 1, end + 1  # the name's quotation marks belong to the phrase
    lo, hi = _sentence_window(text, start, end)
    pre, post = text[lo:start], text[end:hi]
    spans = []
    paren_pre, paren_post = _PAREN_PRE_RE.search(pre), _PAREN_POST_RE.match(post)
    if paren_pre and paren_post and not _affiliation(pre[:paren_pre.start()], post[paren_post.end():]):
        spans.append((lo + paren_pre.start(), end + paren_post.end()))
    for i, pattern in enumerate(_PRE_CUES):
        match = pattern.search(pre)
        if not match:
            continue
        if i == 1:  # "wie …" needs its verb after the name
            verb = _POST_VERB_RE.match(post)
            if verb:
                spans.append((lo + match.start(), end + verb.end()))
            continue
        if i == _STATED_IN and not _STATED_IN_RE.search(pre + post):
            continue
        separable = re.match(r"[Tt]eilte?\b", pre[match.start():]) and re.match(r"^\s+mit\b", post)
        spans.append((lo + match.start(), end + (separable.end() if separable else 0)))
    for pattern in _POST_CUES:
        match = pattern.match(post)
        if match:
            spans.append((start, end + match.end()))
    if not spans:
        said = _SAID_TO_RE.search(pre)
        if said:
            spans.append((lo + said.start(), end))
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _affiliation(before: str, after: str) -> bool:
    """Whether an outlet in brackets follows a person's name (`_PERSON_BEFORE_RE`)."""
    person = _PERSON_BEFORE_RE.search(before)
    return bool(
        person and not _DATELINE_AFTER_RE.match(after)
        and (person["before"] or "").casefold() not in _NOT_A_PERSON_BEFORE
        and not _INSTITUTION_WORD_RE.search(person["name"])
    )


def _mentions(text: str, pattern: str, flags=0):
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def _domain_pattern(domain: str) -> str:
    host, _, path = domain.partition("/")
    return (
        r"(?<![\w.@-])(?:https?://)?(?:[\w-]+\.)*" + re.escape(host)
        + (r"/" + re.escape(path) if path else "") + r"(?![\w-])(?:/[^\s)\]>\"'»“”]*)?"
    )


TITLE_LABEL_WORDS = 3   # an outlet or rubric before a headline's colon ('CGTN', 'Exklusiv', 'Corona-Liveblog')
RUBRICS = frozenset(
    "exklusiv exclusive eilmeldung breaking liveblog live newsblog ticker kommentar meinung analyse "
    "interview leitartikel kolumne hintergrund faktencheck update video podcast".split()
)


def _title_credits(text: str, title, registry: Registry | None = None) -> list[tuple[int, int]]:
    """The source's headline quoted in the text („…“, "…", «…»), or after 'unter dem Titel' / 'headlined'."""
    if not isinstance(title, str):
        return []
    titles = [title]
    prefix = HEADLINE_PREFIX_RE.match(title)
    if prefix and _is_label(prefix.group("name"), registry):
        # 'CGTN: China und …' is quoted as 'China und …'. After a speaker ('Steinmeier: Das ist …')
        # or a speaker's clause ('Die Ministerin räumt in der Sitzung ein: Wir haben …') the rest is
        # that speaker's words, and quoting them credits the speaker, not the page.
        titles.append(title[prefix.end() - 1:])
    out = []
    for candidate in titles:
        words = _TOKEN_RE.findall(candidate)
        if len(words) >= 4:
            out += _quoted(text, r"\W+".join(re.escape(w) for w in words))
    return out


_OPEN_QUOTE_RE = re.compile(r"([„“\"«»‚‘'])\s*$")
_CLOSE_QUOTE_RE = re.compile(r"[.,!?;:]?\s*([“”\"«»‘’'])")
_TITLE_CUE_RE = re.compile(r"(?i)(?:unter dem Titel|mit dem Titel|Überschrift|headlined|titled|entitled)\s*:?\s*$")


def _is_label(name: str, registry: Registry | None) -> bool:
    """An outlet's name or a rubric ('Exklusiv', 'Corona-Liveblog'), of three words at most."""
    words = _TOKEN_RE.findall(name)
    if not words or len(words) > TITLE_LABEL_WORDS:
        return False
    if any(part in RUBRICS for word in words for part in word.casefold().split("-")):
        return True
    return registry is not None and registry.lookup(name) is not None


def _quoted(text: str, pattern: str) -> list[tuple[int, int]]:
    """Spans of `pattern` in quotation marks, with the marks, or right after a title cue, with the cue."""
    out = []
    for match in re.finditer(pattern, text, re.IGNORECASE):
        before = text[max(0, match.start() - 30):match.start()]
        opening = _OPEN_QUOTE_RE.search(before)
        closing = _CLOSE_QUOTE_RE.match(text, match.end())
        if opening and closing:
            out.append((match.start() - len(before) + opening.start(1), closing.end(1)))
            continue
        cue = _TITLE_CUE_RE.search(before)
        if cue:
            out.append((match.start() - len(before) + cue.start(), match.end()))
    return out


def _source_family(resolution: dict | None) -> list[dict]:
    if not resolution:
        return []
    family = [resolution["outlet"]] if resolution.get("outlet") else []
    return family + list(resolution.get("distributors") or [])


def attribution(derivative_fields, source_fields, source_resolution, registry: Registry,
                *, passages=None, derivative_resolution=None) -> dict:
    """Does the derivative credit where its reused content comes from?

    Credits that count: the source's outlet (name, alias or owner), its distributor or wire
    (ots, PR Newswire, dpa), the source URL or one of its outlet's domains, the source's title
    quoted, the source's author (two words or more). Everyday-word names (Welt, Spiegel) and
    owners count only inside a credit phrase. Returns::

        {"attributed": bool,
         "credits": [{"text", "start", "end"}],            # offsets into the derivative's text
         "names_wrong_outlet": bool,
         "wrong_credits": [{"text", "start", "end", "outlet"}]}

    `names_wrong_outlet`: the derivative credits another outlet in a credit phrase ('berichtet
    Reuters' while the source is CGTN) — an outlet that is neither the source's, its owner's,
    its distributor's nor the derivative's own, and that the source does not itself mention.
    With `passages` (the derivation's, with derivative_start/derivative_end) such a credit
    counts only near reused text; without, only when no correct credit is found. A text of the
    source's own outlet is attributed whatever it names.
    """
    text = _text(derivative_fields)
    source_text = _text(source_fields)
    source_resolution = source_resolution if source_resolution is not None else resolve(source_fields, registry)
    if derivative_resolution is None:
        derivative_resolution = resolve(derivative_fields, registry)
    family = _source_family(source_resolution)
    family_names = {r["name"] for r in family}
    own = derivative_resolution.get("outlet") if derivative_resolution else None

    spans: list[tuple[int, int]] = []
    wrong: list[dict] = []
    outlet = source_resolution.get("outlet") if source_resolution else None
    for start, end, aliases, credit, names in _outlet_mentions(text, registry):
        relevant = [
            a for a in aliases
            if (a.kind != "owner" and a.record in family_names)
            or (a.kind == "owner" and outlet is not None and a.record == outlet["name"])
        ]
        if relevant:
            # A publisher is news itself (Burda in a mask deal): its name credits only in a credit phrase.
            if credit or not all(a.common or a.kind == "owner" for a in relevant):
                spans.append(credit or (start, end))
            continue
        if credit is None or not names:
            continue
        others = [registry.get(n) for n in sorted(names)]
        if own is not None and any(r["name"] == own["name"] or _same_family(r, own) for r in others):
            continue
        if outlet is not None and any(_same_family(r, outlet) for r in others):
            continue  # a sister outlet of the source's (CCTV for CGTN): neither credit nor wrong
        if source_text and (names & named_outlets(source_text, registry) or any(_mentioned(source_text, a.text) for a in aliases)):
            continue  # the source itself names this outlet (in any form): reused content, not a credit
        wrong.append({"text": text[credit[0]:credit[1]], "start": credit[0], "end": credit[1],
                      "outlet": sorted(names)[0], "names": names})

    domains = set()
    for record in family:
        domains.update(record["domains"])
    source_url = _field(source_fields, "url")
    source_domain = normalise_domain(source_url) if isinstance(source_url, str) else None
    if source_domain:
        domains.add(source_domain.partition("/")[0])
    for domain in sorted(domains):
        for start, end in _mentions(text, _domain_pattern(domain), re.IGNORECASE):
            spans.append(credit_span(text, start, end) or (start, end))
    spans += _title_credits(text, _field(source_fields, "title"), registry)
    author = _field(source_fields, "author")
    if isinstance(author, str) and len(_TOKEN_RE.findall(author)) >= 2:
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in _TOKEN_RE.findall(author)) + r"(?!\w)"
        for start, end in _mentions(text, pattern):
            spans.append(credit_span(text, start, end) or (start, end))

    from .terms import union_spans

    credits = [{"text": text[s:e], "start": s, "end": e} for s, e in union_spans(spans)]
    # 'Wie der „Spiegel“ und die „Bild“-Zeitung übereinstimmend melden': one credit phrase for
    # both, the source's outlet among them; the other outlet is credited beside it, not instead.
    wrong = [w for w in wrong if not any(c["start"] < w["end"] and w["start"] < c["end"] for c in credits)]
    if passages:
        # Beside a credit to the source, another outlet's credit is wrong only inside the reused
        # text itself: a sentence away it credits another fact ('nach ARD-Angaben', of a programme).
        reach = CREDIT_SLACK if credits else WINDOW * 2
        near = [(p["derivative_start"] - reach, p["derivative_end"] + reach) for p in passages
                if isinstance(p, dict) and "derivative_start" in p]
        wrong = [w for w in wrong if any(a <= w["end"] and w["start"] <= b for a, b in near)]
    elif credits:
        wrong = []
    if credits:
        # Its own agency's sign-off ('Quelle: ntv.de, hny/AFP') beside a credit to the source is
        # the chain told honestly (the agency relayed the source's report); without one, crediting
        # the agency for the source's content is the wrong credit it looks like.
        agencies = named_outlets(_field(derivative_fields, "wire_credit"), registry)
        wrong = [w for w in wrong if not w["names"] <= agencies]
    for w in wrong:
        del w["names"]
    if own is not None and outlet is not None and own["name"] == outlet["name"]:
        # An outlet reusing its own text (an update, a follow-up) owes no one a credit, and one
        # to another outlet for what it adds ('wie CNN berichtet') is no wrong credit.
        return {"attributed": True, "credits": credits, "names_wrong_outlet": False, "wrong_credits": []}
    return {
        "attributed": bool(credits),
        "credits": credits,
        "names_wrong_outlet": bool(wrong),
        "wrong_credits": wrong,
    }


def _outlet_mentions(text: str, registry: Registry):
    """Each outlet name in a text, picture credits left out: (start, end, aliases, the credit
    phrase around it or None, the outlets it may name — owners and platforms left out)."""
    for start, end, aliases in registry.matcher().find(text):
        if _PICTURE_CREDIT_RE.search(text[max(0, start - 40):start]):
            continue
        names = {a.record for a in aliases if a.kind != "owner" and _key(a.record) not in PLATFORMS}
        yield start, end, aliases, credit_span(text, start, end), names


def named_outlets(text, registry: Registry) -> set[str]:
    """The registry outlets a text names anywhere, in any of their forms ('der Frankfurter
    Allgemeinen', 'F.A.Z.'), owners left out; for a wire credit ('dpa/Reuters'), its agencies."""
    if not isinstance(text, str) or not text.strip():
        return set()
    return {a.record for _, _, aliases in registry.matcher().find(text) for a in aliases if a.kind != "owner"}


def credited_outlets(document_fields, registry: Registry, resolution: dict | None = None) -> frozenset[str]:
    """The outlets a text names as its source inside a credit phrase ('wie die "Bild"-Zeitung
    berichtet', 'laut Reuters'): registry names, the text's own outlet and its family left out.
    Two texts that credit the same absent outlet picked up one report (`pipeline.outlet_evidence`)."""
    return outlets_credited_in(credit_phrases(document_fields, registry, resolution))


def outlets_credited_in(phrases: Iterable) -> frozenset[str]:
    """The outlets named in these credit phrases (`credit_phrases`)."""
    return frozenset(name for credit in phrases for name in credit.names)


# A credit for a story the outlet reported ('wie die „Bild“ berichtet', 'laut „Spiegel“', 'hatte
# zuerst das RND gemeldet'), as against words said to it ('sagte Merz der „Bild“'), which credit
# one interview the outlet may tell in another article than the one at hand.
_REPORTED_RE = re.compile(
    r"\b(?:berichte\w*|gemeldet|melde\w*|schreib\w*|schrieb\w*|geschrieben|zufolge|[Ll]aut|lt\.|enthüllt\w*"
    r"|veröffentlicht\w*|verbreite\w*|reported|reports|according to|Berichten|Informationen|Recherchen?)\b"
    r"|-(?:Bericht\w*|Informationen|Recherchen?|Meldung)\b"
)
# 'NDR, WDR und „SZ“ hatten berichtet': in the perfect tense, without 'zuerst' or 'zuvor', a
# credit recalls earlier reporting (background), not where this text has its story from.
_PERFECT_RE = re.compile(r"\b(?:hatte|hatten|hat|haben|habe|had|has|have)\b")
_FIRST_RE = re.compile(r"(?i)\b(?:zuerst|zuvor|zunächst|vorab|erstmals|als erste[snr]?|first|earlier)\b")
_SAID_RE = re.compile(r"(?i)\b(?:sagte?n?|gesagt|erklärte?n?|told|said|says|gegenüber|interview\w*|gespräch\w*)\b")
_WEEKDAYS = {day: n for n, days in enumerate(zip(
    "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
)) for day in days} | {"Sonnabend": 5}
_WEEKDAY_RE = re.compile(
    r"\b(?:am|vom|on|\(|/)\s*(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?:abend|morgen|nachmittag|vormittag|mittag)?\b"
)
_EXPANSION_RE = re.compile(r"\s*\(\s*")
_WEEKDAY_REACH = 30  # characters after a credit phrase where 'am Dienstag' still dates it
# 'berichteten vergangene Woche', 'hatte bereits im Dezember berichtet': another, earlier report
# of the outlet, recalled as background (looked for in the credit's clause: `_clause_around`).
_MONTHS = "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember".split()
_EARLIER_RE = re.compile(
    r"\b(?:(?:vergangene|letzte)[nrs]?\s+(?:Woche|Wochenende|Monat|Jahr|Jahres|Herbst|Sommer|Winter|Frühjahr)"
    r"|vor\s+(?:einer|einem|zwei|drei|vier|fünf|wenigen|einigen|mehreren|\d+)\s+(?:Tag|Tagen|Woche|Wochen|Monat|Monaten|Jahr|Jahren)"
    r"|(?:Anfang|Mitte|Ende)\s+(?:der|des|letzter|vergangener)?\s*(?:Woche|Monats|Jahres|" + "|".join(_MONTHS) + r")"
    r"|im\s+(?:" + "|".join(_MONTHS) + r"|Frühjahr|Sommer|Herbst|Winter)"
    r"|vor\s+kurzem|kürzlich|(?:last|earlier\s+this)\s+(?:week|month|year)|in\s+(?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December))\b"
)
_EARLIER_REACH = 40
# 'berichtet der „Spiegel“ unter Berufung auf AFP': the outlet relays another outlet's report
# (an outlet named within _RELAY_REACH characters on; 'unter Berufung auf Ermittler' is its own).
_RELAYED_RE = re.compile(r"\b(?:unter|mit)\s+(?:Berufung|Bezug|Verweis)\s+auf\b|\bciting\b")
_RELAY_REACH = 60


class CreditPhrase(NamedTuple):
    """A credit phrase naming other outlets (`credit_phrases`)."""

    start: int
    end: int
    names: frozenset[str]        # registry outlets it may name
    reported: bool               # a story the outlet reported, not words said to it
    weekday: int | None          # the weekday it gives (0 = Monday)
    first: bool                  # it says the outlet had the story first ('Zuerst hatte …')


def credit_phrases(document_fields, registry: Registry, resolution: dict | None = None) -> tuple[CreditPhrase, ...]:
    """Each credit phrase of a text that names other outlets ('sagte Krüger dem Redaktionsnetzwerk
    Deutschland', 'told the BBC'), the text's own outlet and its family left out. Words the
    text quotes beside such a phrase were said to that outlet, which is where the text has them
    from (`derivation.evidence`)."""
    text = _text(document_fields)
    if not text:
        return ()
    own = (resolution if resolution is not None else resolve(document_fields, registry)).get("outlet")
    found = []
    previous: tuple[int, set[str], int | None] | None = None  # a name's end, its outlets, its credit in `found`
    mentions = list(_outlet_mentions(text, registry))
    for start, end, _, credit, names in mentions:
        # 'Initiative Neue Soziale Marktwirtschaft (INSM)': the name's abbreviation in brackets
        # is no credit of its own, as '(dpa)' is; the name before it is credited or not.
        expansion = previous is not None and names & previous[1] and _EXPANSION_RE.fullmatch(text, previous[0], start)
        if expansion and credit is not None and previous[2] is not None:
            kept = found[previous[2]]  # the brackets belong to the credited name
            found[previous[2]] = kept._replace(end=max(kept.end, credit[1]))
        elif expansion and credit is not None:
            # 'sagte der Ministerpräsident von Niedersachsen dem Redaktionsnetzwerk Deutschland (RND)':
            # a verb too far before the name for its cue still makes the sentence a credit.
            lo, _ = _sentence_window(text, start, end)
            expansion = not (_REPORTED_RE.search(text, lo, start) or _SAID_RE.search(text, lo, start))
        previous = (end, names, None)
        if credit is None or expansion:
            continue
        records = [registry.get(name) for name in names]
        named = frozenset(
            record["name"] for record in records
            if own is None or not (record["name"] == own["name"] or _same_family(record, own))
        )
        if named:
            phrase = text[credit[0]:credit[1]]
            sentence = text[slice(*_sentence_window(text, credit[0], credit[1]))]
            first = bool(_FIRST_RE.search(sentence))
            reported = bool(_REPORTED_RE.search(phrase)) and not _SAID_RE.search(phrase)
            clause = _clause_around(text, credit)
            reported = reported and (first or not _PERFECT_RE.search(clause))
            reported = reported and not _EARLIER_RE.search(clause) and not _relays(text, credit, end, mentions)
            found.append(CreditPhrase(credit[0], credit[1], named, reported, _credit_weekday(text, credit, end), first and reported))
            previous = (end, names, len(found) - 1)
    return tuple(found)


def _credit_weekday(text: str, credit: tuple[int, int], name_end: int) -> int | None:
    """The weekday a credit phrase dates its report to ('hatte die FAZ am Donnerstagabend
    berichtet'), or None. 'am Sonntag' inside the name is the name's own ('der „Welt am
    Sonntag“', 'der Bild am Sonntag'), whose interviews are online the day before."""
    for weekday in _WEEKDAY_RE.finditer(text, credit[0], min(len(text), credit[1] + _WEEKDAY_REACH)):
        if weekday.start() < name_end:
            continue
        return _WEEKDAYS[weekday.group(1)]
    return None


def _relays(text: str, credit: tuple[int, int], name_end: int, mentions: list) -> bool:
    """Whether the outlet a credit phrase names relays another outlet's report ('wie der „Spiegel“
    unter Berufung auf AFP berichtet', 'berichtete CNN am Montag unter Berufung auf die BBC')."""
    stop = _SENTENCE_BREAK_RE.search(text, name_end, credit[1] + _RELAY_REACH)
    for relay in _RELAYED_RE.finditer(text, credit[0], stop.start() if stop else credit[1] + _RELAY_REACH):
        if any(relay.end() <= start <= relay.end() + _RELAY_REACH for start, *_ in mentions):
            return True
    return False


def _clause_around(text: str, credit: tuple[int, int]) -> str:
    """A credit phrase with the rest of its clause, _EARLIER_REACH characters before it and
    _WEEKDAY_REACH after it at most: where its own time words stand ('berichteten vergangene
    Woche, dass …'), and not the story's ('Wie der „Spiegel“ berichtet, zieht die Firma im Mai um')."""
    before = text[max(0, credit[0] - _EARLIER_REACH):credit[0]]
    after = text[credit[1]:credit[1] + _WEEKDAY_REACH]
    before = re.split(r"[,;:.!?]\s", before)[-1]
    after = re.split(r"[,;:.!?](?:\s|$)", after)[0]
    return before + text[credit[0]:credit[1]] + after


def _mentioned(text: str, name: str) -> bool:
    pattern = r"(?<!\w)" + r"\W{1,3}".join(re.escape(t) for t in _TOKEN_RE.findall(name)) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def contract_attribution(result: dict) -> dict:
    """The contract's `attribution` object {credits, names_wrong_outlet} from `attribution()`."""
    return {"credits": result["credits"], "names_wrong_outlet": result["names_wrong_outlet"]}


# --- signals and score ---------------------------------------------------------------------------

PENALTY = {"high": 25, "medium": 12, "low": 5, "info": 0}
LOW_CREDIBILITY = {
    "CRED-1": {"fake": "medium", "unreliable": "medium", "conspiracy": "medium", "mixed": "low",
               "rumor": "low", "satire": "low"},
    "Wikipedia perennial sources": {"deprecated": "medium", "blacklisted": "medium", "generally unreliable": "low"},
}
PARAPHRASE_MIN_COVERAGE = 0.5   # most of the derivative comes from the source …
PARAPHRASE_MAX_VERBATIM = 0.2   # … in other words
DEBRIS_REASONS = ("ui-text", "section-label")


def _signal(name, severity, explanation, evidence) -> dict:
    return {"name": name, "severity": severity, "evidence": evidence, "explanation": explanation}


def _seg(segment, key):
    return segment.get(key) if isinstance(segment, dict) else getattr(segment, key, None)


def _percent(value) -> str:
    return f"{round(100 * value)} %" if isinstance(value, (int, float)) else "part"


def _outlet_phrase(record: dict) -> str:
    country = f" ({record['country']})" if record.get("country") else ""
    return f"{record['name']}{country}"


def _debris(document) -> list[dict]:
    segments = _field(document, "segments")
    if segments is None:
        from .segment import segment as split

        segments = split(_text(document), _field(document, "language") or "de")
    out = []
    for s in segments or []:
        if _seg(s, "kind") == "debris" and _seg(s, "reason") in DEBRIS_REASONS:
            out.append({"text": _seg(s, "text"), "start": _seg(s, "start"), "end": _seg(s, "end")})
    return out


def signals(document, resolution: dict, derivations_involving_it, registry: Registry, *,
            resolutions: dict | None = None, origins=None, claims=None) -> list[dict]:
    """Why a reader should be careful with `document`, most serious first.

    `derivations_involving_it`: derivation dicts (derivative, source, relation, coverage,
    verbatim_share, attributed, attribution …) where the document is either side.
    `resolutions`: {document id: resolve() result} for the other documents (sources and
    origins); without it, reuse is still reported but not what the source was.
    `origins`: ids of the document's earliest origins (report `origins[id]`), to catch state
    media laundered through an intermediate rewrite. `claims`: this document's claims
    (status `drifted`/`unsupported`), when claims were extracted.

    Each signal is {name, severity: info|low|medium|high, evidence: [...], explanation}. Names:
    state_media, press_release, low_credibility_rating, unknown_outlet, unattributed_reuse,
    names_wrong_outlet, state_media_origin_undisclosed, state_media_origin_unflagged,
    press_release_as_news, paraphrased_reuse, drifted_claims, unsupported_claims,
    scrape_debris, missing_date, missing_byline, reused_by.
    """
    doc_id = _field(document, "id")
    text = _text(document)
    outlet = resolution.get("outlet") if resolution else None
    distributors = resolution.get("distributors") or [] if resolution else []
    resolutions = resolutions or {}
    out: list[dict] = []

    # Who published it.
    if outlet is None:
        out.append(_signal(
            "unknown_outlet", "low",
            "The publisher could not be identified from the URL, feed, source name or headline.",
            [{"field": k, "value": _field(document, k)} for k in ("url", "source") if _field(document, k)],
        ))
    else:
        affiliation = outlet.get("state_affiliation")
        severity = {"state-controlled": "medium", "state-captured": "low", "state-funded independent": "info"}.get(affiliation)
        if severity:
            typology = f", typology {outlet['typology']}" if outlet.get("typology") else ""
            out.append(_signal(
                "state_media", severity,
                f"{_outlet_phrase(outlet)} is {affiliation} media (ASD State Media Profiles{typology}).",
                [{"outlet": outlet["name"], "state_affiliation": affiliation, "how": resolution.get("how")}],
            ))
        flagged = _low_ratings(outlet, _field(document, "url"))
        if flagged:
            severity = max((s for _, s in flagged), key=SEVERITIES.index)
            listing = "; ".join(f"{r['source']}: {r['value']}" + (f" ({r['domain']})" if r.get("domain") else "") for r, _ in flagged)
            out.append(_signal(
                "low_credibility_rating", severity,
                f"{outlet['name']} is rated low-credibility by third parties ({listing}).",
                [dict(r) for r, _ in flagged],
            ))

    release_distributors = [d for d in distributors if d["role"] == "press-release distributor"]
    if release_distributors or (outlet and outlet["role"] == "organisation"):
        via = distributor_label(release_distributors)
        sentence = (
            f"This is a paid press release distributed via {via}, not independent reporting." if via
            else f"This text is published by {outlet['name']}, an organisation, not a news outlet."
        )
        out.append(_signal("press_release", "low", sentence,
                           [{"field": "wire_credit", "value": _field(document, "wire_credit")}] if via else
                           [{"outlet": outlet["name"], "role": outlet["role"]}]))

    # What it took from others.
    own_derivations = [d for d in derivations_involving_it or [] if d.get("derivative") == doc_id]
    for d in sorted(own_derivations, key=lambda d: str(d.get("source"))):
        out += _derivation_signals(d, text, resolutions.get(d.get("source")), registry)
    for origin in sorted(set(origins or ()) - {d.get("source") for d in own_derivations} - {doc_id}):
        origin_resolution = resolutions.get(origin)
        origin_outlet = origin_resolution.get("outlet") if origin_resolution else None
        if origin_outlet and origin_outlet.get("state_affiliation") in ("state-controlled", "state-captured"):
            if not _names_outlet(text, origin_outlet, registry):
                out.append(_signal(
                    "state_media_origin_undisclosed",
                    "high" if origin_outlet["state_affiliation"] == "state-controlled" else "medium",
                    f"Through intermediate copies this text goes back to {origin} by {_outlet_phrase(origin_outlet)}, "
                    f"{origin_outlet['state_affiliation']} media, and it does not say so.",
                    [{"document": origin, "outlet": origin_outlet["name"]}],
                ))

    reused = [d for d in derivations_involving_it or [] if d.get("source") == doc_id]
    if reused:
        unattributed = [d["derivative"] for d in reused if d.get("attributed") is False]
        out.append(_signal(
            "reused_by", "info",
            f"{len(reused)} document(s) reuse this text" + (f", {len(unattributed)} without naming it." if unattributed else "."),
            [{"document": d.get("derivative"), "relation": d.get("relation"), "attributed": d.get("attributed")}
             for d in sorted(reused, key=lambda d: str(d.get("derivative")))],
        ))

    # Claims, when extracted.
    claims = [c for c in claims or [] if c.get("document") in (None, doc_id)]
    drifted = [c for c in claims if c.get("status") == "drifted"]
    if drifted:
        out.append(_signal(
            "drifted_claims", "high" if len(drifted) >= 3 else "medium",
            f"{len(drifted)} claim(s) differ from the source they were taken from (changed numbers, places, names or quotes).",
            [{"claim": c.get("id"), "text": c.get("text"), "start": c.get("start"), "end": c.get("end"),
              "drift": c.get("drift")} for c in drifted],
        ))
    unsupported = [c for c in claims if c.get("status") == "unsupported"]
    if claims and own_derivations and len(unsupported) / len(claims) >= 0.5:
        out.append(_signal(
            "unsupported_claims", "low",
            f"{len(unsupported)} of {len(claims)} claims have no counterpart in the source: added text of unknown origin.",
            [{"claim": c.get("id"), "start": c.get("start"), "end": c.get("end")} for c in unsupported],
        ))

    # How it was put together.
    debris = _debris(document)
    if debris:
        out.append(_signal(
            "scrape_debris", "low",
            "Page furniture copied along with the text (" + ", ".join(f"'{d['text']}'" for d in debris[:3])
            + ") suggests it was scraped from another site.",
            debris,
        ))
    if not _field(document, "date"):
        out.append(_signal("missing_date", "low", "The text carries no publication date.", [{"field": "date"}]))
    if not _field(document, "author"):
        out.append(_signal("missing_byline", "info", "No author is named.", [{"field": "author"}]))
    return sorted(out, key=lambda s: (-SEVERITIES.index(s["severity"]), s["name"], s["explanation"]))


def rating_applies(rating: dict, url) -> bool:
    """A rating of a section ('newyorker.com/humor') applies only to URLs in that section."""
    scope = normalise_domain(rating.get("domain")) if rating.get("domain") else None
    if not scope or "/" not in scope:
        return True
    parts = split_url(url) if isinstance(url, str) else None
    if parts is None:
        return False
    host, path = parts
    scope_host, _, scope_path = scope.partition("/")
    return (host == scope_host or host.endswith("." + scope_host)) and (path + "/").startswith(scope_path + "/")


def low_rated(record: dict, url=None) -> bool:
    """Whether a rating in the registry flags the outlet (fake, unreliable, conspiracy, satire …)."""
    return bool(_low_ratings(record, url))


def _low_ratings(record: dict, url=None) -> list[tuple[dict, str]]:
    flagged = []
    for rating in record.get("ratings") or []:
        if not rating_applies(rating, url):
            continue
        table = next((t for prefix, t in LOW_CREDIBILITY.items() if str(rating.get("source", "")).startswith(prefix)), None)
        if table is None:
            continue
        value = str(rating.get("value", "")).lower()
        severity = next((s for key, s in table.items() if value.startswith(key)), None)
        if severity:
            flagged.append((rating, severity))
    return flagged


def _names_outlet(text: str, record: dict, registry: Registry) -> bool:
    for start, end, aliases in registry.matcher().find(text):
        if any(a.record == record["name"] for a in aliases):
            if credit_span(text, start, end) or not all(a.common for a in aliases):
                return True
    return any(_mentions(text, _domain_pattern(d), re.IGNORECASE) for d in record["domains"])


def _derivation_signals(d: dict, text: str, source_resolution: dict | None, registry: Registry) -> list[dict]:
    out = []
    source = d.get("source")
    relation = d.get("relation")
    coverage = d.get("coverage")
    attributed = d.get("attributed")
    details = d.get("attribution") or {}
    source_outlet = source_resolution.get("outlet") if source_resolution else None
    source_distributors = source_resolution.get("distributors") or [] if source_resolution else []
    evidence = [{"document": source, "relation": relation, "coverage": coverage}]
    whose = f" ({source_outlet['name']})" if source_outlet else ""

    if attributed is False:
        out.append(_signal(
            "unattributed_reuse", "high" if relation in ("copy", "paraphrase") else "medium",
            f"{_percent(coverage).capitalize()} of this text comes from {source}{whose} ({relation}), "
            "and it names neither the source nor its outlet.",
            evidence,
        ))
    if details.get("names_wrong_outlet"):
        wrong = details.get("wrong_credits") or []  # absent when only the contract's object was kept
        named = ", ".join(sorted({w.get("outlet") or w.get("text") for w in wrong})) or "another outlet"
        out.append(_signal(
            "names_wrong_outlet", "high",
            f"The text credits {named} for material that comes from {source}{whose}.",
            [{"text": w.get("text"), "start": w.get("start"), "end": w.get("end")} for w in wrong] or evidence,
        ))

    if source_outlet and source_outlet.get("state_affiliation") in ("state-controlled", "state-captured"):
        affiliation = source_outlet["state_affiliation"]
        credits = details.get("credits") or []
        if attributed is False:
            out.append(_signal(
                "state_media_origin_undisclosed", "high" if affiliation == "state-controlled" else "medium",
                f"The reused material comes from {_outlet_phrase(source_outlet)}, {affiliation} media, "
                "and the text does not say so.",
                evidence + [{"outlet": source_outlet["name"], "state_affiliation": affiliation}],
            ))
        elif attributed:
            names = [source_outlet["name"], *source_outlet["aliases"], *_owner_names(source_outlet.get("owner"))]
            naming = [c for c in credits if any(_mentioned(c.get("text") or "", n) for n in names)
                      or any(d.partition("/")[0] in (c.get("text") or "").lower() for d in source_outlet["domains"])]
            if not naming:
                out.append(_signal(
                    "state_media_origin_undisclosed", "medium",
                    f"The text credits only {', '.join(c.get('text') or '' for c in credits)}, not "
                    f"{_outlet_phrase(source_outlet)}, the {affiliation} media outlet the material comes from.",
                    credits + [{"outlet": source_outlet["name"], "state_affiliation": affiliation}],
                ))
            elif not any(STATE_MARKER_RE.search(_context(text, c)) for c in naming):
                out.append(_signal(
                    "state_media_origin_unflagged", "low",
                    f"The text names {source_outlet['name']} but not that it is {affiliation} media.",
                    naming,
                ))

    release = [r for r in source_distributors if r["role"] == "press-release distributor"]
    if source_outlet and source_outlet["role"] == "organisation":
        release = release or [source_outlet]
    if release and relation in ("copy", "paraphrase") and not RELEASE_MARKER_RE.search(text):
        credited = attributed and any(
            _mentioned(credit.get("text", ""), alias)
            for credit in details.get("credits") or [] for r in release for alias in [r["name"], *r["aliases"]]
        )
        if not credited:
            out.append(_signal(
                "press_release_as_news", "medium",
                f"The text re-publishes a press release (distributed via {distributor_label(release)}) "
                "as if it were news, without saying it is one.",
                evidence,
            ))

    verbatim = d.get("verbatim_share")
    if (attributed is False and isinstance(coverage, (int, float)) and isinstance(verbatim, (int, float))
            and (relation == "paraphrase" or coverage >= PARAPHRASE_MIN_COVERAGE) and verbatim < PARAPHRASE_MAX_VERBATIM):
        out.append(_signal(
            "paraphrased_reuse", "medium",
            f"{_percent(coverage).capitalize()} of the text follows {source} sentence by sentence, but only "
            f"{_percent(verbatim)} word for word: rewritten in a way that hides the reuse.",
            evidence + [{"verbatim_share": verbatim}],
        ))
    return out


def _context(text: str, credit: dict) -> str:
    start, end = credit.get("start"), credit.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return credit.get("text") or ""
    lo, hi = _sentence_window(text, start, end)
    return text[lo:hi]


def score(signals: list[dict]) -> int:
    """How far a reader can trust that the text is what it claims to be, 0..100.

    score = 100 − Σ penalty(severity) over the distinct signal names, each name counted once
    at its highest severity; penalties high 25, medium 12, low 5, info 0; clamped to 0..100.

    So one unattributed rewrite of state media (unattributed reuse, state-media origin not
    disclosed: 2 × 25) is at most 50 before anything else; a self-identified state-media press
    release (state media 12, press release 5, low-credibility rating 12) is 71. The number
    only summarises the signals: always show them with it.
    """
    worst: dict[str, int] = {}
    for signal in signals or []:
        penalty = PENALTY.get(signal.get("severity"), 0)
        worst[signal.get("name")] = max(worst.get(signal.get("name"), 0), penalty)
    return max(0, min(100, 100 - sum(worst.values())))


def report_entry(document_id: str, resolution: dict, document_signals: list[dict]) -> dict:
    """The contract's credibility[] item: {document, outlet, distributor, score, signals}."""
    return {
        "document": document_id,
        "outlet": outlet_summary(resolution.get("outlet") if resolution else None),
        "distributor": resolution.get("distributor") if resolution else None,
        "score": score(document_signals),
        "signals": document_signals,
    }
