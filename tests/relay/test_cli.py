"""`flask --app kiosk relay status|push [--dry-run]` on a laptop."""

from __future__ import annotations

from flask import Flask

from tests.live_server import free_port
from tests.relay.conftest import Laptop, stored_ids


def test_status_says_connected_and_what_is_pending(laptop: Laptop) -> None:
    laptop.sign_up(2)
    result = laptop.app.test_cli_runner().invoke(args=["relay", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"上级服务器：{laptop.app.config['UPSTREAM_URL']}（已连接）"
    assert lines[1:] == [
        "最近上传：从未",
        "待上传登记：2",
        "上传被拒待处理：0",
        "本机创建、未上传的沟通会：0",
    ]


def test_status_says_when_the_city_cannot_be_reached(laptop: Laptop) -> None:
    laptop.app.config["UPSTREAM_URL"] = f"http://127.0.0.1:{free_port()}"
    result = laptop.app.test_cli_runner().invoke(args=["relay", "status"])
    assert "未连接：连不上上级服务器" in result.output.splitlines()[0]


def test_dry_run_sends_nothing(app: Flask, laptop: Laptop) -> None:
    laptop.sign_up(3)
    result = laptop.app.test_cli_runner().invoke(args=["relay", "push", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "将上传登记：3（另有 0 条等沟通会先上传）" in result.output
    assert stored_ids(app) == []


def test_push_forwards_and_exits_1_when_something_is_left(app: Flask, laptop: Laptop) -> None:
    laptop.sign_up(3)
    runner = laptop.app.test_cli_runner()
    result = runner.invoke(args=["relay", "push"])
    assert result.exit_code == 0, result.output
    assert "登记确认 3 条" in result.output and "仍待上传：0" in result.output
    assert len(stored_ids(app)) == 3
    laptop.sign_up(1)
    laptop.app.config["UPSTREAM_URL"] = f"http://127.0.0.1:{free_port()}"
    failed = runner.invoke(args=["relay", "push"])
    assert failed.exit_code == 1 and "仍待上传：1" in failed.output


def test_commands_refuse_without_an_upstream(runner) -> None:
    result = runner.invoke(args=["relay", "status"])
    assert result.exit_code == 1 and "未配置上级服务器" in result.output
