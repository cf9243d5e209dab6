"""Derived tables kept on disk between runs: the place gazetteer, word frequencies, the language
model's arrays, month and currency names, the outlet registry.

Building them from what the installed packages ship takes seconds, most of the time a
one-article `check` would take. Each file is named by a digest of everything its table depends
on (our code, the package versions, the Python version, the inputs' own digest), written whole
(temporary file, then `os.replace`) and read back on the next start. A directory that cannot be
written, a file that cannot be read: the table is built in memory as before. Nothing is downloaded.

The directory is $PROVENANCE_CACHE, else $XDG_CACHE_HOME/provenance, else ~/.cache/provenance.
What it holds is trusted as our own output (pickles among it), so it is the user's own: files
are created readable by their owner only.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import mmap
import os
import pickle
import sys
import tempfile
import threading
import zlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

# Entries of a table decoded together: a shard of 16 words takes microseconds, and a text of a
# thousand words meets a small share of the shards of a language.
SHARD_ENTRIES = 16
# The share of its shards after which a table is read whole, all its shards: reading the rest at
# once costs more than reading each when it is needed (German word frequencies: 0.3 s, against
# 7 microseconds for each of 40k shards), and took 0.4 s of the tenth check in one process when
# a quarter sufficed. An audit asks for its tables whole before it forks (`pipeline.warm_up`).
SHARE_BEFORE_WHOLE = 1.0


def directory() -> Path:
    """Where the tables are kept (see the module docstring)."""
    explicit = os.environ.get("PROVENANCE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "provenance"


@lru_cache(maxsize=None)
def code_digest() -> str:
    """Digest of this package's own source: any change of the code that builds a table retires it."""
    digest = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def package_version(name: str) -> str:
    """The installed version of the package that provides module `name`: read off the one
    .dist-info directory beside it, which spares importing importlib.metadata (~0.05 s)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return "?"
    folder = Path(spec.origin).parent.parent if spec.submodule_search_locations else Path(spec.origin).parent
    with contextlib.suppress(OSError):
        found = [
            entry[:-len(".dist-info")].partition("-")[2] for entry in os.listdir(folder)
            if entry.endswith(".dist-info") and entry.partition("-")[0].lower().replace(".", "_").replace("-", "_") == name.lower()
        ]
        if len(found) == 1:
            return found[0]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _path(name: str, parts: Iterable, suffix: str) -> Path:
    digest = hashlib.blake2b(repr((code_digest(), *parts)).encode(), digest_size=12).hexdigest()
    return directory() / f"{name}-{digest}{suffix}"


def _write(path: Path, write: Callable[[Path], None]) -> bool:
    """Write a file whole or not at all, and retire the tables of the same name it replaces."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        os.close(handle)
    except OSError:
        return False
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    name = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{name}-*{path.suffix}"):
        if old != path and old.name.rsplit("-", 1)[0] == name:
            with contextlib.suppress(OSError):
                old.unlink()
    return True


