"""Hostile-input suite (docs/reliability.md): every case records what was tried and what happened, so
scripts/reliability.py can print the table from the run's JUnit XML."""

from __future__ import annotations

import pytest


@pytest.fixture
def case(record_property):
    """case(area, tried, outcome): what the row of docs/reliability.md says."""

    def record(area: str, tried: str, outcome: str) -> None:
        record_property("area", area)
        record_property("tried", tried)
        record_property("outcome", outcome)

    return record
