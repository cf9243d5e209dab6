"""Read files and directories into raw records: txt, md, html/htm, jsonl, jsonl.gz.

Reading never raises on bad input: every unreadable file or line becomes a `Problem`
naming the file (and line), and the rest of the batch goes on. JSONL is streamed line by
line and gzip input is decompressed with a hard cap, so neither a huge file nor a
decompression bomb can exhaust memory.
"""
from __future__ import annotations

import codecs
import gzip
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from . import SCHEMA_DIR

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".jsonl.gz")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024 * 1024
KNOWN_FIELDS = ("id", "text", "title", "url", "source", "author", "date", "language")

# Encodings whose decodings charset-normalizer often cannot tell apart on short text;
# Western European news (German, French, Spanish) is by far our commonest case.
_CENTRAL_EUROPEAN_MARKS = set("¹³¿¥Ÿøìù¾ð")


@dataclass
class RawRecord:
    """A document as read, before analysis: its text and the metadata the input gave."""

    id: str
    text: str
    origin: str
    format: str
    given: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


@dataclass
class Problem:
    origin: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.message}"


def input_format(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return {"htm": "html", "jsonl.gz": "jsonl"}.get(suffix[1:], suffix[1:])
    return None


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    """Files named and files found (recursively, in sorted order) under directories named."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield Problem(str(raw), "no such file or directory")
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and input_format(child):
                        yield child
        elif input_format(path) is None:
            yield Problem(str(raw), f"unsupported file type (expected one of {', '.join(SUFFIXES)})")
        else:
            yield path


def read_paths(paths: Iterable[str | Path]) -> Iterator[RawRecord | Problem]:
    for item in expand_paths(paths):
        if isinstance(item, Problem):
            yield item
        else:
            yield from read_file(item)


def read_file(path: Path) -> Iterator[RawRecord | Problem]:
    fmt = input_format(path)
    try:
        if fmt == "jsonl":
            yield from read_jsonl(path)
            return
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            yield Problem(str(path), f"file too large ({size / 2**20:.1f} MiB; limit {MAX_DOCUMENT_BYTES // 2**20} MiB per document)")
            return
        data = path.read_bytes()
    except OSError as error:
        yield Problem(str(path), f"cannot read: {error.strerror or error}")
        return
    text = decode(data)
    if isinstance(text, Problem):
        text.origin = str(path)
        yield text
        return
    given: dict = {}
    if fmt == "html":
        text, given = extract_html(text)
        if text is None:
            yield Problem(str(path), "no article text found in HTML")
            return
    if not text.strip():
        yield Problem(str(path), "empty file")
        return
    yield RawRecord(id=path.stem, text=text, origin=str(path), format=fmt, given=given)


def decode(data: bytes) -> str | Problem:
    """Bytes to text: BOMs, then strict UTF-8, then a detector over a short list of likely encodings."""
    if not data:
        return Problem("", "empty file")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _clean(data.decode(encoding))
            except UnicodeDecodeError:
                return Problem("", f"undecodable: starts with a {encoding} byte-order mark but is not {encoding}")
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return _clean(utf16)
        return Problem("", "binary file (contains NUL bytes), not text")
    import charset_normalizer  # for text not in UTF-8 only: importing it costs a check ~50 ms

    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None or best.chaos > 0.3:
        return Problem("", "undecodable: not UTF-8 and no plausible text encoding found")
    encoding = best.encoding
    if encoding != "cp1252" and "cp1252" not in best.could_be_from_charset:
        tied = [r for r in results if r.encoding == "cp1252" and r.chaos <= best.chaos + 0.01]
        if tied and sum(ch in _CENTRAL_EUROPEAN_MARKS for ch in str(tied[0])) < 2:
            encoding = "cp1252"
    elif "cp1252" in best.could_be_from_charset:
        encoding = "cp1252"
    try:
        return _clean(data.decode(encoding))
    except (UnicodeDecodeError, LookupError):
        return _clean(str(best))


def _bomless_utf16(data: bytes) -> str | None:
    even_nuls = data[0:2048:2].count(0)
    odd_nuls = data[1:2048:2].count(0)
    half = min(len(data), 2048) // 2
    if half == 0:
        return None
    encoding = "utf-16-le" if odd_nuls > 0.3 * half and even_nuls < 0.05 * half else (
        "utf-16-be" if even_nuls > 0.3 * half and odd_nuls < 0.05 * half else None
    )
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if "\x00" not in text else None


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")   # control characters other than \t \n \v \f \r


def _clean(text: str) -> str | Problem:
    """Reject what is not text; keep everything else exactly as written."""
    if "\x00" in text:
        return Problem("", "binary file (contains NUL characters), not text")
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        return Problem("", "binary file (control characters), not text")
    return text


def extract_html(html: str) -> tuple[str | None, dict]:
    """Main text and metadata via trafilatura (lxml's HTML parser resolves no external entities)."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception:  # trafilatura raises assorted parser errors on hostile markup
        return None, {}
    if result is None:
        return None, {}
    get = (lambda key: result.get(key)) if isinstance(result, dict) else (lambda key: getattr(result, key, None))
    text = get("text")
    given = {key: get(key) for key in ("title", "url", "date", "author")}
    given["source"] = get("sitename")
    return text, {k: v for k, v in given.items() if v}


@lru_cache(maxsize=1)
def document_validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads((SCHEMA_DIR / "document.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_errors(record: object) -> list[str]:
    """Validation errors as `json_path: message`, sorted for a stable first line."""
    errors = sorted(document_validator().iter_errors(record), key=lambda e: (e.json_path, e.message))
    return [f"{error.json_path}: {error.message}" for error in errors]


def _open_lines(path: Path) -> Iterator[bytes]:
    if path.name.lower().endswith(".gz"):
        stream = gzip.open(path, "rb")
    else:
        stream = open(path, "rb")
    total = 0

    def read_line() -> bytes:
        nonlocal total
        line = stream.readline(MAX_DOCUMENT_BYTES + 1)
        total += len(line)
        if total > MAX_DECOMPRESSED_BYTES:  # checked on every read, inside an over-long line too
            raise _TooLarge(f"input exceeds {_size(MAX_DECOMPRESSED_BYTES)} when decompressed; stopped reading")
        return line

    with stream:
        while True:
            line = read_line()
            if not line:
                return
            if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):
                    line = read_line()
                yield b""  # placeholder: an over-long line, reported by the caller
                continue
            yield line


def _size(limit: int) -> str:
    return f"{limit // 2**30} GiB" if limit >= 2**30 else f"{limit // 2**20} MiB"


class _TooLarge(Exception):
    pass


def record_from_json(record: object, origin: str, number: int, stem: str) -> RawRecord | Problem:
    """One decoded JSONL record: validated against the schema, text that is text, default id
    `<file stem>-<line>`, unknown fields kept (`read_jsonl` and the Spark reader both use it)."""
    errors = schema_errors(record)
    if errors:
        return Problem(origin, "invalid record: " + "; ".join(errors[:3]), number)
    if not record["text"].strip():
        return Problem(origin, "empty text", number)
    clean = _clean(record["text"])
    if isinstance(clean, Problem):
        return Problem(origin, clean.message.replace("binary file", "binary text"), number)
    return RawRecord(
        id=str(record.get("id") or f"{stem}-{number}"),
        text=record["text"],
        origin=f"{origin}:{number}",
        format="jsonl",
        given={k: record[k] for k in KNOWN_FIELDS[2:] if record.get(k) is not None},
        extra={k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    )


def read_jsonl(path: Path) -> Iterator[RawRecord | Problem]:
    origin = str(path)
    stem = path.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    seen_any = False
    try:
        for number, raw in enumerate(_open_lines(path), start=1):
            seen_any = True
            if raw == b"":
                yield Problem(origin, f"line longer than {MAX_DOCUMENT_BYTES // 2**20} MiB, skipped", number)
                continue
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield Problem(origin, "line is not valid UTF-8", number)
                continue
            except json.JSONDecodeError as error:
                yield Problem(origin, f"malformed JSON ({error.msg} at column {error.colno})", number)
                continue
            yield record_from_json(record, origin, number, stem)
    except (OSError, EOFError, gzip.BadGzipFile, _TooLarge) as error:
        message = str(error) if isinstance(error, _TooLarge) else f"cannot read: {error}"
        if isinstance(error, (EOFError, gzip.BadGzipFile)):
            message = f"corrupt or truncated gzip ({error})"
        yield Problem(origin, message)
        return
    if not seen_any:
        yield Problem(origin, "empty file")
