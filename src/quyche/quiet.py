"""Libraries' own log lines kept out of quyche's output while it works: quyche reports the outcome itself."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def silenced(*names: str) -> Iterator[None]:
    """The loggers ``names`` say nothing below CRITICAL inside this block, then get their levels back."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
