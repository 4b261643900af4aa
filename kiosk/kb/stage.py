"""The staging step: the content folder copied, with every generated part written out.

Before any site generator runs, the pages are copied into a staging folder and each
marker line (``<!-- kb:stations -->``…) is replaced by the Markdown it stands for; each
page gets its QR code as inline SVG. What is left is plain Markdown that MkDocs + Material
and Zensical both build the same way, so the site does not depend on MkDocs' hooks (MkDocs
is unmaintained; Material 9 reaches end of life on 2027-05-05).
"""

from __future__ import annotations

import json
import posixpath
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.kb import render, site_config, synonyms
from kiosk.kb.check import check_pocket
from kiosk.kb.pages import FRONT_MATTER, iter_pages, read_page
from kiosk.kb.schema import BENEFIT_SECTIONS, POCKET_FIELD

# Written into the staged data/ folder (never published): tells the MkDocs hook the pages
# are already staged, and carries the problems the generator must count as warnings.
STAMP = Path("data") / "stage.json"
SCHEDULE = Path("data") / "schedule.yml"


@dataclass
class Staged:
    """A staged content folder and what staging found wrong with it."""

    docs_dir: Path
    site_url: str
    problems: list[str] = field(default_factory=list)


def page_url(src_uri: str) -> str:
    """A page's address below the site root, as both generators write it (directory URLs)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def qr_figure(url: str) -> str:
    """The QR code of a page's own address, as an HTML block at the end of its Markdown."""
    # No blank line inside: Markdown keeps an HTML block whole only until the first one.
    # Search skips it: every page would otherwise match 扫码.
    return (
        '<figure class="kb-qr" data-search-exclude>\n'
        f"{render.qr_svg(url)}\n"
        f'<figcaption>用手机扫码打开本页<br><span class="kb-qr__url">{url}</span></figcaption>\n'
        "</figure>\n"
    )


class _Site:
    """The data and the page list the generators read while staging one folder."""

    def __init__(self, docs_dir: Path, nav: list[str], now: datetime) -> None:
        self.docs_dir = docs_dir
        self.now = now
        data = docs_dir / "data"
        self.local = render.load_yaml(data / "local.yml")
        self.stations = render.load_yaml(data / "stations.yml").get("stations") or []
        self.schedule = render.load_yaml(data / "schedule.yml")
        order = {uri: position for position, uri in enumerate(nav)}
        uris = [path.relative_to(docs_dir).as_posix() for path in iter_pages(docs_dir)]
        self.pages = sorted(uris, key=lambda uri: (order.get(uri, len(order)), uri))
        self.problems: list[str] = []

    def of_type(self, kind: str) -> list[str]:
        return [uri for uri in self.pages if self.meta(uri).get("type") == kind]

    def meta(self, uri: str) -> dict[str, Any]:
        return read_page(self.docs_dir / uri).meta

    def page_list(self, kind: str, here: str) -> str:
        """A bulleted list linking to every page of a type, with its one-line summary."""
        folder = posixpath.dirname(here) or "."
        lines = []
        for uri in self.of_type(kind):
            meta = self.meta(uri)
            link = posixpath.relpath(uri, folder)
            title = meta.get("title", Path(uri).stem)
            lines.append(f"- [**{title}**]({link})：{meta.get('summary', '')}")
        return "\n".join(lines)

    def pocket(self, uri: str) -> str:
        page = read_page(self.docs_dir / uri)
        for problem in check_pocket(page):
            self.problems.append(f"{uri}:{problem.line}: {problem.message}")
        names = [name for name in page.meta.get(POCKET_FIELD) or [] if name in BENEFIT_SECTIONS]
        benefits = [self.docs_dir / u for u in self.of_type("benefit")]
        return render.pocket_markdown(benefits, names)

    def expand(self, uri: str, body: str, meta: dict[str, Any]) -> str:
        generators = {
            "contact": lambda: render.contact_block(self.local),
            "controller": lambda: render.controller_block(self.local),
            "deletion": lambda: render.deletion_block(self.local),
            "stations": lambda: render.stations_markdown(self.stations),
            "schedule": lambda: render.schedule_markdown(
                self.schedule.get("sessions") or [], self.now, self.schedule.get("calendar")
            ),
            "pocket": lambda: self.pocket(uri),
            "benefit-list": lambda: self.page_list("benefit", uri),
            "policy-list": lambda: self.page_list("policy", uri),
            "sources": lambda: render.sources_block(meta),
        }
        return render.expand(body, generators)


def stage(
    source: Path,
    target: Path,
    *,
    config_file: Path,
    site_url: str,
    schedule_yaml: str | None = None,
    now: datetime | None = None,
) -> Staged:
    """Copy source to target (which must not exist) and write out every generated part.

    schedule_yaml, when given, replaces the content folder's data/schedule.yml: the
    publisher writes the sessions from the database here, so no tracked file changes.
    """
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    if schedule_yaml is not None:
        (target / SCHEDULE).parent.mkdir(parents=True, exist_ok=True)
        (target / SCHEDULE).write_text(schedule_yaml, encoding="utf-8")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    site = _Site(target, site_config.nav_order(config_file), now or datetime.now(UTC))
    for uri in site.pages:
        path = target / uri
        text = path.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        head, body = (text[: match.end()], text[match.end() :]) if match else ("", text)
        body = site.expand(uri, body, site.meta(uri))
        body = body.rstrip("\n") + "\n\n" + qr_figure(site_url + page_url(uri))
        path.write_text(head + body, encoding="utf-8")
    _, synonym_problems = synonyms.load(target / "data")
    problems = site.problems + [
        f"data/{synonyms.FILE}:{p.line}: {p.message}" for p in synonym_problems
    ]
    stamp = target / STAMP
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"problems": problems}, ensure_ascii=False), encoding="utf-8")
    return Staged(target, site_url, problems)


def staged_problems(docs_dir: Path) -> list[str] | None:
    """The problems a staged folder recorded; None when the folder was never staged."""
    stamp = docs_dir / STAMP
    if not stamp.exists():
        return None
    return list(json.loads(stamp.read_text(encoding="utf-8"))["problems"])
