"""Fixtures of the exercise tests: a private data folder, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own progress database; the real data folder is never touched."""
    folder = tmp_path / "data"
    monkeypatch.setenv("DEEPQED_DATA_DIR", str(folder))
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "hypothesis"))
    return folder


@pytest.fixture
def cli(data_dir: Path):
    """``cli("exercise", "check", path)`` -> the CliRunner result, run on ``deepqed.cli.app``."""
    from deepqed.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
