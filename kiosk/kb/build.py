"""A strict build of the knowledge base: stage the content, then run MkDocs or Zensical on it.

Both generators get the same staged folder (stage.py), so the pages they build say the
same thing. MkDocs + Material is the default; Zensical is the way forward once it matches
(see the README's table). Either way a warning stops the build and nothing is written
where the site is served: callers build into a new folder.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from kiosk.kb import hooks, render, site_config, stage

ZENSICAL_TIMEOUT = 600


class BuildFailed(Abort):
    """A build that stopped: what went wrong is in the message (Chinese)."""


def shown(record: logging.LogRecord) -> bool:
    """Warnings and errors, and the notes our own hooks write (such as missing local details)."""
    return record.levelno >= logging.WARNING or record.name == hooks.log.name


def build_site(
    config_file: Path,
    site_dir: Path,
    site_url: str | None = None,
    env: str = "development",
    *,
    docs_dir: Path | None = None,
    schedule_yaml: str | None = None,
    generator: str = "mkdocs",
) -> str:
    """Stage the content and build it strictly into site_dir; return the site's address.

    site_url, when given, replaces mkdocs.yml's: every page's QR code points under it.
    env is the app's KIOSK_ENV: production refuses to build without the local details.
    docs_dir defaults to the folder mkdocs.yml names; schedule_yaml replaces its
    data/schedule.yml (the publisher passes the sessions from the database).
    """
    url = site_url or site_config.site_url(config_file)
    with tempfile.TemporaryDirectory(prefix="kb-stage-") as holder:
        staged = stage.stage(
            docs_dir or site_config.docs_dir(config_file),
            Path(holder) / "docs",
            config_file=config_file,
            site_url=url,
            schedule_yaml=schedule_yaml,
        )
        if generator == "zensical":
            build_with_zensical(config_file, staged, site_dir, env)
        else:
            build_with_mkdocs(config_file, staged, site_dir, env)
    return staged.site_url


def build_with_mkdocs(config_file: Path, staged: stage.Staged, site_dir: Path, env: str) -> None:
    # MkDocs' own command line prints its log; here only what `shown` lets through.
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)
    handler.addFilter(shown)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        config = load_config(
            str(config_file),
            strict=True,
            site_dir=str(site_dir),
            site_url=staged.site_url,
            docs_dir=str(staged.docs_dir),
        )
        config.extra[hooks.ENV_KEY] = env
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def zensical_config(config_file: Path, staged: stage.Staged) -> str:
    """mkdocs.yml as Zensical reads it beside the staged folder: no MkDocs hooks.

    The staged folder is named docs/ and carries docs/overrides/, so every relative path in
    mkdocs.yml means the same there; only the address is the one being built for.
    """
    text = config_file.read_text(encoding="utf-8")
    values = {"docs_dir": staged.docs_dir.name, "site_dir": "site", "site_url": staged.site_url}
    for key, value in values.items():
        text = re.sub(rf"^{key}:.*$", f"{key}: {json.dumps(value)}", text, flags=re.MULTILINE)
    # The hooks are MkDocs' (the search rewrite); Zensical has its own search.
    return re.sub(r"^hooks:\n(?:[ \t]+-.*\n)+", "", text, flags=re.MULTILINE)


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_report(output: str) -> str:
    """Zensical's messages without colours, and without the Python traceback of an abort."""
    plain = ANSI.sub("", output)
    lines = plain.splitlines()
    if "Traceback (most recent call last):" in lines:
        lines = lines[: lines.index("Traceback (most recent call last):")]
    return "\n".join(line for line in lines if line.strip()).strip()


def build_with_zensical(config_file: Path, staged: stage.Staged, site_dir: Path, env: str) -> None:
    """Run `zensical build --strict` on the staged folder, after the checks MkDocs' hook makes."""
    if staged.problems:
        raise BuildFailed("；".join(staged.problems))
    local = render.load_yaml(staged.docs_dir / "data" / "local.yml")
    problem = hooks.local_details_problem(local, env)
    if problem and env == "production":
        raise PluginError(problem)
    project = staged.docs_dir.parent
    config = project / "mkdocs.yml"
    # Zensical writes only inside its project folder; the site is moved out afterwards.
    config.write_text(zensical_config(config_file, staged), encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", str(config)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=ZENSICAL_TIMEOUT,
        check=False,
    )
    output = zensical_report(result.stdout + result.stderr)
    if output:
        print(output, file=sys.stderr)
    built = project / "site"
    if result.returncode != 0 or not (built / "index.html").exists():
        raise BuildFailed(f"Zensical 没有生成网站：{output[-1500:]}")
    if site_dir.exists():
        shutil.copytree(built, site_dir, dirs_exist_ok=True)
    else:
        shutil.move(built, site_dir)
