"""The README is a contract: every setting, every CLI command and both set-up commands."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import Flask

from kiosk.settings import markdown_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _configuration_table() -> str:
    """The README's table under "## Configuration": its consecutive `|` lines."""
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Variable |"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return "\n".join(lines[start:end]) + "\n"


def test_configuration_table_is_the_settings_declaration() -> None:
    """Variable, default and meaning come from kiosk/settings.py, word for word."""
    assert _configuration_table() == markdown_table(), (
        "README's configuration table differs from kiosk/settings.py: "
        "paste the output of `flask --app kiosk settings` over it"
    )


def _command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if name in {"run", "shell", "routes"}:  # Flask's own
            continue
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, f"{path} "))
        else:
            paths.append(path)
    return paths


def test_every_cli_command_is_documented(app: Flask) -> None:
    commands = _command_paths(app.cli)
    assert "serve" in commands and "demo" in commands
    missing = [c for c in commands if f"flask --app kiosk {c}" not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^\./scripts/(run|test)\.sh$", README, flags=re.MULTILINE)
    assert sorted(set(commands)) == ["run", "test"]
    assert "\n./scripts/test.sh\n" in ci


def test_every_added_library_is_named_with_a_reason() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in names:
        name = re.split(r"[\[<>=]", requirement)[0]
        assert re.search(rf"\*\*{re.escape(name)}\*\*", README, flags=re.IGNORECASE), name
