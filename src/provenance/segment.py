"""Paragraphs and sentences with character offsets into the original text.

Sentences come from syntok, run on the normalised paragraph and mapped back through the offset
map; a small rule layer fixes its misses on German news (ordinals, a few abbreviations, wire
datelines). Titles, datelines, URL lines and scrape debris get their own segments so that later
stages can leave them out of matching without losing them.
"""
from __future__ import annotations

import re

from syntok import segmenter
from syntok._segmentation_states import State
from syntok.tokenizer import Tokenizer

from . import agencies
from .document import Segment
from .normalize import BLANKS, normalize, original_span

# --- paragraphs ----------------------------------------------------------------------------------

MIN_WRAP_WIDTH = 40     # narrower "wraps" are lists or verse, not a wrapped text
MAX_WRAP_WIDTH = 250    # nobody hard-wraps wider; long lines are one paragraph each
NEAR_WIDTH = 0.8        # a wrapped line fills at least this share of the width
MIN_NEAR_LINES = 3
MIN_NEAR_SHARE = 0.4    # of the lines followed by another line
CONTINUATION_WIDTH = 0.5  # a line this full that stops mid-sentence, then lower case: a wrap

_LINE_END_TERMINAL = re.compile(r"""[.!?:;…]["'»«“”’)\]]*$""")
_BLOCK_START = re.compile(r"(?:#|>|[*+•]\s|\|)")
_LIST_ITEM = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s")
_FIRST_WORD = re.compile(r"\S+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans in the original text, trimmed of surrounding whitespace.

    Blank lines always separate. A single newline joins two lines only when the text is
    hard-wrapped and the line before it was ended by the wrap; otherwise it is a break
    (scraped text often has one paragraph per line).
    """
    lines = _lines(text)
    if not lines:
        return []
    width = _wrap_width(text, lines)
    paras: list[list[int]] = []
    previous = None
    for start, end, blank_before in lines:
        if previous is not None and width and _is_wrap(text, previous, (start, end), width, blank_before):
            paras[-1][1] = end
        else:
            paras.append([start, end])
        previous = (start, end)
    return [(start, end) for start, end in paras]


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """Non-blank lines as (start, end, blank line before it), trimmed of whitespace."""
    lines = []
    pos = 0
    blank = False
    for line_end in [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]:
        line = text[pos:line_end]
        stripped = line.strip(BLANKS)
        if stripped:
            lead = len(line) - len(line.lstrip(BLANKS))
            lines.append((pos + lead, pos + lead + len(stripped), blank))
            blank = False
        else:
            blank = True
        pos = line_end + (2 if text.startswith("\r\n", line_end) else 1)
    return lines


def _wrap_width(text: str, lines: list[tuple[int, int, bool]]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it does not look wrapped."""
    if len(lines) < MIN_NEAR_LINES + 1:
        return None
    lengths = [end - start for start, end, _ in lines]
    followed = [lengths[i] for i in range(len(lines) - 1) if not lines[i + 1][2]]
    if len(followed) < MIN_NEAR_LINES:
        return None
    for width in sorted(set(lengths), reverse=True)[:4]:  # a few over-long lines (URLs) may stick out
        if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
            continue
        near = sum(1 for n in followed if NEAR_WIDTH * width <= n <= width)
        if near >= MIN_NEAR_LINES and near >= MIN_NEAR_SHARE * len(followed):
            return width
    return None


def _is_wrap(text: str, before: tuple[int, int], after: tuple[int, int], width: int, blank: bool) -> bool:
    """Whether the line break between two lines of a hard-wrapped text is only the wrap."""
    prev = text[before[0]:before[1]]
    nxt = text[after[0]:after[1]]
    if _BLOCK_START.match(prev) or _BLOCK_START.match(nxt):
        return False
    if _LIST_ITEM.match(nxt) and _LIST_ITEM.match(prev):
        return False
    if _line_reason(prev) or _line_reason(nxt):
        return False
    stops_mid_sentence = not _LINE_END_TERMINAL.search(prev) and nxt[:1].islower()
    if blank:  # a page break inside a sentence: "... Zusammenarbeit\n\n\n\norganisiert, ..."
        return stops_mid_sentence and len(prev) >= NEAR_WIDTH * width
    if len(prev) >= NEAR_WIDTH * width:
        return True
    if len(prev) < CONTINUATION_WIDTH * width:
        return False
    next_would_not_fit = len(prev) + 1 + len(_FIRST_WORD.match(nxt).group()) > width
    hyphenated = prev.endswith("-") and prev[-2:-1].isalpha()
    return next_would_not_fit or hyphenated or stops_mid_sentence


# --- debris, urls, datelines ---------------------------------------------------------------------

_Q = "[\"„“”«»‚‘’']"
# Phrases that are page furniture wherever they occur, even inside a scraped paragraph.
UI_PHRASES = (
    f"Schaltfläche {_Q}Zurück zum Anfang{_Q}",
    "Zurück zum Anfang",
    "Back to top",
    r"Pressemeldung herunterladen \(PDF\)",
    r"Pressemitteilung herunterladen \(PDF\)",
    "Pressemeldung als PDF",
    "Pressemitteilung als PDF",
    "Artikel teilen",
    "Lesen Sie auch",
    "Mehr zum Thema",
    "Newsletter abonnieren",
    "Alle Rechte vorbehalten",
    "All rights reserved",
    "Das könnte Sie auch interessieren",
    "Beitrag per E-Mail versenden",
    "Hier können Sie die Rechte an diesem Artikel erwerben",
    "ZUM THEMA",
)
# Cut out of a paragraph wherever they occur: the phrases above, and FAZ's "2 Min. Permalink: URL".
# A phrase opening a bracket ("[Lesen Sie auch: teaser]") takes the whole bracket with it.
_TEASERS = "Lesen Sie auch|Mehr zum Thema|Auch interessant|Lesetipp|Surftipp|Lesen Sie hier"
_UI = "|".join(p.replace(" ", r"\s+") for p in UI_PHRASES)
_INLINE = re.compile(
    r"(?P<url>(?:\d+\s+Min\.\s+)?Permalink:\s*https?://\S+)"
    rf"|(?P<teaser>(?:{_TEASERS})\s*:\s*"
    r"[^\n.!?:\[\]]{3,100}[.!?]?)"
    rf"|(?P<ui>(?:{_UI})(?:(?<!\w)|(?!\w))(?:\s*:|\.)?)"
)
# Every _INLINE match holds one of these as it stands. A search for them is fast (each starts with
# a letter, so the regex engine skips to the candidates), a search for _INLINE is not (it tries
# every position): a paragraph that holds none of them has no _INLINE match.
_INLINE_WORDS = re.compile(f"Permalink|{_TEASERS}|{_UI}")
_BREADCRUMB = re.compile(r"Startseite(?:\s+[A-ZÄÖÜ][\w&-]*)?(?=\s)")

# Short strings that are UI only when they make up a whole line (compared case-folded).
UI_LINES = frozenset(
    item.strip().casefold()
    for item in """
    Teilen|Share|Drucken|Print|Artikel drucken|Seite drucken|Anzeige|Werbung|Advertisement|Sponsored|
    Nach oben|Zum Seitenanfang|Startseite|Home|Menü|Menu|Suche|Search|Schließen|Close|Login|Anmelden|
    Registrieren|Abonnieren|Subscribe|Kommentare|Kommentieren|Comments|Weiterlesen|Mehr lesen|
    Read more|Mehr erfahren|Learn more|Zum Artikel|Zur Startseite|Auch interessant|Related|
    Related articles|Ähnliche Artikel|Empfohlene Artikel|Facebook|Twitter|WhatsApp|E-Mail|Email|
    Pinterest|LinkedIn|Xing|Tweet|Link kopieren|Copy link|Artikel merken|Merken|Vorlesen|
    Artikel vorlesen|Artikel anhören|Bildergalerie|Video abspielen|Skip to content|
    Zum Inhalt springen|Folgen Sie uns|Follow us|Impressum|Datenschutz|Datenschutzerklärung|
    Cookie-Einstellungen|Cookie settings|Alle akzeptieren|Accept all|Accept all cookies|
    PDF herunterladen|Download PDF|Jetzt abonnieren|Newsletter|Top-Themen|Mehr Nachrichten
    """.split("|")
)
_UI_LINE = re.compile(
    r"(?:Lesedauer|Lesezeit|Reading time)\s*:?\s*(?:ca\.\s*)?\d+\s*(?:Min\.?|Minuten|minutes?|min)"
    r"|\d+\s*(?:Min\.?|Minuten)\s+Lesezeit"
    r"|(?:Wir verwenden|Diese (?:Web)?[Ss]eite verwendet|Diese Website nutzt|We use|This (?:web)?site uses)"
    r" (?:\w+ )?Cookies\b.{0,400}",
    re.IGNORECASE | re.DOTALL,
)
# The notice that press codes ask for under reports of suicide and crises (German Pressekodex
# 8.7, the Samaritans' and the 988 Lifeline's media guidelines): a crisis line and an address to
# the reader. Outlets print it word for word under unrelated stories, so it is a standing text,
# never the story's own words, and two stories sharing it share nothing.
_HELPLINE = re.compile(
    r"Telefonseelsorge|Telefon-Seelsorge|Nummer gegen Kummer|Hilfetelefon|Suizidprävention"
    r"|Samaritans|Suicide (?:and|&) Crisis Lifeline|Suicide Prevention Lifeline|Crisis Text Line"
    r"|0800[ -]?111[ -]?0[ -]?(?:111|222)|\b116[ -]?123\b|\b(?:call|text|dial)(?: or (?:call|text|dial))? 988\b"
)
# ... and speaks to the reader, or in a notice's words ('Hilfe bietet …', 'steht … zur Verfügung'; a
# bare 'Hilfe' is any story's word)
_READER = re.compile(
    r"\b(?:Sie|Ihnen|Ihr|du|dich|dir|euch|Hilfsangebote?|kostenlos|kostenfrei|anonym|rund um die Uhr|Suizidgefahr"
    r"|Krisensituation(?:en)?|Hilfsstellen|Hilfe bietet|bietet (?:\w+ ){0,3}Hilfe|zur Verfügung"
    r"|you|your|free|confidential|24/7)\b"
)
HELPLINE_CHARS = 400


def _is_helpline_notice(sentence: str) -> bool:
    """A crisis-line notice: it names a crisis line and speaks to the reader ('Sollten Sie …,
    kontaktieren Sie die Telefonseelsorge', 'If you …, call or text 988') or reads as a notice
    ('Bei Suizidgefahr: …', 'rund um die Uhr erreichbar', 'free and confidential')."""
    return len(sentence) <= HELPLINE_CHARS and bool(_HELPLINE.search(sentence)) and bool(_READER.search(sentence))


_AGENCY = rf"(?:{agencies.alternation(agencies.forms())})"
_HANDLE = r"[\w.]{2,12}"  # desk initials or outlet next to an agency: "RND/dpa", "lohe./dpa"
_AGENCIES = rf"\(?(?:{_HANDLE}\s*[/,]\s*)*{_AGENCY}(?:\s*[/,]\s*{_HANDLE})*\)?"
_NAME = r"[A-ZÄÖÜ][\w.'-]+(?:\s+[A-ZÄÖÜ][\w.'-]+){0,3}"
_BYLINE = re.compile(
    rf"[A-ZÄÖÜ]{{2,4}}|(?:[—–-]{{1,2}}\s*)?{_AGENCIES}"  # '— AFP' closes English stories
    rf"|\(?mit (?:Material (?:von|der|aus) )?{_AGENCIES}(?:\s*(?:,|und)\s*{_AGENCIES})*\)?"
    rf"|(?:Von|By|Text|Autor|Autorin|Author)\s*:?\s+{_NAME}(?:\s*(?:,|und|and)\s*{_NAME})?"
)
_CREDIT = re.compile(
    r"(?:(?:Foto|Fotos|Bild|Bilder|Grafik|Illustration|Titelbild|Symbolbild|Photo|Image|Credit)\s*:"
    r"|©|\([cC]\)|Copyright)\s*[^\s?!][^?!]{0,80}"
    r"|\(?(?:Quelle|Source)\s*:\s*[\w.&+-]+(?:(?:\s*[,/]\s*|\s+)[\w.&+-]+){0,3}\)?"
)
# An English wire story's sign-off: who reported and who edited (Reuters: "(Reporting by Jane Doe
# in London; Editing by Bill Roe)"), who contributed (AP: "The Associated Press contributed to this
# report."). The newsroom's furniture, as "Quelle: dpa" is; two stories by one reporter share it.
_SIGN_OFF = re.compile(
    r"\(?(?:Additional\s+)?[Rr]eporting by\s[^()\n]{2,200}?[;,]?\s+(?:[Ee]diting|[Ww]riting) by\s[^()\n]{2,120}?\)?\.?"
    r"|[^.!?\n]{2,120}?\bcontributed (?:to this (?:report|story)|reporting)(?:\s+from\s[^.!?\n]{2,60})?\."
    r"|(?:With\s+(?:[Aa]dditional\s+)?|Additional\s+)reporting (?:by|from)\s[^.!?\n]{2,80}\.?"
)
MAX_SIGN_OFF_CHARS = 300
# Each sign-off has one of these words: a substring test spares the pattern for every other line and
# sentence, which was half the time `_debris_reason` took on German news.
_SIGN_OFF_WORDS = ("Reporting", "reporting", "contributed")
_INNER_SENTENCE_END = re.compile(r"[.!?][\"“”»]?\s+[A-ZÄÖÜ]")
_SECTION_LABEL = re.compile(r"[A-ZÄÖÜ][\w&-]*(?: [\w&-]+)?")
_URL_LINE = re.compile(r"(?:[^\s:]{0,20}(?: [^\s:]+){0,2}\s*:\s*)?<?(?:https?://|www\.)\S+?>?")  # "Quelle: URL" too

# Wire datelines: "BERLIN (dpa) -", "Berlin/Paris (AFP) -", "(Reuters) -",
# "WASHINGTON, July 3 (Reuters) -", "NEW YORK, July 3, 2024 /PRNewswire/ --", and with the
# state or country AP puts after every place outside a few big cities: "SPRINGFIELD, Ill. (AP) —",
# "KYIV, Ukraine (AP) —". Use .match().
_PLACE_WORD = r"[A-ZÄÖÜ][\w.'’-]*"
DATELINE_RE = re.compile(
    rf"(?:(?P<place>{_PLACE_WORD}(?:(?:\s+|\s*/\s*)(?:(?:am|an der|upon|de|del|la|le)\s+)?{_PLACE_WORD}){{0,3}})"
    rf"(?:\s*,\s*(?P<region>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}}))?"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s*,\s*\d{4})?|\d{1,2}\.\s*[A-ZÄÖÜ][a-zä]+(?:\s+\d{4})?))?"
    r"\s+)?"
    rf"(?:\((?=[^()\n]{{1,40}}\))|/(?=[^/\n]{{1,40}}/))"
    rf"(?P<credit>(?:[\w.-]+/)*(?i:{_AGENCY})(?:[/-][\w.-]+)*)"
    r"[)/]\s*(?:--?|–|—)(?![\w-])"
)
DATELINE_PARAGRAPHS = 3  # a dateline opens one of the first body paragraphs
_MARKUP = re.compile(r"[*_]*")  # Markdown emphasis around a dateline: "**BERLIN (dpa) -**"


