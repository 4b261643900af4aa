"""The published-sites folder: every kept build, and the `current` link /kb/ serves.

    SITES_DIR/
      builds/20261202T141500-3fa2c1/   one complete site per publish
      builds/20261202T141500-3fa2c1.json   who published it, when, for which address
      current -> builds/20261202T141500-3fa2c1

A reader never sees half a site: a build is complete before `current` points at it, and
the link is swapped with one rename (os.replace), which POSIX makes atomic. The kiosk
resolves the link once per request, so a page is read from one build, never two.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BUILDS = "builds"
CURRENT = "current"
# Enough to roll back twice after a bad publish; older builds are removed.
KEEP = 5


@dataclass(frozen=True)
class Build:
    id: str
    path: Path
    meta: dict[str, Any]

    @property
    def published_at(self) -> datetime | None:
        value = self.meta.get("published_at")
        return datetime.fromisoformat(value) if value else None


def new_build_dir(sites_dir: Path) -> Path:
    """A fresh, empty-named folder for the next build (the build creates it)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (sites_dir / BUILDS).mkdir(parents=True, exist_ok=True)
    return sites_dir / BUILDS / f"{stamp}-{secrets.token_hex(3)}"


def write_meta(build_dir: Path, meta: dict[str, Any]) -> None:
    """Beside the build, not in it: the build folder is served to the public."""
    target = build_dir.with_suffix(".json")
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, target)


def read_meta(build_dir: Path) -> dict[str, Any]:
    path = build_dir.with_suffix(".json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _complete(path: Path) -> bool:
    """Finished builds have their record: it is written after the build, before the switch.

    A build cut short (the server stopped mid-build) may already hold an index.html, but
    never its record, so it can never be offered to switch to.
    """
    return path.is_dir() and (path / "index.html").is_file() and path.with_suffix(".json").is_file()


def builds(sites_dir: Path) -> list[Build]:
    """Every complete build, newest first."""
    folder = sites_dir / BUILDS
    if not folder.is_dir():
        return []
    found = [Build(p.name, p, read_meta(p)) for p in folder.iterdir() if _complete(p)]
    return sorted(found, key=lambda build: build.id, reverse=True)


def current(sites_dir: Path) -> Build | None:
    """The build /kb/ serves now, if anything was published."""
    link = sites_dir / CURRENT
    if not link.is_symlink():
        return None
    target = link.resolve()
    return Build(target.name, target, read_meta(target)) if target.is_dir() else None


def switch(sites_dir: Path, build_dir: Path) -> None:
    """Point `current` at build_dir in one atomic rename."""
    link = sites_dir / CURRENT
    temporary = sites_dir / f".{CURRENT}-{secrets.token_hex(4)}"
    # Relative, so the folder can be moved or mounted elsewhere whole.
    os.symlink(build_dir.relative_to(sites_dir), temporary, target_is_directory=True)
    try:
        os.replace(temporary, link)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def previous(sites_dir: Path) -> Build | None:
    """The newest build older than the current one: where a rollback goes."""
    now = current(sites_dir)
    if now is None:
        return None
    older = [build for build in builds(sites_dir) if build.id < now.id]
    return older[0] if older else None


def find(sites_dir: Path, build_id: str) -> Build | None:
    return next((build for build in builds(sites_dir) if build.id == build_id), None)


def prune(sites_dir: Path, keep: int = KEEP) -> list[str]:
    """Remove all but the newest `keep` builds, never the current one; return what went.

    Also removes builds cut short: call it only while holding the publish lock, when no
    build is under way.
    """
    now = current(sites_dir)
    removed = []
    folder = sites_dir / BUILDS
    for path in folder.iterdir() if folder.is_dir() else []:
        if path.is_dir() and not _complete(path) and (now is None or path.name != now.id):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for build in builds(sites_dir)[keep:]:
        if now is not None and build.id == now.id:
            continue
        shutil.rmtree(build.path, ignore_errors=True)
        build.path.with_suffix(".json").unlink(missing_ok=True)
        removed.append(build.id)
    return removed


def discard(build_dir: Path) -> None:
    """Remove a build that failed: it was never served."""
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.with_suffix(".json").unlink(missing_ok=True)
