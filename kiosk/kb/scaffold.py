"""A new benefit, policy or help page from docs/templates/, added to mkdocs.yml's nav.

The new page passes `flask --app kiosk kb check` except for its TODO placeholders,
which the checker reports until they are filled in.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

FOLDERS = {"benefit": "benefits", "policy": "policy", "help": "help"}
NAV_MARKER = "# kb new-page {kind} "


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


def src_uri(kind: str, title: str, slug: str | None) -> str:
    """Where the page goes, relative to docs/, e.g. benefits/swimming.md."""
    return f"{FOLDERS[kind]}/{slug or slug_for(title)}.md"


def write_page(docs_dir: Path, kind: str, uri: str, title: str, today: date) -> Path:
    """Write the page from its template; the caller checks it does not exist yet."""
    target = docs_dir / uri
    target.write_text(render(docs_dir / "templates" / f"{kind}.md", title, today), encoding="utf-8")
    return target


def add_to_nav(config: Path, kind: str, uri: str) -> bool:
    """Insert the page above the `# kb new-page <kind>` comment in mkdocs.yml's nav."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip().startswith(NAV_MARKER.format(kind=kind)):
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(index, f"{indent}- {uri}\n")
            config.write_text("".join(lines), encoding="utf-8")
            return True
    return False
