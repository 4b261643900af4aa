"""Checks for the data files in docs/data/: local details, stations, schedule and synonyms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import yaml

from kiosk.kb import synonyms
from kiosk.kb.problems import Problem, error
from kiosk.kb.render import LOCAL_LABELS
from kiosk.kb.schema import FACILITIES, session_kinds
from kiosk.kb.yaml_lines import item_lines, key_lines, load_plain

# The contact details the pages show, and two that only the deletion notice uses.
LOCAL_KEYS = frozenset(LOCAL_LABELS) | {"deletion_contact", "retention_days"}


def load(text: str) -> tuple[Any, list[Problem]]:
    """Parse a YAML file's text, turning a syntax error into a problem on the right line."""
    try:
        return load_plain(text), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [error(line, f"YAML 格式错误：{getattr(exc, 'problem', exc)}")]


# Numbers a reader can dial in mainland China, once spaces, hyphens and brackets are gone:
# a mobile, a landline with or without its area code, a 400/800 number, or a five-digit
# service line such as 12351.
PHONE = re.compile(r"1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|[48]00\d{7}|1\d{4}")
PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def looks_like_phone(value: object) -> bool:
    return bool(PHONE.fullmatch(PHONE_SEPARATORS.sub("", str(value))))


def check_local(text: str) -> list[Problem]:
    data, problems = load(text)
    if problems:
        return problems
    if data is None:
        return []
    if not isinstance(data, dict):
        return [error(1, "local.yml 必须是“键: 值”的形式")]
    lines = key_lines(text)
    for key, value in data.items():
        line = lines.get(key, 1)
        if key not in LOCAL_KEYS:
            problems.append(
                error(line, f"不认识的设置“{key}”，可以用：{'、'.join(sorted(LOCAL_KEYS))}")
            )
        elif key == "retention_days":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                problems.append(error(line, "retention_days 必须是正整数（天数），例如 365"))
        elif value is not None and not isinstance(value, str | int):
            problems.append(error(line, f"“{key}”应写成一行文字，或者写 null"))
        elif key == "phone" and value not in (None, "") and not looks_like_phone(value):
            problems.append(
                error(
                    line,
                    f"咨询电话“{value}”不像能拨打的号码：写手机号、带区号的座机"
                    "（例如 010-12345678）或 12351 这样的服务热线",
                )
            )
    return problems


def check_stations(text: str) -> list[Problem]:
    data, problems = load(text)
    if problems:
        return problems
    stations = (data or {}).get("stations") if isinstance(data, dict) else None
    if stations is None:
        return [error(1, "缺少 stations 列表；没有站点时写 stations: []")]
    if not isinstance(stations, list):
        return [
            error(
                key_lines(text).get("stations", 1),
                "stations 必须是列表",
            )
        ]
    lines = item_lines(text, "stations")
    for number, (station, where) in enumerate(zip(stations, lines, strict=False), start=1):
        if not isinstance(station, dict):
            problems.append(error(where[""], f"第 {number} 个站点必须是“键: 值”的形式"))
            continue
        name = station.get("name") or f"第 {number} 个站点"
        for key, label in (("name", "名称"), ("organisation", "所属单位")):
            if not station.get(key):
                problems.append(
                    error(where.get(key, where[""]), f"第 {number} 个站点缺少{label}（{key}）")
                )
        if not str(station.get("hours") or "").strip():
            problems.append(
                error(where.get("hours", where[""]), f"站点“{name}”没有开放时间（hours）")
            )
        for facility in station.get("facilities") or []:
            if facility not in FACILITIES:
                problems.append(
                    error(
                        where.get("facilities", where[""]),
                        f"站点“{name}”的设施“{facility}”不认识，可以用：{'、'.join(FACILITIES)}",
                    )
                )
        url = station.get("map_url")
        if url and not str(url).startswith(("http://", "https://")):
            problems.append(
                error(where["map_url"], f"站点“{name}”的地图链接要以 http:// 或 https:// 开头")
            )
    return problems


def parse_session_time(value: Any) -> tuple[datetime | None, str | None]:
    """A session time must be a full date and time with a UTC offset."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return None, f"时间“{value}”格式不对，应写成 2026-11-26T11:00:00+08:00"
    if moment.tzinfo is None:
        return None, f"时间“{value}”缺少时区，请在后面加上 +08:00"
    return moment, None


def check_schedule(text: str) -> list[Problem]:
    data, problems = load(text)
    if problems:
        return problems
    sessions = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(sessions, list):
        return [error(1, "缺少 sessions 列表；没有安排时写 sessions: []")]
    lines = item_lines(text, "sessions")
    kinds = session_kinds()
    for number, (session, where) in enumerate(zip(sessions, lines, strict=False), start=1):
        if not isinstance(session, dict):
            problems.append(error(where[""], f"第 {number} 场必须是“键: 值”的形式"))
            continue
        for key in ("kind", "title", "organisation", "site", "start", "end"):
            if not session.get(key):
                problems.append(error(where.get(key, where[""]), f"第 {number} 场缺少 {key}"))
        if session.get("kind") and session["kind"] not in kinds:
            problems.append(
                error(
                    where["kind"],
                    f"第 {number} 场的类型“{session['kind']}”不对，可以用：{'、'.join(kinds)}",
                )
            )
        times = {}
        for key in ("start", "end"):
            if session.get(key):
                times[key], message = parse_session_time(session[key])
                if message:
                    problems.append(error(where[key], f"第 {number} 场的{message}"))
        if times.get("start") and times.get("end") and times["end"] <= times["start"]:
            problems.append(error(where["end"], f"第 {number} 场的结束时间不晚于开始时间"))
    return problems


def check_synonyms(text: str) -> list[Problem]:
    return synonyms.read(text)[1]


# Each check takes the file's text, so the admin forms check before they write anything.
DATA_CHECKS: dict[str, Callable[[str], list[Problem]]] = {
    "local.yml": check_local,
    "stations.yml": check_stations,
    "schedule.yml": check_schedule,
    synonyms.FILE: check_synonyms,
}
