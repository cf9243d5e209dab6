#!/usr/bin/env python3
"""Build the default outlet registry from ../shared/data into src/provenance/data/outlets/.

    .venv/bin/python scripts/build_outlets.py              # (re)write the shipped files
    .venv/bin/python scripts/build_outlets.py --check      # exit 1 if they differ from a fresh build
    .venv/bin/python scripts/build_outlets.py --data DIR --out DIR

Deterministic: the same input gives the same bytes (records sorted by name, lists sorted, JSON
with sorted keys, no timestamps). One file per licence, loaded in this order:

- outlets.json — the hand-curated list below (this project, MIT) and the ASD State Media
  Profiles (MIT, Copyright (c) 2023 ASD-at-GMF): names, domains, owner, country, typology.
- wikipedia-perennial-sources.json — ratings (and names/domains of outlets not otherwise known)
  from Wikipedia:Reliable sources/Perennial sources, 2021-03-17 snapshot, CC BY-SA 3.0. Kept in
  its own file so that it stays under CC BY-SA, apart from the code's MIT licence.
- cred-1.json — CRED-1 low-credibility domain listings (CC BY 4.0, "CRED-1 by Alexander Loth").
  CRED-1 lists low-credibility domains only: absence from it means nothing.

ASD typology → state_affiliation: SC → state-controlled; CaPu, CaPr → state-captured; ISFM,
ISF, ISM, IP → state-funded independent ('ISFM?' too, kept as typology 'ISFM?'); absent → none
known. Curated records follow the ASD typology wherever ASD lists the outlet (the build fails
on a disagreement); where ASD is silent the curated value is 'none known' unless a note on the
record says why not.

The ASD rows are grouped into outlets: rows with the same country and name (language editions
in parentheses dropped) or the same domain are one outlet. A curated record takes over every
ASD group that shares a domain or a name with it. Role from ASD: 'News agency:' prefixes and
agency names → news agency; television/radio names → broadcaster; otherwise news outlet.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from provenance.credibility import (  # noqa: E402
    STATE_AFFILIATIONS,
    affiliation_from_typology,
    normalise_domain,
    normalise_record,
    validate_outlet,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "src" / "provenance" / "data" / "outlets"

ASD = "ASD State Media Profiles"
CRED1 = "CRED-1"
WIKIPEDIA = "Wikipedia perennial sources"
CURATED = "curated"
WIKIPEDIA_PAGE = "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources"
WIKIPEDIA_DATE = "2021-03-17"
CRED1_URL = "https://github.com/aloth/cred-1"

CN, RU, DE, US, UK = "China", "Russia", "Germany", "United States of America", "United Kingdom"

# --- the hand-curated list -----------------------------------------------------------------------
# role and state_affiliation are checked against the ASD typology where ASD lists the outlet.


def _o(name, role, affiliation, country, domains=(), aliases=(), feeds=(), owner=None, notes=None):
    return {"name": name, "role": role, "state_affiliation": affiliation, "country": country,
            "domains": list(domains), "aliases": list(aliases), "feeds": list(feeds),
            "owner": owner, "notes": notes}


PR, AGENCY, OUTLET, BROADCASTER, ORG = (
    "press-release distributor", "news agency", "news outlet", "broadcaster", "organisation")
SC, CAPTURED, FUNDED, NONE = STATE_AFFILIATIONS

CURATED_OUTLETS = [
    # Press-release distributors: they carry what the issuer pays them to carry.
    _o("PR Newswire", PR, NONE, US, ["prnewswire.com", "prnewswire.co.uk", "prnasia.com"],
       ["PRNewswire", "PR Newswire Asia", "PRNewswire-FirstCall", "PRN Newswire"], owner="Cision"),
    _o("news aktuell", PR, NONE, DE, ["presseportal.de", "newsaktuell.de", "presseportal.ch", "newsaktuell.ch"],
       ["ots", "Originaltextservice", "Presseportal", "news aktuell GmbH"], owner="dpa",
       notes="Distributes press releases as 'ots' (Originaltextservice) on presseportal.de; a dpa subsidiary."),
    _o("APA-OTS", PR, NONE, "Austria", ["ots.at"], ["APA OTS", "OTS.at"], owner="APA",
       notes="Press-release service of the Austria Presse Agentur."),
    _o("Business Wire", PR, NONE, US, ["businesswire.com"], ["BusinessWire", "BUSINESS WIRE"],
       owner="Berkshire Hathaway"),
    _o("GlobeNewswire", PR, NONE, US, ["globenewswire.com"], ["Globe Newswire", "GLOBE NEWSWIRE", "Marketwired"],
       owner="Notified"),
    _o("EIN Presswire", PR, NONE, US, ["einpresswire.com", "einnews.com"], ["EINPresswire", "EIN News"]),
    _o("Cision", PR, NONE, US, ["cision.com", "cision.de"], ["Cision Ltd"]),
    _o("PRWeb", PR, NONE, US, ["prweb.com"], [], owner="Cision"),
    _o("Canada Newswire", PR, NONE, "Canada", ["newswire.ca"], ["CNW", "CNW Group", "Canada NewsWire"], owner="Cision"),
    _o("ACCESSWIRE", PR, NONE, US, ["accesswire.com"], ["Accesswire"]),
    _o("Newsfile", PR, NONE, "Canada", ["newsfilecorp.com"], ["Newsfile Corp"]),
    _o("JCN Newswire", PR, NONE, "Japan", ["jcnnewswire.com"], ["JCN"]),
    _o("pressetext", PR, NONE, "Austria", ["pressetext.com", "pressetext.de"], ["pressetext.com"]),
    _o("openPR", PR, NONE, DE, ["openpr.de", "openpr.com"], []),
    _o("PresseBox", PR, NONE, DE, ["pressebox.de"], []),
    _o("PR-Gateway", PR, NONE, DE, ["pr-gateway.de"], []),
    _o("Newswire.com", PR, NONE, US, ["newswire.com"], []),

    # News agencies.
    _o("dpa", AGENCY, NONE, DE, ["dpa.com", "dpa.de", "dpa-international.com"],
       ["Deutsche Presse-Agentur", "dpa-AFX", "dpa-infocom"]),
    _o("AFP", AGENCY, FUNDED, "France", ["afp.com"], ["Agence France-Presse", "Agence France Presse"],
       notes="Not in the ASD State Media Profiles. A public corporation whose 1957 statute guarantees editorial "
             "independence; the French state pays it for its public-interest mission: classified as "
             "state-funded independent by the curators."),
    _o("Reuters", AGENCY, NONE, UK, ["reuters.com"], ["Thomson Reuters", "REUTERS"], owner="Thomson Reuters"),
    _o("AP", AGENCY, NONE, US, ["apnews.com", "ap.org"], ["Associated Press", "The Associated Press"]),
    _o("Bloomberg", AGENCY, NONE, US, ["bloomberg.com"], ["Bloomberg News"]),
    _o("Dow Jones Newswires", AGENCY, NONE, US, ["dowjones.com"], ["Dow Jones"]),
    _o("Xinhua", AGENCY, SC, CN, ["xinhuanet.com", "news.cn"],
       ["Xinhua News Agency", "New China News Agency", "Xinhuanet", "Neues China", "Xinhua Chinese", "CNC World"],
       owner="State Council of the People's Republic of China"),
    _o("TASS", AGENCY, SC, RU, ["tass.com", "tass.ru"], ["ITAR-TASS", "Tass"]),
    _o("RIA Novosti", AGENCY, SC, RU, ["ria.ru"], ["RIA", "Ria Nowosti", "RIA Nowosti"], owner="Rossiya Segodnya"),
    _o("Sputnik", AGENCY, SC, RU, ["sputniknews.com", "sputnikglobe.com", "snanews.de", "de.sputniknews.com"],
       ["Sputnik News", "Sputnik International", "SNA", "SNA News", "Sputnik German", "Sputnik Deutschland"],
       owner="Rossiya Segodnya"),
    _o("Interfax", AGENCY, NONE, RU, ["interfax.ru", "interfax.com"], []),
    _o("EFE", AGENCY, FUNDED, "Spain", ["efe.com"], ["Agencia EFE"]),
    _o("ANSA", AGENCY, NONE, "Italy", ["ansa.it"], ["Agenzia ANSA"]),
    _o("APA", AGENCY, NONE, "Austria", ["apa.at"], ["Austria Presse Agentur"]),
    _o("KNA", AGENCY, NONE, DE, ["kna.de"], ["Katholische Nachrichten-Agentur"],
       notes="Owned by Catholic Church publishers in Germany; not state media."),
    _o("epd", AGENCY, NONE, DE, ["epd.de"], ["Evangelischer Pressedienst"],
       notes="The Protestant Church in Germany's news agency; not state media."),
    _o("dts Nachrichtenagentur", AGENCY, NONE, DE, ["dts-nachrichtenagentur.de"], ["dts"]),
    _o("SID", AGENCY, NONE, DE, ["sid.de"], ["sid", "Sport-Informations-Dienst"], owner="AFP"),
    _o("Keystone-SDA", AGENCY, NONE, "Switzerland", ["keystone-sda.ch"], ["SDA", "sda", "Keystone SDA"]),
    _o("Kyodo", AGENCY, NONE, "Japan", ["kyodonews.net", "kyodonews.jp"], ["Kyodo News"]),
    _o("Yonhap", AGENCY, FUNDED, "South Korea", ["yna.co.kr", "yonhapnews.co.kr"], ["Yonhap News Agency"]),
    _o("Anadolu Agency", AGENCY, SC, "Turkey", ["aa.com.tr"], ["Anadolu", "Anadolu Ajansı"]),
    _o("ANP", AGENCY, NONE, "Netherlands", ["anp.nl"], ["Algemeen Nederlands Persbureau"]),
    _o("Belga", AGENCY, NONE, "Belgium", ["belga.be"], []),
    _o("PAP", AGENCY, CAPTURED, "Poland", ["pap.pl"], ["Polish Press Agency", "Polska Agencja Prasowa"]),
    _o("Kazinform", AGENCY, SC, "Kazakhstan", ["inform.kz"], ["Kazinform International News Agency"]),
    _o("IRNA", AGENCY, SC, "Iran", ["irna.ir"], ["Islamic Republic News Agency"]),
    _o("KCNA", AGENCY, SC, "North Korea", ["kcna.kp"], ["Korean Central News Agency"]),
    _o("Prensa Latina", AGENCY, SC, "Cuba", ["prensa-latina.cu"], []),
    _o("UPI", AGENCY, NONE, US, ["upi.com"], ["United Press International"]),
    _o("PA", AGENCY, NONE, UK, ["pa.media", "pressassociation.com"], ["PA Media", "Press Association", "PA news agency"]),
    _o("AAP", AGENCY, NONE, "Australia", ["aap.com.au"], ["Australian Associated Press"]),
    # National agencies whose credits `agencies.py` reads; owned by their countries' publishers.
    _o("NTB", AGENCY, NONE, "Norway", ["ntb.no"], ["Norsk Telegrambyrå"]),
    # not named 'TT' in the registry: in German prose 'der TT' is the Tiroler Tageszeitung
    _o("TT Nyhetsbyrån", AGENCY, NONE, "Sweden", ["tt.se"], ["Tidningarnas Telegrambyrå"]),
    _o("Ritzau", AGENCY, NONE, "Denmark", ["ritzau.dk", "ritzau.com"], ["Ritzaus Bureau"]),
    _o("STT", AGENCY, NONE, "Finland", ["stt.fi"], ["Suomen Tietotoimisto"]),
    _o("Jiji Press", AGENCY, NONE, "Japan", ["jiji.com"], ["Jiji"]),
    _o("The Canadian Press", AGENCY, NONE, "Canada", ["thecanadianpress.com"], ["Canadian Press"]),
    _o("CTK", AGENCY, FUNDED, "Czechia", ["ctk.eu", "ctk.cz"], ["ČTK", "Czech News Agency", "Česká tisková kancelář"],
       owner="Czech News Agency (CTK)"),
    _o("MTI", AGENCY, SC, "Hungary", ["mti.hu"], ["Magyar Távirati Iroda"],
       owner="Media Services and Support Trust Fund (MTVA)"),
    _o("Lusa", AGENCY, FUNDED, "Portugal", ["lusa.pt"], ["Lusa News Agency", "Agência Lusa"], owner="Lusa News Agency"),
    _o("dapd", AGENCY, NONE, DE, ["dapd.de"], ["ddp", "Deutscher Depeschendienst", "dapd nachrichtenagentur"],
       notes="Formed in 2010 from ddp and the German service of AP; insolvent in 2013. Archives still carry its credits."),
    _o("PTI", AGENCY, NONE, "India", ["ptinews.com"], ["Press Trust of India"]),
    _o("Europa Press", AGENCY, NONE, "Spain", ["europapress.es"], []),

    # State media that matter for laundering cases (roles and names fixed; affiliation from ASD).
    _o("CGTN", BROADCASTER, SC, CN, ["cgtn.com"],
       ["China Global Television Network", "CGTN Europe", "CCTV International", "CCTV-9"], owner="China Media Group"),
    _o("CCTV", BROADCASTER, SC, CN, ["cctv.com", "cctv.cn", "cntv.cn"], ["China Central Television", "News CCTV"],
       owner="China Media Group"),
    _o("China Radio International", BROADCASTER, SC, CN, ["cri.cn"], ["CRI", "Radio China International"],
       owner="China Media Group"),
    _o("People's Daily", OUTLET, SC, CN, ["people.cn", "people.com.cn"], ["Renmin Ribao", "People's Daily Online"],
       owner="People's Daily"),
    _o("Global Times", OUTLET, SC, CN, ["globaltimes.cn"], ["Huanqiu Shibao", "Global Times (English)"],
       owner="People's Daily"),
    _o("China Daily", OUTLET, SC, CN, ["chinadaily.com.cn"], [], owner="China Daily Group"),
    _o("RT", BROADCASTER, SC, RU, ["rt.com"], ["Russia Today", "RT International"], owner="RT"),
    _o("RT DE", BROADCASTER, SC, RU, ["de.rt.com"], ["RT Deutsch", "RT Deutschland"], owner="RT"),
    _o("Press TV", BROADCASTER, SC, "Iran", ["presstv.ir"], ["PressTV"],
       owner="Islamic Republic of Iran Broadcasting (IRIB)"),
    _o("Al Jazeera", BROADCASTER, SC, "Qatar", ["aljazeera.com", "aljazeera.net"], ["Al Jazeera English"],
       owner="Al Jazeera Media Network (AJMN)"),
    _o("TRT World", BROADCASTER, SC, "Turkey", ["trtworld.com"], [],
       owner="Türkiye Radyo ve Televizyon Kurumu (TRT)"),

    # German and Austrian/Swiss public and private media; the feed handles of the insm corpus.
    _o("ARD", BROADCASTER, FUNDED, DE, ["ard.de", "tagesschau.de", "daserste.de"],
       ["tagesschau", "Tagesschau", "Das Erste", "ARD-aktuell"]),
    _o("ZDF", BROADCASTER, FUNDED, DE, ["zdf.de"], ["Zweites Deutsches Fernsehen", "ZDFheute"]),
    _o("Deutsche Welle", BROADCASTER, FUNDED, DE, ["dw.com"], ["DW"]),
    _o("Deutschlandradio", BROADCASTER, FUNDED, DE, ["deutschlandfunk.de", "deutschlandradio.de", "deutschlandfunkkultur.de"],
       ["Deutschlandfunk", "DLF", "Deutschlandfunk Kultur"],
       notes="Not in the ASD State Media Profiles; a public broadcaster like ARD and ZDF (typology IP there): "
             "classified as state-funded independent by the curators."),
    _o("Frankfurter Allgemeine Zeitung", OUTLET, NONE, DE, ["faz.net"],
       ["FAZ", "F.A.Z.", "FAZ.NET", "Frankfurter Allgemeine", "FAS", "Frankfurter Allgemeine Sonntagszeitung"],
       ["FAZ_Politik", "FAZ_Wirtschaft", "faznet"]),
    _o("Der Spiegel", OUTLET, NONE, DE, ["spiegel.de"], ["SPIEGEL", "Spiegel Online", "SPIEGEL ONLINE", "Spiegel"],
       ["derspiegel", "SPIEGEL_Politik", "SPIEGELONLINE"]),
    _o("Süddeutsche Zeitung", OUTLET, NONE, DE, ["sueddeutsche.de"], ["SZ", "Süddeutsche", "SZ.de"], ["SZ"]),
    _o("Die Welt", OUTLET, NONE, DE, ["welt.de"], ["WELT", "Welt", "Welt am Sonntag", "WELT AM SONNTAG"], ["welt"],
       owner="Axel Springer"),
    _o("Bild", OUTLET, NONE, DE, ["bild.de"], ["BILD", "Bild-Zeitung", "Bild am Sonntag", "BILD am SONNTAG"],
       ["BILD", "BILD_Politik"], owner="Axel Springer"),
    _o("Focus", OUTLET, NONE, DE, ["focus.de"], ["FOCUS", "FOCUS Online", "Focus Online"],
       ["FOCUS_TopNews", "focusfinanzen", "focuspolitik"], owner="Hubert Burda Media"),
    _o("Stern", OUTLET, NONE, DE, ["stern.de"], ["stern", "STERN", "stern.de"], ["sternde"], owner="RTL Deutschland"),
    _o("t-online", OUTLET, NONE, DE, ["t-online.de"], ["t-online.de"], ["tonline"], owner="Ströer"),
    _o("Der Tagesspiegel", OUTLET, NONE, DE, ["tagesspiegel.de"], ["Tagesspiegel"], ["Tagesspiegel"]),
    _o("Die Zeit", OUTLET, NONE, DE, ["zeit.de"], ["ZEIT ONLINE", "Zeit Online", "DIE ZEIT", "Zeit"], ["zeitonline"]),
    _o("n-tv", BROADCASTER, NONE, DE, ["n-tv.de"], ["ntv", "n-tv.de", "ntv.de"], ["ntvde", "ntvde_Politik"],
       owner="RTL Deutschland"),
    _o("RTL", BROADCASTER, NONE, DE, ["rtl.de"], ["RTL Deutschland"], ["RTLde"], owner="RTL Deutschland"),
    _o("RND", OUTLET, NONE, DE, ["rnd.de"], ["RedaktionsNetzwerk Deutschland", "Redaktionsnetzwerk Deutschland"],
       ["RND_de"], owner="Madsack Mediengruppe",
       notes="Supplies articles to Madsack's regional papers: the same RND text appears under many mastheads."),
    _o("Handelsblatt", OUTLET, NONE, DE, ["handelsblatt.com"], [], ["handelsblatt"]),
    _o("taz", OUTLET, NONE, DE, ["taz.de"], ["die tageszeitung"], ["tazgezwitscher"]),
    _o("Frankfurter Rundschau", OUTLET, NONE, DE, ["fr.de"], ["FR"], ["fr"]),
    _o("Neue Zürcher Zeitung", OUTLET, NONE, "Switzerland", ["nzz.ch"], ["NZZ"], ["NZZ"]),
    _o("Der Standard", OUTLET, NONE, "Austria", ["derstandard.at", "derstandard.de"], ["derStandard", "derStandard.at"],
       ["derStandardat"]),

    # Organisations that publish press releases.
    _o("INSM", ORG, NONE, DE, ["insm.de"], ["Initiative Neue Soziale Marktwirtschaft"], ["insm_presse", "INSM"],
       notes="Lobby organisation funded by employers' associations of the metal and electrical industry."),
]

# ASD rows whose URL points somewhere else than the outlet (known mistakes in the source data).
ASD_URL_CORRECTIONS = {
    "kcnawatch.org": None,  # KCNA Watch is NK News's monitoring service, not Korean Central Television
}
PLATFORM_HOSTS = {"facebook.com", "youtube.com", "twitter.com", "x.com", "t.me", "telegram.me", "vk.com",
                  "instagram.com", "tiktok.com", "linkedin.com", "ok.ru", "blogspot.com", "wordpress.com"}

TYPE_PREFIX_RE = re.compile(r"^(News agency|Print media|Print|Television|Radio|Online|News portals)\s*:\s*", re.I)
AGENCY_RE = re.compile(r"(?i)news agency|press agency|telegraph\w* agency|\bagen(?:cy|cia|ce|zia|tur)\b|nachrichtenagentur|\bpresse\b")
BROADCAST_RE = re.compile(
    r"(?i)\b(?:tv|television|télévision|televisi\w*|televizi\w*|televizyon|radio\w*|ràdio|radyo|radju|broadcast\w*"
    r"|rundfunk|fernsehen|channel|kanal|canal)\b|\w+tv\b|radiotelevis\w*"
)
LANGUAGE_WORDS = {"english", "french", "spanish", "arabic", "german", "russian", "chinese", "japanese", "korean",
                  "portuguese", "turkish", "italian", "persian", "polish", "greek", "serbian", "georgian", "latvian",
                  "azerbaijan", "indian", "uk", "edition", "version"}


def _collapse(value: str) -> str:
    return " ".join(str(value).split())


def _key(value: str) -> str:
    return _collapse(value).casefold()


def source_commit(folder: Path) -> str | None:
    match = re.search(r"Commit:\s*([0-9a-f]{7,40})", (folder / "SOURCE.md").read_text(encoding="utf-8"))
    return match.group(1) if match else None


def split_name(raw: str) -> tuple[str, list[str], str | None]:
    """'News agency: Xinhua' → ('Xinhua', [], 'News agency'); 'China Global Television Network (CGTN)'
    → ('China Global Television Network', ['CGTN'], None). Parentheses that are not acronyms
    (translations, editions) are dropped."""
    raw = _collapse(raw.replace("*", ""))
    prefix = None
    match = TYPE_PREFIX_RE.match(raw)
    if match:
        prefix, raw = match.group(1), raw[match.end():]
    aliases = []
    for inner in re.findall(r"\(([^()]*)\)?", raw):
        for part in inner.split(","):
            part = part.strip()
            if 2 <= len(part) <= 10 and not any(c.islower() for c in part) and re.search(r"[A-Z]", part):
                aliases.append(part)
    name = _collapse(re.sub(r"\s*\([^()]*\)?", "", raw)) or raw
    return name, aliases, prefix


def asd_domain(url: str) -> str | None:
    domain = normalise_domain(url)
    if not domain:
        return None
    host = domain.partition("/")[0]
    if host in PLATFORM_HOSTS or any(host.endswith("." + p) for p in PLATFORM_HOSTS):
        return None
    if host in ASD_URL_CORRECTIONS:
        return ASD_URL_CORRECTIONS[host]
    return domain


def read_asd(folder: Path) -> list[dict]:
    """One group per outlet: rows joined by (country, name) and by domain."""
    with open(folder / "State_Media_Matrix.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("Main assets") or r.get("Media company") or "").strip()]
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    parsed, first_by = [], {}
    for i, row in enumerate(rows):
        name, aliases, prefix = split_name(row["Main assets"] or row["Media company"])
        domain = asd_domain(row["URL"]) if row["URL"].strip() else None
        parsed.append((name, aliases, prefix, domain))
        for key in [("name", _key(row["Country"]), _key(name))] + ([("domain", domain)] if domain else []):
            if key in first_by:
                union(i, first_by[key])
            else:
                first_by[key] = i
    groups = defaultdict(list)
    for i in range(len(rows)):
        groups[find(i)].append(i)

    out = []
    for members in groups.values():
        names = Counter(parsed[i][0] for i in members)
        companies = sorted({_collapse(rows[i]["Media company"].replace("*", "")) for i in members})
        company_aliases = []
        if len(names) == 1:
            name = next(iter(names))
        elif len(companies) == 1 and companies[0]:
            name, company_aliases, _ = split_name(companies[0])
        else:
            name = sorted(names, key=lambda n: (-len(n), n))[0]
        aliases = {n for n in names if n != name} | set(company_aliases)
        for i in members:
            aliases.update(parsed[i][1])
        typologies = sorted({rows[i]["Typology"].strip() for i in members if rows[i]["Typology"].strip()})
        order = ["SC", "CaPu", "CaPr", "ISFM", "ISFM?", "ISF", "ISM", "IP"]
        typology = min(typologies, key=lambda t: order.index(t) if t in order else 99) if typologies else None
        countries = sorted({rows[i]["Country"].strip() for i in members if rows[i]["Country"].strip()})
        hints = " ".join([name, *names, *companies] + [parsed[i][2] or "" for i in members])
        prefixes = {(parsed[i][2] or "").lower() for i in members}
        if "news agency" in prefixes or AGENCY_RE.search(" ".join([name, *names])):
            role = AGENCY
        elif prefixes & {"television", "radio"} or BROADCAST_RE.search(hints):
            role = BROADCASTER
        else:
            role = OUTLET
        notes = []
        if len(typologies) > 1:
            notes.append(f"ASD typologies {', '.join(typologies)} for the grouped rows; the most state-controlled is used.")
        if typology and typology.endswith("?"):
            notes.append(f"ASD marks the typology as uncertain ({typology}).")
        statuses = sorted({rows[i]["Status"].strip() for i in members
                           if rows[i]["Status"].strip().lower() in ("currently not functional", "certificate expired")})
        if statuses:
            notes.append("ASD status: " + ", ".join(statuses) + ".")
        out.append({
            "name": name,
            "aliases": sorted(aliases),
            "domains": sorted({parsed[i][3] for i in members if parsed[i][3]}),
            "owner": companies[0] if len(companies) == 1 and _key(companies[0]) != _key(name) else None,
            "country": countries[0] if countries else None,
            "typology": typology,
            "state_affiliation": affiliation_from_typology(typology),
            "role": role,
            "notes": " ".join(notes) or None,
            "data_sources": [ASD],
        })
    return out


def build_base(data: Path) -> list[dict]:
    """Curated records, each absorbing the ASD groups it names, plus the remaining ASD groups."""
    asd = read_asd(data / "state-media-profiles")
    claimed: dict[int, str] = {}
    records = []
    for curated in CURATED_OUTLETS:
        record = dict(curated, data_sources=[CURATED])
        names = {_key(n) for n in [record["name"], *record["aliases"]]}
        domains = set(record["domains"])
        for index, group in enumerate(asd):
            same_country = record["country"] is None or group["country"] is None or _key(group["country"]) == _key(record["country"])
            by_domain = bool(domains & set(group["domains"]))
            by_name = same_country and bool(names & {_key(n) for n in [group["name"], *group["aliases"]]})
            if not (by_domain or by_name):
                continue
            if index in claimed:
                raise SystemExit(f"ASD group {group['name']!r} is claimed by both {claimed[index]!r} and {record['name']!r}")
            claimed[index] = record["name"]
            if group["state_affiliation"] != record["state_affiliation"]:
                raise SystemExit(
                    f"curated {record['name']!r} says {record['state_affiliation']!r}, ASD group {group['name']!r} "
                    f"says {group['typology']} → {group['state_affiliation']!r}: fix the curated list"
                )
            record["domains"] = sorted(set(record["domains"]) | set(group["domains"]))
            record["aliases"] = sorted(set(record["aliases"]) | {group["name"], *group["aliases"]})
            record["typology"] = record.get("typology") or group["typology"]
            if group["owner"] and _key(split_name(group["owner"])[0]) not in names | {_key(group["name"])}:
                record["owner"] = record.get("owner") or group["owner"]
            record["data_sources"] = [CURATED, ASD]
        records.append(record)
    records += [group for index, group in enumerate(asd) if index not in claimed]
    return _unique_names(records)


def _unique_names(records: list[dict]) -> list[dict]:
    """Two outlets with one name ('CNA' in Taiwan and in Cyprus) become 'CNA (Taiwan)', 'CNA (Cyprus)'."""
    counts = Counter(_key(r["name"]) for r in records)
    for record in records:
        if counts[_key(record["name"])] > 1 and CURATED not in record["data_sources"]:
            record["aliases"] = sorted(set(record["aliases"]) | {record["name"]})
            record["name"] = f"{record['name']} ({record['country'] or 'unknown country'})"
    counts = Counter(_key(r["name"]) for r in records)
    duplicates = [n for n, c in counts.items() if c > 1]
    if duplicates:
        raise SystemExit(f"outlet names still not unique: {duplicates}")
    return records


class DomainIndex:
    """Find the record that owns a domain: exact entry first, then the closest parent domain."""

    def __init__(self, records):
        self.by_domain = {}
        for record in records:
            for domain in record.get("domains") or []:
                self.by_domain.setdefault(domain, record)

    def find(self, domain: str):
        if domain in self.by_domain:
            return self.by_domain[domain]
        host, _, path = domain.partition("/")
        labels = host.split(".")
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            if candidate in self.by_domain:
                return self.by_domain[candidate]
        return None


def _by_alias(records):
    index = defaultdict(list)
    for record in records:
        for name in [record["name"], *record.get("aliases", [])]:
            index[_key(name)].append(record)
    return index


def build_wikipedia(data: Path, base: list[dict]) -> list[dict]:
    """Overlay records: Wikipedia ratings for known outlets; new outlets (role unknown) for the rest."""
    folder = data / "wikipedia-perennial-sources"
    with open(folder / "perennial-sources.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    domains, aliases = DomainIndex(base), _by_alias(base)
    overlays: dict[str, dict] = {}
    for row in rows:
        raw = _collapse(row["name"])
        name = _collapse(re.sub(r"\s*\([^()]*\)", "", raw)) or raw
        scope, extra = [], []
        for inner in re.findall(r"\(([^()]*)\)", raw):
            for part in (p.strip() for p in inner.split(",")):
                if not part:
                    continue
                (scope if part[:1].islower() else extra).append(part)
        statuses = [s for s in json.loads(row["status"] or "[]") if not s.startswith("Wikipedia:")]
        if not statuses:
            continue
        row_domains = sorted({d for d in (normalise_domain(u) for u in json.loads(row["urls"] or "[]")) if d})
        target = None
        for domain in row_domains:
            target = domains.find(domain)
            if target:
                break
        if target is None:
            candidates = aliases.get(_key(name), [])
            target = candidates[0] if len(candidates) == 1 else None
        key = target["name"] if target else name
        overlay = overlays.setdefault(key, {"name": key, "domains": [], "aliases": [], "ratings": [],
                                            "data_sources": [WIKIPEDIA]})
        if target is None:
            overlay.setdefault("role", "unknown")
            overlay["domains"] = sorted(set(overlay["domains"]) | set(row_domains))
        known = {_key(n) for n in ([target["name"], *target["aliases"]] if target else [key])}
        overlay["aliases"] = sorted({*overlay["aliases"], *(a for a in [name, *extra] if _key(a) not in known)} - {key})
        value = " / ".join(statuses) + (f" ({', '.join(scope)})" if scope else "")
        overlay["ratings"].append({
            "source": f"{WIKIPEDIA} ({WIKIPEDIA_DATE} snapshot)",
            "value": value,
            "licence": "CC BY-SA 3.0",
            "url": WIKIPEDIA_PAGE,
            "date": WIKIPEDIA_DATE,
            "note": _collapse(row["info"]) or None,
        })
    return [_tidy(o) for o in overlays.values()]


def build_cred1(data: Path, base: list[dict], wikipedia: list[dict]) -> list[dict]:
    """Overlay records: a CRED-1 rating on the outlet owning each listed domain, or a new outlet named by the domain."""
    folder = data / "cred-1"
    with open(folder / "cred1_current.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    known = base + [w for w in wikipedia if w.get("role") == "unknown"]
    domains = DomainIndex(known)
    overlays: dict[str, dict] = {}
    date = re.search(r"weekly auto-update (\d{4}-\d{2}-\d{2})", (folder / "SOURCE.md").read_text(encoding="utf-8"))
    for row in rows:
        domain = normalise_domain(row["domain"])
        if not domain:
            continue
        target = domains.find(domain)
        key = target["name"] if target else domain
        overlay = overlays.setdefault(key, {"name": key, "domains": [], "ratings": [], "data_sources": [CRED1]})
        if target is None:
            overlay.setdefault("role", "unknown")
        overlay["domains"] = sorted(set(overlay["domains"]) | {domain})
        try:
            score = float(row["credibility_score"])
        except ValueError:
            score = None
        overlay["ratings"].append({
            "source": CRED1,
            "value": row["category"].strip(),
            "score": score,
            "domain": _collapse(row["domain"]),
            "licence": "CC BY 4.0",
            "url": CRED1_URL,
            "date": date.group(1) if date else None,
        })
    return [_tidy(o) for o in overlays.values()]


def _tidy(record: dict) -> dict:
    record = {k: v for k, v in record.items() if v not in (None, [], "")}
    if "ratings" in record:
        record["ratings"] = sorted(record["ratings"], key=lambda r: (r["source"], r.get("domain") or "", r["value"]))
    return normalise_record(record)


def _final(record: dict) -> dict:
    record = _tidy(record)
    if "aliases" in record:
        record["aliases"] = [a for a in record["aliases"] if a != record["name"]]
    problems = validate_outlet(record)
    if problems:
        raise SystemExit(f"invalid record {record.get('name')!r}: {problems}")
    return record


def dump(records: list[dict]) -> str:
    records = sorted((_final(r) for r in records), key=lambda r: (_key(r["name"]), r["name"]))
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


NOTICE = """\
# The default outlet registry: sources, licences, attributions

