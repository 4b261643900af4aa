"""Create a new benefit or policy page from docs/templates/ and add it to the nav.

Usage: python scripts/new_page.py benefit 免费游泳 [--slug swimming]
       python scripts/new_page.py policy 某某政策解读 [--docs docs] [--config mkdocs.yml]

The new page passes scripts/check_content.py except for its TODO placeholders,
which the checker reports until they are filled in.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

FOLDERS = {"benefit": "benefits", "policy": "policy"}
NAV_MARKER = "# new_page.py {kind} "


def slug_for(title: str) -> str:
    """A file name for the title: ASCII words become kebab-case, Chinese is kept as is."""
    slug = re.sub(r"[\s/\\:*?\"<>|#%]+", "-", title.strip()).strip("-")
    return slug.lower() or "new-page"


def render(template: Path, title: str, today: date) -> str:
    text = template.read_text(encoding="utf-8")
    return (
        text.replace("{title}", title)
        .replace("{today}", today.isoformat())
        .replace("{year}", str(today.year))
    )


def add_to_nav(config: Path, kind: str, src_uri: str) -> bool:
    """Insert the page above the `# new_page.py <kind>` comment in mkdocs.yml's nav."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip().startswith(NAV_MARKER.format(kind=kind)):
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(index, f"{indent}- {src_uri}\n")
            config.write_text("".join(lines), encoding="utf-8")
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按模板新建权益页或政策解读页。")
    parser.add_argument("kind", choices=sorted(FOLDERS), help="benefit（权益）或 policy（政策）")
    parser.add_argument("title", help="页面标题，例如 免费游泳")
    parser.add_argument("--slug", help="文件名（不含 .md），默认用标题")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="docs 文件夹")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml")
    args = parser.parse_args(argv)

    src_uri = f"{FOLDERS[args.kind]}/{args.slug or slug_for(args.title)}.md"
    target = args.docs / src_uri
    if target.exists():
        print(f"{target} 已经存在，没有改动。")
        return 1
    target.write_text(
        render(args.docs / "templates" / f"{args.kind}.md", args.title, date.today()),
        encoding="utf-8",
    )
    print(f"已新建 {target}。请把其中所有 TODO 换成正式内容。")
    if add_to_nav(args.config, args.kind, src_uri):
        print(f"已把 {src_uri} 加到 {args.config} 的导航里。")
    else:
        print(f"没找到导航标记，请手动把 {src_uri} 加到 {args.config} 的 nav 里。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
