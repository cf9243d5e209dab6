"""provenance: which news article repackages which, where each claim came from, who dropped the credit."""

__version__ = "0.1.0"

from pathlib import Path as _Path

SCHEMA_DIR = _Path(__file__).parent / "schemas"
DEFAULT_DB = "db/provenance.db"


def compare(text_a: str, text_b: str, id_a: str = "a", id_b: str = "b") -> dict:
    """Compare two texts: derivation (relation, direction, passages), related pair, or none."""
    from .pipeline import compare_texts

    return compare_texts(text_a, text_b, id_a, id_b)


def audit(paths, db=None) -> dict:
    """Ingest and analyse `paths` into the database `db` and return the report object."""
    from .pipeline import audit as run_audit

    return run_audit(paths, db)