def _line_reason(line: str) -> str | None:
    """The debris reason of a whole line, or None."""
    return _debris_reason(normalize(line).text) if len(line) <= 500 else None


def _debris_reason(key: str) -> str | None:
    """The debris reason of a normalised whole line or sentence; real sentences must pass."""
    if len(key) <= 160:
        if key.casefold().rstrip(" .:!") in UI_LINES or _BREADCRUMB.fullmatch(key):
            return "ui-text"
        ui = _INLINE.fullmatch(key)
        if ui:
            return "url" if ui.lastgroup == "url" else "ui-text"
        if _URL_LINE.fullmatch(key):
            return "url"
        if len(key) <= 80 and _BYLINE.fullmatch(key):
            return "byline"
        if _CREDIT.fullmatch(key) and len(key) <= 100:
            return "credit"
    if len(key) <= MAX_SIGN_OFF_CHARS and any(word in key for word in _SIGN_OFF_WORDS) and _SIGN_OFF.fullmatch(key):
        return "credit"
    if _UI_LINE.fullmatch(key):
        return "ui-text"
    return None


def _is_section_label(line: str) -> bool:
    return len(line) <= 30 and bool(_SECTION_LABEL.fullmatch(line))


def _is_headline(line: str, single_line: bool) -> bool:
    """A title: short and without a sentence-final full stop (short one-liners may have one)."""
    if len(line) > 300 or not any(c.isalnum() for c in line):
        return False
    if not line.rstrip("\"'“”»«’ ").endswith(".") or line.endswith(("...", "…")):
        return True
    return single_line and len(line) <= 160 and not _INNER_SENTENCE_END.search(line)