Built by `scripts/build_outlets.py` from the copies in `../shared/data/`; do not edit the JSON
files by hand, change the script (or import your own outlets with `provenance outlets import`).
Each file carries data under one licence:

| file | contents | licence |
|---|---|---|
| `outlets.json` | the hand-curated wires, press-release distributors, agencies and outlets of this project, and outlets from the ASD State Media Profiles | MIT (this project's curation; ASD data MIT, see below) |
| `wikipedia-perennial-sources.json` | reliability ratings (with the consensus summaries) from Wikipedia's perennial sources list, and the names/domains of outlets known only from it | CC BY-SA 3.0 |
| `cred-1.json` | CRED-1 low-credibility domain listings and the outlets known only from them | CC BY 4.0 |

## ASD State Media Profiles — MIT
State Media Profiles by the Alliance for Securing Democracy at the German Marshall Fund
(ASD-at-GMF), https://github.com/ASD-at-GMF/state-media-profiles, file `State_Media_Matrix.csv`,
commit {asd_commit}. Copyright (c) 2023 ASD-at-GMF; the MIT licence text is in
`LICENSE-ASD-STATE-MEDIA-PROFILES.txt`. Seed data (country, media company, main assets,
typology) from the State Media Monitor, Media and Journalism Research Center,
https://statemediamonitor.com. Changes: rows grouped into outlets by name and domain; URLs
reduced to domains; typology mapped to `state_affiliation` (SC → state-controlled; CaPu, CaPr →
state-captured; ISFM, ISF, ISM, IP → state-funded independent); role inferred from the asset
names; curated names and roles for some outlets.

## CRED-1 — CC BY 4.0
CRED-1 by Alexander Loth, https://github.com/aloth/cred-1, `data/cred1_current.csv`, commit
{cred1_commit}, DOI 10.5281/zenodo.18769460. Copyright (c) 2026 Alexander Loth. Licensed under
CC BY 4.0, https://creativecommons.org/licenses/by/4.0/ (full text in
`LICENSE-CRED-1-CC-BY-4.0.txt`, the dataset's own attribution notice in
`ATTRIBUTION-CRED-1.md`). Built from OpenSources.co (CC BY 4.0) by Melissa Zimdars et al. and the
Iffy.news Index (MIT) by iffy.news / Reynolds Journalism Institute. Changes: each domain's
category and credibility score attached as a rating to the outlet owning the domain. CRED-1
lists domains known to be low-credibility; a domain missing from it is not thereby credible.
No warranties are given, see the licence.

