"""Wire agencies and release services as their copy credits them: the one table that the
dateline, byline and credit rules (`segment`, `metadata`) and the derivation's agency reasoning
read, so that an agency added here is recognised everywhere at once.

The outlet registry (`credibility`) says who an agency is; this table says how its copy signs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEWS = "news agency"
RELEASE = "release service"  # paid press releases: the text is the issuer's, not an agency's report
SERVICE = "newsroom service"  # a publishing group's shared desk ('RND'): a byline, not a wire


@dataclass(frozen=True)
class Agency:
    name: str
    # Forms read wherever a credit is read: a dateline, a credit line, the author field, the
    # last words of the text ('Quelle: ntv.de, mbo/AFP/dpa').
    signs: tuple[str, ...] = ()
    # Forms too short or too common to read inside a line ('TT', 'CP'; 'DJ' is a disc jockey):
    # they credit only where a credit stands alone, as a dateline ('STOCKHOLM (TT) -'), a byline
    # line or a whole credit.
    bare: tuple[str, ...] = ()
    kind: str = NEWS
    # German-language newsrooms subscribe to it, so its name in the prose ('Mit Material von
    # dpa', 'die Nachrichtenagentur AFP') means its copy; a foreign state agency named there
    # ('meldete die Nachrichtenagentur Xinhua') is quoted, not subscribed.
    subscribed: bool = False

    @property
    def key(self) -> str:
        """How the derivation names the agency: 'dpa', 'afp', 'reuters'."""
        return self.name.lower()


AGENCIES = (
    Agency("dpa", ("dpa", "Dpa", "DPA"), subscribed=True),
    Agency("dpa-AFX", ("dpa-AFX",)),
    Agency("AFP", ("AFP", "afp"), subscribed=True),
    Agency("Reuters", ("Reuters", "REUTERS", "rtr"), subscribed=True),
    Agency("AP", ("AP",), subscribed=True),
    Agency("KNA", ("KNA",), subscribed=True),
    Agency("epd", ("epd",), subscribed=True),
    Agency("dts", ("dts",)),
    Agency("SID", ("SID",)),
    Agency("APA", ("APA",)),
    Agency("SDA", ("SDA", "Keystone-SDA"), ("sda",)),
    Agency("ddp", (), ("ddp",)),
    Agency("dapd", (), ("dapd",)),
    Agency("EFE", ("EFE",)),
    Agency("ANSA", ("ANSA",)),
    Agency("ANP", (), ("ANP",)),
    Agency("Belga", ("Belga",)),
    Agency("NTB", ("NTB",)),
    Agency("TT", ("TT Nyhetsbyrån",), ("TT",)),
    Agency("Ritzau", ("Ritzau", "Ritzaus Bureau")),
    Agency("STT", ("STT",)),
    Agency("PAP", ("PAP",)),
    Agency("CTK", ("ČTK", "CTK")),
    Agency("MTI", ("MTI",)),
    Agency("Lusa", ("Lusa",)),
    Agency("Europa Press", ("Europa Press",)),
    Agency("Xinhua", ("Xinhua",)),
    Agency("TASS", ("TASS",)),
    Agency("Interfax", ("Interfax",)),
    Agency("Anadolu", ("Anadolu",)),
    Agency("Kyodo", ("Kyodo News", "Kyodo")),
    Agency("Jiji", ("Jiji Press", "Jiji", "JIJI")),
    Agency("Yonhap", ("Yonhap",)),
    Agency("PTI", ("PTI",)),
    Agency("PA", ("PA",)),
    Agency("AAP", ("AAP",)),
    Agency("CP", ("The Canadian Press",), ("CP",)),
    Agency("UPI", ("UPI",)),
    Agency("Bloomberg", ("Bloomberg",)),
    Agency("Dow Jones", (), ("dj",)),
    Agency("ots", ("ots",), kind=RELEASE),
    Agency("PRNewswire", ("PRNewswire",), kind=RELEASE),
    Agency("Business Wire", ("BusinessWire",), kind=RELEASE),
    Agency("GlobeNewswire", ("GlobeNewswire",), kind=RELEASE),
    Agency("RND", ("RND",), kind=SERVICE),
)

# Credits as they are compared: case and spaces dropped ('Keystone-SDA' → 'keystone-sda').
_FOLDED = {
    form.replace(" ", "").lower(): agency
    for agency in AGENCIES for form in (*agency.signs, *agency.bare, agency.name)
}
# Every form that credits a wire or a release service, folded; a newsroom service is no wire.
WIRE_CREDITS = frozenset(form for form, agency in _FOLDED.items() if agency.kind != SERVICE)
RELEASE_CREDITS = frozenset(form for form, agency in _FOLDED.items() if agency.kind == RELEASE)
NEWS_AGENCIES = frozenset(agency.key for agency in AGENCIES if agency.kind == NEWS)


def alternation(forms) -> str:
    """A regex alternation of the forms, longest first so that 'APA' is not read as 'AP'."""
    return "|".join(re.escape(form) for form in sorted(set(forms), key=lambda f: (-len(f), f)))


def forms(kind: str | None = None, bare: bool = True) -> list[str]:
    """The written forms of the agencies of one kind (all kinds: None)."""
    return [
        form for agency in AGENCIES if kind is None or agency.kind == kind
        for form in (*agency.signs, *(agency.bare if bare else ()))
    ]


def agency_of(form: str) -> Agency | None:
    """The agency a credit's part names ('rtr' → Reuters, 'Keystone-SDA' → SDA), or None."""
    return _FOLDED.get(form.replace(" ", "").lower())


def key_of(part: str) -> str:
    """A credit's part as the derivation compares it: the agency's key, else the part lower-cased
    (a regional desk code such as 'lno' stays itself)."""
    agency = agency_of(part)
    return agency.key if agency else part.strip().lower()