# --- sentences -----------------------------------------------------------------------------------

_TOKENIZER = Tokenizer(replace_not_contraction=False)
_INNER_TERMINAL = re.compile(r"""[.!?;][.!?"')\]]*(?:\s|[A-ZÄÖÜ])""")
# A full stop, question or exclamation mark (and a closing quote), a space and a capital: after a
# word of two letters or more that is no abbreviation, syntok always splits there. Before a number
# ("... publiziert hat. 300 Schiffe ...") syntok does not, but a full stop after a word of three
# letters or more that is no abbreviation ends a sentence there too.
_SENTENCE_END = re.compile(r"""[.!?][!?]?["']?(?= "?[A-ZÄÖÜ]| \d)""")

MONTHS = frozenset(
    """Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November Dezember
    January February March May June July October December
    Jan Feb Mär Mrz Apr Jun Jul Aug Sep Sept Okt Nov Dez Mar Oct Dec
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre""".split()
)
# Capitalised words that open a new sentence after a number rather than follow an ordinal.
STARTERS = frozenset(
    """Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ich Ihr Man Du
    Dies Diese Dieser Dieses Diesen Jene Dann Doch Aber Und Oder Auch Als Am Im In Ins An Auf Aus
    Bei Beim Mit Nach Seit Von Vom Vor Zu Zum Zur Für Gegen Um Über Unter Wie Was Wer Wo Wann Warum
    Wenn Weil Da Damit Dabei Dadurch Danach Davor Dazu Deshalb Daher Darauf Darüber Trotzdem Zudem
    Außerdem Allerdings Jedoch Nun Jetzt Heute Gestern Morgen So Somit Insgesamt Laut Noch Nur Mehr
    Bereits Schon Erst Hier Dort Alle Viele Einige Mehrere Kein Keine Ob Sein Seine Ihre Unser
    Unsere Mein Meine Zwar Bis Nicht Zuvor Zuletzt Anschließend Inzwischen Mittlerweile Später
    Bislang Bisher Derzeit Aktuell Etwa Rund Fast Knapp Ab Sowohl Weder Wegen Während Trotz Ohne
    Statt Neben Zwischen Hinter Denn Sondern Also Immerhin Vielleicht Zunächst Schließlich Ebenfalls
    The A An He She It They We You I This That These Those There Then But And Or So In On At For
    With By From As If When While After Before Since His Her Its Their Our My One Some Many All""".split()
)
# Words before a number that make it a count ("stieg auf 120. Experten ..."), not an ordinal.
CARDINAL_CONTEXT = frozenset(
    """bei auf um von über unter mit rund etwa knapp fast nur noch gut ca circa als bis insgesamt
    Platz Rang Seite Kapitel Teil Folge Nummer Nr Artikel Absatz Paragraf Stufe Level Runde""".split()
)
# Abbreviations that never end a sentence in news text, but that syntok splits after.
ABBREVIATIONS = frozenset(
    """sog vgl bzw ggf evtl inkl zzgl ca Nr Abs Bd Hrsg Dipl Ing geb Prof Dr St Fa Hr bspw gem
    lt insb Kap Ziff Anm stellv stv Tel Str Jg Verf Rn Rz Bl Ausg Sp Sa So Mo Di Mi Do Fr""".split()
)
# syntok lists Spanish "es" as an abbreviation; German sentences end in "es." all the time.
_NOT_SENTENCE_FINAL = frozenset(
    ABBREVIATIONS | State.abbreviations | State.months | State.roman_numerals
) - {"es"}
_ORDINAL_END = re.compile(r"(?:^|(?<=[\s(\[]))(?:(?P<before>[^\W\d_]+)\.?\s+)?(?P<number>\d{1,3})\.$")
_ABBREVIATION_END = re.compile(r"(?<![\w.])(?P<word>[^\W\d_]+)\.$")
# What the character before the final full stop must be for either pattern to match: checked
# first, as searching 40 characters for them costs microseconds and most sentences end in a word.
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
_NEXT_WORD = re.compile(r"""["'(\[]*(?P<word>[^\W\d_]+|\d+\.?)""")


