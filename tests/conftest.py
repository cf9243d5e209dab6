import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import store
from provenance.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SOURCE_ID = "000_9adfba21b048cf0a"
DERIVATIVE_ID = "001_45da5be54d483bbf"


@pytest.fixture(autouse=True, scope="session")
def cache_directory(tmp_path_factory):
    """Derived tables (provenance.cache) of this session go to a fresh directory, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("cache")
        patch.setenv("PROVENANCE_CACHE", str(directory))
        yield directory


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def source_text() -> str:
    return (SEEDS / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture
def derivative_text() -> str:
    return (SEEDS / f"{DERIVATIVE_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture
def gold() -> dict:
    return json.loads((ROOT / "tests" / "fixtures" / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def memory_db():
    return store.open_db(":memory:")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "provenance.db"


@pytest.fixture
def run(db_path, tmp_path, monkeypatch):
    """Invoke the real CLI against a database under tmp_path (reports land there too)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(cli, [*map(str, args), "--db", str(db_path)], catch_exceptions=False, **kwargs)

    return invoke
