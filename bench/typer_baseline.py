"""The floor of quyche's command-line stack, for the start-up measures of bench/run.py and bench/editor.py: a
bare typer app with one Path argument (typer coerces parameters through pydantic TypeAdapters, so it imports
pydantic before any command runs)."""

BARE_TYPER = """\
from pathlib import Path

import typer

app = typer.Typer()


@app.command()
def validate(file: Path, strict: bool = False) -> None:
    print(file)


@app.command()
def other() -> None:
    pass


app()
"""