def segment(text: str, language: str | None = "de") -> list[Segment]:
    """Title, dateline, sentence, URL and debris segments of a text, with original offsets."""
    spans = paragraphs(text)
    segments: list[Segment] = []
    title_seen = dateline_seen = False
    body_paragraphs = 0

    def add(kind, paragraph, start, end, reason=None):
        segments.append(Segment(
            n=len(segments), kind=kind, paragraph=paragraph, start=start, end=end,
            text=text[start:end], boilerplate=reason is not None, reason=reason,
        ))

    for index, (start, end) in enumerate(spans):
        line = text[start:end]
        if not any(c.isalnum() for c in line):
            continue
        reason = _line_reason(line)
        if reason:
            add("url" if reason == "url" else "debris", index, start, end, reason)
            continue
        if not title_seen:
            if _is_section_label(line) and _next_is_headline(text, spans, index):
                add("debris", index, start, end, "section-label")
                continue
            title_seen = True
            if not DATELINE_RE.match(line) and _is_headline(line, "\n" not in line) and index + 1 < len(spans):
                add("title", index, start, end)
                continue
        if body_paragraphs < DATELINE_PARAGRAPHS and not dateline_seen:
            markup = _MARKUP.match(text, start, end).end()
            dateline = DATELINE_RE.match(text, markup, end)
            if dateline:
                dateline_end = _MARKUP.match(text, dateline.end(), end).end()
                add("dateline", index, start, dateline_end, "dateline")
                dateline_seen = True
                start = _skip_space(text, dateline_end, end)
        body_paragraphs += 1
        if start < end:
            _body(text, start, end, index, language, add)
    return segments


