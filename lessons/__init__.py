"""The curriculum: lesson modules as files (modules/<lang>/*.md), the catalog and quizzes,
and practice scenarios as files (scenarios/<lang>/*.yaml, see docs/SCENARIOS.md)."""

from __future__ import annotations

from flask import current_app

from lessons.catalog import Catalog


def get_catalog() -> Catalog:
    """The current app's lesson catalog (loaded and checked at start-up)."""
    return current_app.extensions["catalog"]