@contextlib.contextmanager
def _no_collection():
    """The garbage collector paused: unpickling makes objects by the hundred thousand, each batch
    of them starts a collection that walks all made before, and none of them is garbage. Halves
    reading the outlet registry (0.13 s to 0.06 s), a tenth of a one-article check."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def stored(name: str, parts: Iterable, build: Callable[[], T]) -> T:
    """`build()`, pickled under `name` and the key `parts`: read back when present and whole."""
    path = _path(name, parts, ".pickle")
    with contextlib.suppress(Exception):
        with open(path, "rb") as handle, _no_collection():
            return pickle.load(handle)
    value = build()

    def write(temporary: Path) -> None:
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    _write(path, write)
    return value


def arrays(name: str, parts: Iterable, build: Callable[[], dict]) -> dict:
    """A dict of numpy arrays (no objects), kept as one file of raw arrays and mapped from disk
    when read back, so that only the pages looked at are read."""
    import numpy as np

    path = _path(name, parts, ".arrays")
    with contextlib.suppress(Exception):
        with open(path, "rb") as handle:
            layout = marshal.loads(handle.read(int.from_bytes(handle.read(8), "little")))
        return {
            key: np.memmap(path, dtype=np.dtype(dtype), mode="r", offset=offset, shape=tuple(shape))
            for key, (dtype, shape, offset) in layout.items()
        }
    value = build()

    def write(temporary: Path) -> None:
        contiguous = {key: np.ascontiguousarray(array) for key, array in value.items()}
        if any(array.dtype.hasobject for array in contiguous.values()):
            raise TypeError("arrays of objects are not kept")
        layout, offset = {}, 0
        for key, array in contiguous.items():
            layout[key] = (array.dtype.str, array.shape, offset)
            offset += -(-array.nbytes // 64) * 64
        start = -(-(8 + len(marshal.dumps(layout)) + 64 * len(layout)) // 64) * 64  # offsets fit before
        header = marshal.dumps({key: (dtype, shape, start + at) for key, (dtype, shape, at) in layout.items()})
        if 8 + len(header) > start:
            raise ValueError("array layout does not fit its header")
        with open(temporary, "wb") as handle:
            handle.write(len(header).to_bytes(8, "little") + header)
            for key, array in contiguous.items():
                handle.seek(start + layout[key][2])
                handle.write(array.tobytes())

    _write(path, write)
    return value


def table(
    name: str, parts: Iterable, build: Callable[[], dict],
    encode: Callable | None = None, decode: Callable | None = None,
) -> Mapping:
    """A read-only str-keyed dict, kept as a file of small shards mapped from disk and decoded on
    demand: a process that needs a few thousand entries of a table of a million decodes those
    shards. `encode` turns a value into something `marshal` writes (numbers, strings, tuples of
    them), `decode` back."""
    path = _path(name, parts, ".shards")
    if not path.exists():
        value = build()

        def write(temporary: Path) -> None:
            count = max(1, len(value) // SHARD_ENTRIES)
            shards: list[dict] = [{} for _ in range(count)]
            numbers = [zlib.crc32(key.encode("utf-8", "surrogatepass")) % count for key in value]  # `_shard`, inlined
            for number, (key, entry) in zip(numbers, value.items()):
                shards[number][key] = entry if encode is None else encode(entry)
            blobs = [marshal.dumps(shard) for shard in shards]
            offsets = [len(_MAGIC) + 8 * (count + 2)]
            for blob in blobs:
                offsets.append(offsets[-1] + len(blob))
            with open(temporary, "wb") as handle:
                handle.write(_MAGIC + count.to_bytes(8, "little"))
                handle.write(b"".join(offset.to_bytes(8, "little") for offset in offsets))
                handle.writelines(blobs)

        if not _write(path, write):
            return _Table(None, lambda: value, decode)
    return _Table(path, build, decode)


_MAGIC = b"provenance shards 1\n"


def _shard(key: str, count: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


_MISSING = object()


class _Table(Mapping):
    """The file of `table` (None: none could be written), with the shards already decoded; read
    whole when asked or once SHARE_BEFORE_WHOLE of its shards were, and built (by `build`, the
    same dict) when the file fails."""

    def __init__(self, path: Path | None, build: Callable[[], dict], decode: Callable | None) -> None:
        self._path, self._build, self._decode = path, build, decode
        self._shards: dict[int, dict] = {}
        self._decoded: dict = {}
        self._file: mmap.mmap | None = None
        self._count = 0
        self._whole: dict | None = None if path else build()
        self._lock = threading.Lock()

    def _open(self) -> None:
        with open(self._path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        start = len(_MAGIC)
        count = int.from_bytes(mapped[start:start + 8], "little")
        if mapped[:start] != _MAGIC or int.from_bytes(mapped[start + 8 * (count + 1):start + 8 * (count + 2)], "little") != len(mapped):
            raise ValueError(f"{self._path}: not a whole table")
        self._file, self._count = mapped, count

    def whole(self) -> dict:
        """The table as one dict in memory: what a process about to fork workers shares with them.
        Read from its file, every shard at once (the gazetteer in 0.05 s, German word frequencies
        in 0.3 s), and built again only where the file fails (1.2 s and 0.9 s)."""
        if self._whole is None:
            with self._lock:
                if self._whole is None:
                    self._whole = self._read_whole()
        return self._whole

    def _read_whole(self) -> dict:
        if self._path is not None:
            try:
                if self._file is None:
                    self._open()
                whole: dict = {}
                for number in range(self._count):
                    whole.update(self._shards.get(number) or self._read_shard(number))
                if self._decode is not None:
                    decoded = self._decoded
                    whole = {key: decoded[key] if key in decoded else self._decode(value) for key, value in whole.items()}
                return whole
            except (ValueError, EOFError, TypeError, OSError):
                pass
        return self._build()

    def _read_shard(self, number: int) -> dict:
        at = len(_MAGIC) + 8 * (number + 1)
        start, end = int.from_bytes(self._file[at:at + 8], "little"), int.from_bytes(self._file[at + 8:at + 16], "little")
        entries = marshal.loads(self._file[start:end])
        if not isinstance(entries, dict):
            raise ValueError(f"{self._path}: shard {number} is not a table")
        return entries

    def _entries(self, key: str) -> dict | None:
        """The shard `key` belongs in; None once the table is (to be) read whole."""
        if self._file is None:
            self._open()
        number = _shard(key, self._count)
        entries = self._shards.get(number)
        if entries is None:
            if len(self._shards) >= SHARE_BEFORE_WHOLE * self._count:
                return None
            entries = self._shards[number] = self._read_shard(number)
        return entries

    def get(self, key, default=None):
        if self._whole is None and isinstance(key, str):
            value = self._decoded.get(key, _MISSING)
            if value is not _MISSING:
                return value
            try:
                entries = self._entries(key)
            except (ValueError, EOFError, TypeError, OSError):
                entries = None
            if entries is not None:
                value = entries.get(key, _MISSING)
                if value is _MISSING:
                    return default
                if self._decode is not None:
                    value = self._decoded[key] = self._decode(value)
                return value
        return self.whole().get(key, default)

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __iter__(self):
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())