def _next_is_headline(text: str, spans: list[tuple[int, int]], index: int) -> bool:
    for start, end in spans[index + 1:]:
        line = text[start:end]
        if _line_reason(line) or _is_section_label(line):
            continue
        return _is_headline(line, "\n" not in line)
    return False


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


# "Lesen Sie auch Kann er die Koalition noch retten? Der Kanzler ringt seit Wochen um …":
# after a teaser marker come the headline and lead of another article. They are a link, not
# this article's text, and they would match that article word for word.
_TEASER_MARKER = re.compile(
    r"(?:Lesen Sie auch|Lesen Sie hier|Lesen Sie mehr|Mehr zum Thema|ZUM THEMA|Auch interessant|Lesetipp|Surftipp"
    r"|Das könnte Sie auch interessieren|Read more|Related)\b",
    re.IGNORECASE,
)
TEASER_SENTENCES = 2      # headline and lead
TEASER_CHARACTERS = 300
TEASER_HEADLINE = 100     # characters: a headline is short
# A box of headlines without full stops ("ZUM THEMA Mietpreise: … bremst die Pläne
# Wohnungsbau: Ministerin kündigt … an Eine Gruppe von Abgeordneten …") runs into the
# article's next sentence: a first piece up to this long after a bare marker is the box, the
# article's sentence lost with it rather than the headlines kept as text that matches their articles.
TEASER_RUN_ON = 600


