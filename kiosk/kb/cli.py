"""`flask --app kiosk kb …`: check the knowledge base, build it, start a new page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from mkdocs.exceptions import MkDocsException

from kiosk.kb import scaffold
from kiosk.kb.build import build_site
from kiosk.kb.check import check_all
from kiosk.kb.pages import iter_pages
from kiosk.kb.problems import ERROR
from kiosk.kb.site_config import config_file
from kiosk.settings import GENERATORS, PROJECT_ROOT

kb_group = AppGroup("kb", help="The knowledge base (知识库): check, build, new pages.")


def shown(path: Path) -> str:
    """A path as an editor would type it: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def mkdocs_yml() -> Path:
    return config_file(current_app)


@kb_group.command("check")
@click.argument("docs_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="按这一天判断日期，例如看看下个月会不会有内容过期，格式 YYYY-MM-DD",
)
def check_command(docs_dir: Path | None, today: datetime | None) -> None:
    """检查知识库的页面和数据文件：错误按“文件:行号: 说明”列出，有错误时返回非零值。"""
    docs_dir = docs_dir or Path(current_app.config["DOCS_DIR"])
    if not docs_dir.is_dir():
        click.echo(f"{shown(docs_dir)}: 错误：找不到这个文件夹")
        raise SystemExit(2)
    on = today.date() if today else date.today()
    problems = check_all(docs_dir, on)
    for rel, line, level, message in problems:
        click.echo(f"{shown(docs_dir / rel)}:{line}: {level}：{message}")
    errors = sum(1 for p in problems if p[2] == ERROR)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"发现 {errors} 个错误，{warnings} 个警告。请改好后再发布。")
        raise SystemExit(1)
    click.echo(f"检查通过：{len(iter_pages(docs_dir))} 个页面，没有错误，{warnings} 个警告。")


@kb_group.command("build")
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="生成到这个文件夹，默认是代码目录下的 site/；"
    "要让 /kb/ 换成新网站，请用 kb publish（发布）",
)
@click.option(
    "--site-url",
    help="网站的公开网址，每页的二维码指向它，例如 http://192.168.1.20:8000/kb/；"
    "默认是 mkdocs.yml 的 site_url（也可以用环境变量 KB_SITE_URL）",
)
@click.option("--config", type=click.Path(path_type=Path), help="mkdocs.yml 的位置")
@click.option(
    "--generator",
    type=click.Choice(GENERATORS),
    default="mkdocs",
    show_default=True,
    help="用哪个生成器：mkdocs（MkDocs + Material，默认）或 zensical",
)
def build_command(
    site_dir: Path | None, site_url: str | None, config: Path | None, generator: str
) -> None:
    """严格模式生成网站：有任何警告都不生成。"""
    site_dir = site_dir or PROJECT_ROOT / "site"
    try:
        url = build_site(
            config or mkdocs_yml(),
            site_dir,
            site_url,
            current_app.config["ENV"],
            generator=generator,
        )
    except MkDocsException as error:
        raise click.ClickException(
            f"网站没有生成（{error.format_message()}）：请按上面的提示修改后再运行。"
        ) from error
    click.echo(f"已生成网站：{shown(site_dir)}。二维码指向 {url}")


@kb_group.command("new-page")
@click.argument("kind", type=click.Choice(sorted(scaffold.FOLDERS)))
@click.argument("title")
@click.option("--slug", help="文件名（不含 .md），默认用标题")
@click.option("--docs", "docs_dir", type=click.Path(path_type=Path), help="docs 文件夹")
@click.option("--config", type=click.Path(path_type=Path), help="mkdocs.yml 的位置")
def new_page_command(
    kind: str, title: str, slug: str | None, docs_dir: Path | None, config: Path | None
) -> None:
    """按模板新建权益页（benefit）、政策解读页（policy）或求助指南（help），并加到导航里。"""
    docs_dir = docs_dir or Path(current_app.config["DOCS_DIR"])
    config = config or mkdocs_yml()
    uri = scaffold.src_uri(kind, title, slug)
    if (docs_dir / uri).exists():
        click.echo(f"{shown(docs_dir / uri)} 已经存在，没有改动。")
        raise SystemExit(1)
    target = scaffold.write_page(docs_dir, kind, uri, title, date.today())
    click.echo(f"已新建 {shown(target)}。请把其中所有 TODO 换成正式内容。")
    if scaffold.add_to_nav(config, kind, uri):
        click.echo(f"已把 {uri} 加到 {shown(config)} 的导航里。")
    else:
        click.echo(f"没找到导航标记，请手动把 {uri} 加到 {shown(config)} 的 nav 里。")
