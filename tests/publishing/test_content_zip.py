"""The content folder as one zip: export, import, and every way an import is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kiosk.publishing.content_zip import ImportRefused, export_zip, import_zip


def names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_export_holds_the_pages_data_and_navigation(content: Path) -> None:
    data = export_zip(content, content.parent / "mkdocs.yml")
    listed = names(data)
    assert listed[-1] == "mkdocs.yml"
    assert {"docs/index.md", "docs/data/stations.yml", "docs/overrides/main.html"} <= set(listed)
    assert all(name.startswith("docs/") for name in listed[:-1])
    assert listed[:-1] == sorted(listed[:-1])


def test_import_replaces_the_content_and_keeps_the_old_as_backup(content: Path) -> None:
    config = content.parent / "mkdocs.yml"
    faq = content / "faq.md"
    original = faq.read_text(encoding="utf-8")
    faq.write_text(original.replace("常见问题", "常见问题（市里的版本）", 1), encoding="utf-8")
    data = export_zip(content, config)
    faq.write_text(original, encoding="utf-8")
    (content / "local-only.md").write_text("只在这台电脑上", encoding="utf-8")

    result = import_zip(data, content)

    assert "常见问题（市里的版本）" in faq.read_text(encoding="utf-8")
    assert not (content / "local-only.md").exists()
    assert (result.backup / "local-only.md").read_text(encoding="utf-8") == "只在这台电脑上"
    assert result.backup.parent == content.parent
    assert (result.backup / ".mkdocs.yml").exists()
    assert [p.name for p in content.parent.iterdir() if p.name.startswith(".import-")] == []


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "这不是 zip 压缩包"),
        (zip_of({"docs/faq.md": "x"}), "压缩包里没有 docs/index.md"),
        (zip_of({"docs/index.md": "x", "../evil.md": "x"}), "压缩包里的“../evil.md”不在 docs/"),
        (zip_of({"docs/index.md": "x", "docs/../../x.md": "x"}), "不在 docs/ 文件夹里"),
        (zip_of({"docs/index.md": "x", "/etc/cron.d/x": "x"}), "不在 docs/ 文件夹里"),
        (zip_of({"docs/index.md": "x", "kiosk/__init__.py": "x"}), "不在 docs/ 文件夹里"),
    ],
)
def test_a_zip_that_is_not_a_content_folder_changes_nothing(
    content: Path, data: bytes, message: str
) -> None:
    before = sorted(p.relative_to(content.parent) for p in content.parent.rglob("*"))
    with pytest.raises(ImportRefused, match=message):
        import_zip(data, content)
    assert sorted(p.relative_to(content.parent) for p in content.parent.rglob("*")) == before


def test_content_with_errors_is_refused_with_the_errors(content: Path) -> None:
    data = export_zip(content, content.parent / "mkdocs.yml")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == "docs/benefits/health-check.md":
                text = text.replace(b"type: benefit", b"type: nonsense")
            target.writestr(info, text)
    with pytest.raises(ImportRefused, match="导入的内容有错误，没有导入") as refused:
        import_zip(broken.getvalue(), content)
    assert any(line.startswith("benefits/health-check.md:") for line in refused.value.problems)
    assert "type: benefit" in (content / "benefits" / "health-check.md").read_text(encoding="utf-8")
