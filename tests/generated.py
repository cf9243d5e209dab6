"""A corpus of a few dozen articles with real reuse, generated from the seeds and the fixtures.

Each family is the seed pair and the derivation fixtures, word-ciphered with its own key (every
word consistently replaced by a made-up word of the same shape, digits shifted), plus one
variant with its paragraphs shuffled. Reuse inside a family survives the cipher; families share
no vocabulary, so they do not interfere with each other. Deterministic: same key, same bytes.
"""
from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASES = sorted((ROOT / "examples" / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "derivation").glob("*.txt"))
_WORD = re.compile(r"[^\W\d_]+")
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def cipher_word(word: str, key: int) -> str:
    digest = hashlib.sha256(f"{key}:{word.lower()}".encode("utf-8")).digest()
    letters = [(_CONSONANTS if i % 2 == 0 else _VOWELS)[digest[i % len(digest)] % (14 if i % 2 == 0 else 5)] for i in range(len(word))]
    made = "".join(letters)
    if word.isupper() and len(word) > 1:
        return made.upper()
    if word[:1].isupper():
        return made[:1].upper() + made[1:]
    return made


def cipher(text: str, key: int) -> str:
    if key == 0:
        return text
    text = _WORD.sub(lambda m: cipher_word(m.group(), key), text)
    return re.sub(r"\d", lambda m: str((int(m.group()) + key) % 10), text)


def shuffled(text: str, key: int) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    head, body = paragraphs[:1], paragraphs[1:]
    random.Random(key).shuffle(body)
    return "\n\n".join(head + body) + "\n"


def write_corpus(folder: Path, families: int = 4) -> list[Path]:
    """Write `families` × (bases + 1 shuffled variant) .txt files under `folder`; return them sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key in range(families):
        for base in BASES:
            text = base.read_text(encoding="utf-8")
            path = folder / f"f{key}_{base.stem}.txt"
            path.write_text(cipher(text, key), encoding="utf-8")
            written.append(path)
        rewrite = (ROOT / "tests" / "fixtures" / "derivation" / "rewrite_of_rewrite.txt").read_text(encoding="utf-8")
        path = folder / f"f{key}_shuffled.txt"
        path.write_text(cipher(shuffled(rewrite, key), key), encoding="utf-8")
        written.append(path)
    return sorted(written)


def provenance(*args: str, **kwargs) -> subprocess.Popen:
    """`provenance ARGS` as a separate process, from this interpreter's environment."""
    script = Path(sys.executable).with_name("provenance")
    command = [str(script)] if script.is_file() else [sys.executable, "-c", "from provenance.cli import cli; cli()"]
    return subprocess.Popen(
        [*command, *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )


def final_result(db_path: Path) -> dict:
    """What a finished audit stands for: the report object without its run-specific part."""
    from provenance import pipeline, store

    db = store.open_db(db_path)
    try:
        report = pipeline.report_object(db)
    finally:
        db.close()
    report.pop("run", None)
    return report