# '… sein Hilfspaket. Bild: Max Muster/AP/dpa Mit einem …': a photo credit inside a paragraph ends
# the caption that the scrape ran into the text. The caption (the sentence before the credit, a
# gallery's 'Fotostrecke' and title too) and the credit are no article's text: one agency photo
# and its caption appear in every outlet that runs it, one gallery in several of an outlet's pages.
_PHOTO_CREDIT = re.compile(
    r"\b(?:Foto|Fotos|Bild|Bilder|Grafik|Illustration|Photo|Image)\s?:\s?[^.!?\n:/]{1,80}?"
    r"(?:\s?/\s?[\w.-]+(?:\s(?:[A-ZÄÖÜ]{2,}|[Ii]mages)\b(?:/[\w.-]+)*)*)+(?=\s+[A-ZÄÖÜ„»\"]|\s*$)"
)
_CAPTION_BREAK = re.compile(r"[.!?…][\"“”»«']?\s+")
CAPTION_CHARACTERS = 300  # a longer piece before a credit is the article's text, not a caption


def _captions(text: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    """Each photo credit inside the paragraph with its caption: the sentence before it, back to
    the last sentence end (or the previous credit, or the paragraph's start)."""
    found = []
    floor = start
    for credit in _PHOTO_CREDIT.finditer(text, start, end):
        if credit.start() > start and text[credit.start() - 1].isalnum():
            continue
        head = text[floor:credit.start()].rstrip()
        head = head[:-1] if head[-1:] in ".!?…" else head  # the caption's own full stop
        breaks = [m.end() for m in _CAPTION_BREAK.finditer(head)]
        caption = floor + (breaks[-1] if breaks else 0)
        if credit.start() - caption > CAPTION_CHARACTERS:
            caption = credit.start()
        found.append(("debris", "caption", caption, credit.end()))
        floor = credit.end()
    return found


def _body(text: str, start: int, end: int, paragraph: int, language: str | None, add) -> None:
    """Sentences of a body paragraph, with UI phrases, permalinks and photo captions inside it
    cut out, and the headline and lead that follow a teaser marker marked as a teaser."""
    pos = start
    teaser = 0
    cuts = []
    for cut in sorted(_inline_debris(text, start, end) + _captions(text, start, end), key=lambda c: (c[2], -c[3])):
        if cuts and cuts[-1][3] > cut[2]:
            if cut[1] != "caption" or cuts[-1][3] >= cut[3]:
                continue
            cut = (*cut[:2], cuts[-1][3], cut[3])  # a caption reaching back into a cut starts after it
        cuts.append(cut)
    for kind, reason, cut_start, cut_end in cuts:
        _sentences(text, pos, cut_start, paragraph, language, add, teaser)
        add(kind, paragraph, cut_start, cut_end, reason)
        pos = cut_end
        teaser = _teaser_sentences(text[cut_start:cut_end])
    _sentences(text, pos, end, paragraph, language, add, teaser)


def _teaser_sentences(cut: str) -> int:
    """How many sentences after a cut belong to a teaser: the headline and lead after a bare
    marker, the lead after 'Marker: headline' without a full stop, none after 'Marker: a whole
    sentence.' or a bracketed teaser (cut whole)."""
    if cut[:1] in "[(" or not _TEASER_MARKER.match(cut):
        return 0
    _, colon, after = cut.partition(":")
    if not colon or len(after.strip()) <= 3:
        return TEASER_SENTENCES
    return 0 if after.rstrip()[-1:] in ".!?" else TEASER_SENTENCES - 1


def _inline_debris(text: str, start: int, end: int) -> list[tuple[str, str, int, int]]:
    found = []
    crumb = _BREADCRUMB.match(text, start, end)
    if crumb:
        found.append(("debris", "ui-text", start, crumb.end()))
    if not _INLINE_WORDS.search(text, crumb.end() if crumb else start, end):
        return found
    for match in _INLINE.finditer(text, crumb.end() if crumb else start, end):
        if match.start() > 0 and text[match.start() - 1].isalnum():
            continue
        if match.lastgroup == "url":
            found.append(("url", "url", match.start(), match.end()))
            continue
        cut_start, cut_end = match.span()
        if cut_start > start and text[cut_start - 1] in "[(":
            close = text.find("]" if text[cut_start - 1] == "[" else ")", cut_end, min(end, cut_end + 300))
            if close != -1:
                cut_start, cut_end = cut_start - 1, close + 1
        if not found or found[-1][3] <= cut_start:
            found.append(("debris", "ui-text", cut_start, cut_end))
    return found


def _sentences(text: str, start: int, end: int, paragraph: int, language: str | None, add, teaser: int = 0) -> None:
    norm = normalize(text, start, end)
    if not any(c.isalnum() for c in norm.text):
        return
    teaser_left = TEASER_CHARACTERS
    for n, (i, j) in enumerate(split_sentences(norm.text, language)):
        s, e = original_span(norm, i, j)
        if n == 0 and teaser == TEASER_SENTENCES and TEASER_CHARACTERS < j - i <= TEASER_RUN_ON:
            teaser = 0
            add("debris", paragraph, s, e, "teaser")
            continue
        if teaser > 0 and j - i <= teaser_left:
            # a lead follows only a bare headline; a longer first piece is headline and lead run together
            teaser = teaser - 1 if j - i <= TEASER_HEADLINE else 0
            teaser_left -= j - i
            add("debris", paragraph, s, e, "teaser")
            continue
        teaser = 0
        reason = _debris_reason(norm.text[i:j]) if j - i <= 160 else None
        if reason:
            add("url" if reason == "url" else "debris", paragraph, s, e, reason)
        elif _is_helpline_notice(norm.text[i:j]):
            add("sentence", paragraph, s, e, "notice")
        else:
            add("sentence", paragraph, s, e)


def split_sentences(text: str, language: str | None = "de") -> list[tuple[int, int]]:
    """Sentence spans of one normalised paragraph: syntok, then the rule layer."""
    spans = []
    for start, end in _chunks(text):
        if _INNER_TERMINAL.search(text, start, end):
            for sentence in segmenter.split(_TOKENIZER.tokenize(text[start:end])):
                last = sentence[-1]
                spans.append((start + sentence[0].offset, start + last.offset + len(last.value)))
        else:
            spans.append((start, end))
    if not spans:
        return []
    merged = [spans[0]]
    for span in spans[1:]:
        if _continues(text[merged[-1][0]:merged[-1][1]], text[span[0]:span[1]], language):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _chunks(text: str) -> list[tuple[int, int]]:
    """Cut at plain sentence ends first, so syntok only runs on the doubtful rest.

    syntok costs a Python state change per token; most news sentences end in a plain word, which
    it splits anyway (outside brackets), so those need no syntok at all. The cuts it would miss
    are its mistakes: "gibt es. Danach" ("es" is a Spanish abbreviation to it), "in der AfD. Mit"
    (it splits "AfD" into "Af" "D"), "hat. 300 Schiffe".
    """
    chunks = []
    start = scanned = depth = 0
    for match in _SENTENCE_END.finditer(text):
        word_end = match.start()
        word_start = word_end
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        before_number = text[match.end() + 1].isdigit()
        if before_number and text[word_end] != ".":
            continue
        if (
            word_end - word_start < (3 if before_number else 2)
            or (word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] in "._"))
            or text[word_start:word_end] in _NOT_SENTENCE_FINAL
        ):
            continue
        piece = text[scanned:match.end()]
        depth = max(0, depth + piece.count("(") + piece.count("[") - piece.count(")") - piece.count("]"))
        scanned = match.end()
        if depth:
            continue
        chunks.append((start, match.end()))
        start = match.end() + 1
    if start < len(text):
        chunks.append((start, len(text)))
    return chunks


def _continues(before: str, after: str, language: str | None) -> bool:
    """Whether syntok's split between two sentences falls after an ordinal or an abbreviation."""
    if not before.endswith("."):
        return False
    nxt = _NEXT_WORD.match(after)
    if not nxt:
        return False
    word = nxt.group("word")
    tail = before[-40:]
    last = tail[-2:-1]
    ordinal = _ORDINAL_END.search(tail) if _DIGIT.fullmatch(last) else None
    if ordinal:
        if word in MONTHS:
            return True
        if not (language or "").lower().startswith("de"):
            return False
        if word[0].isdigit():
            return len(word) <= 3 and word.endswith(".")  # "am 3. 10. geboren"
        if _BYLINE.fullmatch(after):
            return False
        return (
            word[0].isupper()
            and word not in STARTERS
            and (ordinal.group("before") or "") not in CARDINAL_CONTEXT
        )
    abbreviation = _ABBREVIATION_END.search(tail) if _LETTER.fullmatch(last) else None
    return bool(abbreviation) and abbreviation.group("word") in ABBREVIATIONS
