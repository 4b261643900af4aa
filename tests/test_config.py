"""Configuration layers: defaults, instance/config.py, KIOSK_* variables, test dict."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import create_app, settings


def test_defaults_apply(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["IDLE_SECONDS"] == 60
    assert app.config["RETENTION_DAYS"] == 365
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024


def test_layers_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "IDLE_SECONDS = 30\nTHANKS_SECONDS = 5\nRETENTION_DAYS = 90\n"
    )
    monkeypatch.setenv("KIOSK_THANKS_SECONDS", "7")
    monkeypatch.setenv("KIOSK_RETENTION_DAYS", "120")
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(instance))
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "RETENTION_DAYS": 30}
    )
    assert app.config["IDLE_SECONDS"] == 30  # instance file beats defaults
    assert app.config["THANKS_SECONDS"] == 7  # environment beats the instance file
    assert app.config["RETENTION_DAYS"] == 30  # the test dict beats everything


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("yes", True), ("false", False), ("0", False)],
)
def test_boolean_environment_values(raw: str, expected: bool) -> None:
    assert settings.from_environ({"KIOSK_SECURE_COOKIES": raw})["SECURE_COOKIES"] is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, "development"), ("production", "production"), (" Production ", "production")],
)
def test_environment_is_development_unless_said(raw: str | None, expected: str) -> None:
    environ = {} if raw is None else {"KIOSK_ENV": raw}
    assert settings.environ_value("ENV", environ) == expected
    assert create_app({"TESTING": True, **settings.from_environ(environ)}).config["ENV"] == expected


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(ValueError, match="KIOSK_ENV must be development or production, not 'prod'"):
        settings.from_environ({"KIOSK_ENV": "prod"})


def test_settings_command_prints_the_configuration_table(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    result = app.test_cli_runner().invoke(args=["settings"])
    assert result.exit_code == 0
    assert result.output == settings.markdown_table()
    assert result.output.count("\n") == len(settings.SETTINGS) + 2  # header and rule


def test_unknown_kiosk_variables_are_ignored() -> None:
    assert settings.from_environ({"KIOSK_NOT_A_SETTING": "x", "HOME": "/root"}) == {}


def test_default_database_is_sqlite_in_instance_with_wal_and_foreign_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path})
    from kiosk.extensions import db

    with app.app_context():
        assert db.engine.url.database == str(tmp_path / "kiosk.sqlite3")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        db.engine.dispose()


def test_refuses_to_serve_with_default_secret(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["SECRET_KEY"] == settings.DEFAULT_SECRET_KEY
    assert app.test_client().get("/api/health").status_code == 503
    result = app.test_cli_runner().invoke(args=["serve", "--port", "1"])
    assert result.exit_code != 0
    assert "SECRET_KEY" in result.output


def test_default_secret_allowed_in_testing(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert app.test_client().get("/api/health").status_code == 200


def test_real_secret_serves(tmp_path: Path) -> None:
    app = create_app(
        {"SECRET_KEY": "s3cret-for-this-test", "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"}
    )
    assert app.test_client().get("/api/health").status_code == 200


def test_instance_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config.py").write_text("THANKS_SECONDS = 3\n")
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert app.instance_path == str(tmp_path)
    assert app.config["THANKS_SECONDS"] == 3
