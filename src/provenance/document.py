"""The plain records every stage passes along: a document and its segments.

Offsets (`start`, `end`) always index the document's original text as ingested, so any
span shown to a reader can be checked word by word against the stored original.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SEGMENT_KINDS = ("title", "dateline", "sentence", "url", "debris")
BOILERPLATE_REASONS = (
    "dateline",       # "Peking (ots/PRNewswire) -": metadata, not content
    "url",            # a source URL line
    "ui-text",        # "Zurück zum Anfang", "Teilen", cookie notices, "Pressemeldung herunterladen (PDF)"
    "byline",         # "NAG", "Von Max Muster", "(dpa)" alone on a line
    "section-label",  # "Deutschland" above the headline
    "credit",         # "Foto: dpa", "© Reuters"
    "recurring",      # a line that recurs across many documents of one outlet
    "teaser",         # "Lesen Sie auch: …" and the other article's headline and lead
    "notice",         # a crisis-line notice under the story: "… kontaktieren Sie die Telefonseelsorge"
)


@dataclass
class Segment:
    """One sentence (or title, dateline, URL, debris line) of a document."""

    n: int
    kind: str
    paragraph: int
    start: int
    end: int
    text: str
    boilerplate: bool = False
    reason: str | None = None


@dataclass
class Document:
    """One article as read from disk, with what we learnt about it."""

    id: str
    text: str
    origin: str = ""
    format: str = "txt"
    title: str | None = None
    url: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None
    dateline: str | None = None
    wire_credit: str | None = None
    metadata: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)
    content_hash: str = ""
    segments: list[Segment] = field(default_factory=list)
