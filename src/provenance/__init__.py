"""provenance: which news article repackages which, where each claim came from, who dropped the credit."""

__version__ = "0.1.0"

from pathlib import Path as _Path

SCHEMA_DIR = _Path(__file__).parent / "schemas"
