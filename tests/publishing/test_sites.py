"""The published-sites folder: the atomic switch, rollback and pruning."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kiosk.publishing import sites
from tests.publishing.conftest import make_build


def test_switch_points_current_at_the_build_with_a_relative_link(tmp_path: Path) -> None:
    first = make_build(tmp_path, "20261201T010000-aaaaaa", "一")
    sites.switch(tmp_path, first)
    assert os.readlink(tmp_path / "current") == "builds/20261201T010000-aaaaaa"
    assert (tmp_path / "current" / "index.html").read_text(encoding="utf-8") == "<h1>一</h1>"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_reader_never_sees_half_a_site_while_switching(tmp_path: Path) -> None:
    """A reader opening pages all through 300 switches always finds a whole build."""
    one = make_build(tmp_path, "20261201T010000-aaaaaa", "一")
    two = make_build(tmp_path, "20261201T020000-bbbbbb", "二")
    sites.switch(tmp_path, one)
    seen: set[str] = set()
    failures: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add((tmp_path / "current" / "index.html").read_text(encoding="utf-8"))
            except OSError as error:
                failures.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    for turn in range(300):
        sites.switch(tmp_path, two if turn % 2 == 0 else one)
    stop.set()
    reader.join()
    assert failures == []
    assert seen <= {"<h1>一</h1>", "<h1>二</h1>"}


def test_a_failed_switch_leaves_the_served_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = make_build(tmp_path, "20261201T010000-aaaaaa", "一")
    two = make_build(tmp_path, "20261201T020000-bbbbbb", "二")
    sites.switch(tmp_path, one)

    def refuse(src: object, dst: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        sites.switch(tmp_path, two)
    assert sites.current(tmp_path).id == one.name
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_previous_is_the_build_before_the_current_one(tmp_path: Path) -> None:
    ids = ["20261201T010000-aaaaaa", "20261201T020000-bbbbbb", "20261201T030000-cccccc"]
    for number, build_id in enumerate(ids):
        make_build(tmp_path, build_id, str(number))
    assert sites.previous(tmp_path) is None  # nothing served yet
    sites.switch(tmp_path, tmp_path / "builds" / ids[2])
    assert sites.previous(tmp_path).id == ids[1]
    sites.switch(tmp_path, sites.previous(tmp_path).path)
    assert sites.current(tmp_path).id == ids[1]
    assert sites.previous(tmp_path).id == ids[0]


def test_a_build_cut_short_is_never_listed_and_is_pruned(tmp_path: Path) -> None:
    """Stopped mid-build: pages written, but no record. Not offered, and cleared later."""
    make_build(tmp_path, "20261201T010000-aaaaaa", "一")
    cut_short = tmp_path / "builds" / "20261201T020000-bbbbbb"
    cut_short.mkdir()
    (cut_short / "index.html").write_text("<h1>半个</h1>", encoding="utf-8")
    assert [b.id for b in sites.builds(tmp_path)] == ["20261201T010000-aaaaaa"]
    assert sites.prune(tmp_path) == ["20261201T020000-bbbbbb"]
    assert not cut_short.exists()


def test_prune_keeps_the_newest_and_the_current(tmp_path: Path) -> None:
    ids = [f"20261201T0{n}0000-aaaaaa" for n in range(8)]
    for build_id in ids:
        make_build(tmp_path, build_id, build_id)
    sites.switch(tmp_path, tmp_path / "builds" / ids[0])  # rolled far back
    removed = sites.prune(tmp_path, keep=3)
    assert sorted(removed) == ids[1:5]
    assert sorted(b.id for b in sites.builds(tmp_path)) == [ids[0], *ids[5:]]
    assert not (tmp_path / "builds" / f"{ids[1]}.json").exists()
