"""`flask --app kiosk kb publish | rollback | sites | export-content | import-content`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from kiosk.publishing import content_zip, progress, sites
from kiosk.publishing.lock import Busy
from kiosk.publishing.publisher import config_file, publish, rollback, sites_dir


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]


@click.command("publish")
@with_appcontext
def publish_command() -> None:
    """发布知识库：检查内容，严格生成到新文件夹，再把 /kb/ 一次切换到新网站。"""
    try:
        result = publish(_app(), trigger="cli")
    except Busy as error:
        raise click.ClickException(str(error)) from error
    for step in result.steps:
        click.echo(f"{progress.STEPS[step['name']]}：{step['seconds']} 秒")
    for warning in result.warnings:
        click.echo(f"提示：{warning}")
    if result.state == progress.FAILED:
        for line in result.errors:
            click.echo(f"错误：{line}")
        raise click.ClickException(
            "没有发布，读者看到的还是原来的网站。请按上面的提示修改后再发布。"
        )
    click.echo(f"已发布：{result.build}，用时 {result.seconds} 秒。/kb/ 现在是新网站。")


@click.command("rollback")
@click.argument("build_id", required=False)
@with_appcontext
def rollback_command(build_id: str | None) -> None:
    """换回上一版网站（或 kb sites 列出的某一版）。"""
    try:
        build = rollback(_app(), build_id)
    except (Busy, LookupError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"已换回 {build.id}。/kb/ 现在是这一版网站。")


@click.command("sites")
@with_appcontext
def sites_command() -> None:
    """列出保留的各版网站，标出正在使用的一版。"""
    folder = sites_dir(_app())
    served = sites.current(folder)
    kept = sites.builds(folder)
    if not kept:
        click.echo("还没有发布过网站。")
    for build in kept:
        mark = "（正在使用）" if served and served.id == build.id else ""
        click.echo(f"{build.id}{mark} {build.meta.get('site_url', '')}")


@click.command("export-content")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(output: Path) -> None:
    """把内容文件夹（docs/ 和 mkdocs.yml）导出成一个 zip 压缩包。"""
    app = _app()
    output.write_bytes(content_zip.export_zip(Path(app.config["DOCS_DIR"]), config_file(app)))
    click.echo(f"已导出内容：{output}")


@click.command("import-content")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(archive: Path) -> None:
    """导入“导出内容”得到的 zip，替换内容文件夹；原来的内容留作备份。导入后请发布。"""
    docs_dir = Path(_app().config["DOCS_DIR"])
    try:
        result = content_zip.import_zip(archive.read_bytes(), docs_dir)
    except content_zip.ImportRefused as error:
        for line in error.problems:
            click.echo(f"错误：{line}")
        raise click.ClickException(str(error)) from error
    click.echo(f"已导入 {result.files} 个文件。原来的内容备份在 {result.backup}。请发布后生效。")


def init_app(app: Flask) -> None:
    from kiosk.kb.cli import kb_group

    for command in (
        publish_command,
        rollback_command,
        sites_command,
        export_command,
        import_command,
    ):
        kb_group.add_command(command)
