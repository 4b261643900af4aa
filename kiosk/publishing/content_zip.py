"""The content folder as one zip: how pages move between a booth laptop and the city server.

The zip holds `docs/…` (pages, data files, templates, theme overrides) and the
`mkdocs.yml` the site is built with (its navigation). An import is checked whole before
anything changes, then replaces the content folder in one rename; the old folder is kept
beside it as `docs.before-import-<time>`, so nothing staff wrote is ever lost.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from kiosk.kb.check import check_all
from kiosk.kb.problems import ERROR

CONFIG_NAME = "mkdocs.yml"
# Generous for Markdown and a few images; a zip bomb stops here.
MAX_FILES = 5000
MAX_BYTES = 50 * 1024 * 1024


class ImportRefused(Exception):
    """The zip is not a content folder, or its content has errors: nothing was changed."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Imported:
    files: int
    backup: Path


def _content_files(docs_dir: Path) -> list[Path]:
    """Every file of the content, without hidden files (editor swap files, .git)."""
    found = []
    for path in docs_dir.rglob("*"):
        parts = path.relative_to(docs_dir).parts
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
            found.append(path)
    return sorted(found)


def export_zip(docs_dir: Path, config_file: Path) -> bytes:
    """docs/… and mkdocs.yml, in a stable order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _content_files(docs_dir):
            name = "docs/" + path.relative_to(docs_dir).as_posix()
            archive.write(path, name)
        archive.write(config_file, CONFIG_NAME)
    return buffer.getvalue()


def _safe_names(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_FILES:
        raise ImportRefused(f"压缩包里的文件太多（超过 {MAX_FILES} 个），不像知识库内容")
    if sum(info.file_size for info in members) > MAX_BYTES:
        raise ImportRefused(f"压缩包解开以后超过 {MAX_BYTES // (1024 * 1024)} MB，不像知识库内容")
    for info in members:
        name = PurePosixPath(info.filename)
        inside = name.parts and name.parts[0] == "docs" and len(name.parts) > 1
        if name.is_absolute() or ".." in name.parts or not (inside or str(name) == CONFIG_NAME):
            raise ImportRefused(
                f"压缩包里的“{info.filename}”不在 docs/ 文件夹里：请用“导出内容”得到的压缩包"
            )
    if not any(info.filename == "docs/index.md" for info in members):
        raise ImportRefused("压缩包里没有 docs/index.md：请用“导出内容”得到的压缩包")
    return members


def import_zip(data: bytes, docs_dir: Path, config_file: Path | None = None) -> Imported:
    """Replace docs_dir (and config_file, when the zip has one) with the zip's content.

    config_file is where mkdocs.yml goes: beside docs_dir unless given.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportRefused("这不是 zip 压缩包：请用“导出内容”得到的压缩包") from error
    config_file = config_file or docs_dir.parent / CONFIG_NAME
    with archive:
        members = _safe_names(archive)
        # Beside the content folder, so the final move is a rename on one file system.
        workspace = Path(tempfile.mkdtemp(prefix=".import-", dir=docs_dir.parent))
        try:
            for info in members:
                target = workspace / info.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
            problems = check_all(workspace / "docs", date.today())
            errors = [
                f"{rel}:{line}: {msg}" for rel, line, level, msg in problems if level == ERROR
            ]
            if errors:
                raise ImportRefused("导入的内容有错误，没有导入。请改好以后再导出、导入：", errors)
            backup = _swap(workspace, docs_dir, config_file)
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
    return Imported(len(members), backup)


def _swap(workspace: Path, docs_dir: Path, config_file: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backup = docs_dir.with_name(f"{docs_dir.name}.before-import-{stamp}")
    if docs_dir.exists():
        os.rename(docs_dir, backup)
    else:
        backup.mkdir()
    os.rename(workspace / "docs", docs_dir)
    new_config = workspace / CONFIG_NAME
    if new_config.exists():
        if config_file.exists():
            shutil.copy2(config_file, backup / f".{CONFIG_NAME}")
        os.replace(new_config, config_file)
    return backup