## Wikipedia perennial sources — CC BY-SA 3.0
Derived from "Wikipedia:Reliable sources/Perennial sources" by Wikipedia contributors,
{wikipedia_page}, as scraped on {wikipedia_date} by
https://github.com/Kudusch/wikipedia-perennial-sources (commit {wikipedia_commit}). Licensed
under CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/ (notice in
`LICENSE-WIKIPEDIA-CC-BY-SA-3.0.md`). Changes: statuses attached as ratings to the outlet
owning the listed domains, names split into name and aliases. This is an old snapshot:
statuses may have changed since. `wikipedia-perennial-sources.json` is distributed under CC
BY-SA 3.0, separately from the MIT-licensed code of this project; adaptations of it must keep
that licence.
"""

WIKIPEDIA_LICENCE = """\
# wikipedia-perennial-sources.json — CC BY-SA 3.0

`wikipedia-perennial-sources.json` in this folder is an adaptation of
"Wikipedia:Reliable sources/Perennial sources" by Wikipedia contributors
(https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources; authors: see the
page history), via the scraped snapshot of {wikipedia_date} at
https://github.com/Kudusch/wikipedia-perennial-sources.

It is licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported licence:
https://creativecommons.org/licenses/by-sa/3.0/legalcode

You may share and adapt it, also commercially, provided you give appropriate credit, link to
the licence, indicate changes, and distribute your contributions under the same licence. The
licence comes without warranties. This licence covers only that file; the code of provenance is
MIT-licensed, and the other data files carry their own licences (see NOTICE.md).
"""


def build(data: Path) -> dict[str, str | bytes]:
    """The registry folder's files, name → content."""
    base = build_base(data)
    wikipedia = build_wikipedia(data, base)
    cred1 = build_cred1(data, base, wikipedia)
    values = {
        "asd_commit": source_commit(data / "state-media-profiles"),
        "cred1_commit": source_commit(data / "cred-1"),
        "wikipedia_commit": source_commit(data / "wikipedia-perennial-sources"),
        "wikipedia_page": WIKIPEDIA_PAGE,
        "wikipedia_date": WIKIPEDIA_DATE,
    }
    return {
        "outlets.json": dump(base),
        "wikipedia-perennial-sources.json": dump(wikipedia),
        "cred-1.json": dump(cred1),
        "NOTICE.md": NOTICE.format(**values),
        "LICENSE-WIKIPEDIA-CC-BY-SA-3.0.md": WIKIPEDIA_LICENCE.format(**values),
        "LICENSE-ASD-STATE-MEDIA-PROFILES.txt": (data / "state-media-profiles" / "LICENSE").read_bytes(),
        "LICENSE-CRED-1-CC-BY-4.0.txt": (data / "cred-1" / "LICENSE").read_bytes(),
        "ATTRIBUTION-CRED-1.md": (data / "cred-1" / "ATTRIBUTION.md").read_bytes(),
    }


def write(files: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        (out / name).write_bytes(data)


def differences(files: dict, out: Path) -> list[str]:
    changed = []
    for name, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = out / name
        if not path.exists() or path.read_bytes() != data:
            changed.append(name)
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the shared data (default ../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="registry folder to write")
    parser.add_argument("--check", action="store_true", help="only compare with the files in --out; exit 1 on a difference")
    args = parser.parse_args(argv)
    if not (args.data / "state-media-profiles" / "State_Media_Matrix.csv").exists():
        print(f"build_outlets: no shared data under {args.data}", file=sys.stderr)
        return 2
    files = build(args.data)
    if args.check:
        changed = differences(files, args.out)
        for name in changed:
            print(f"build_outlets: {args.out / name} differs from a fresh build", file=sys.stderr)
        return 1 if changed else 0
    write(files, args.out)
    counts = {name: len(json.loads(content)) for name, content in files.items() if name.endswith(".json")}
    print(f"build_outlets: wrote {args.out} ({', '.join(f'{n}: {c}' for n, c in counts.items())})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
