"""What the build does to Material's search: the index's hidden fields, and the query segmenter."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import material
import pytest

from kiosk.kb import search_index, search_worker
from tests.browser_support import require_or_skip

CUT = "\u200b"
SEPARATOR = "[\\s\\u200b\\u3000\\-、。，．？！；]+"
GROUPS = [["车祸", "交通事故", "撞车"], ["入会", "加入工会"], ["12351", "工会热线"]]


def material_index(*docs: dict[str, object]) -> str:
    """search_index.json as Material's plugin writes it, with Material's default fields."""
    fields = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1e6}}
    config = {"lang": ["zh"], "separator": SEPARATOR, "pipeline": ["stemmer"], "fields": fields}
    return json.dumps({"config": config, "docs": list(docs)})


def test_sections_get_their_synonyms_and_the_page_its_keywords() -> None:
    raw = material_index(
        {"location": "road/", "title": f"路上{CUT}出事", "text": "", "tags": ["车祸", "受伤"]},
        {
            "location": "road/#先做什么",
            "title": f"先{CUT}做{CUT}什么",
            "text": f"<p>{CUT}出了{CUT}交通事故{CUT}，{CUT}打{CUT} 122。</p>",
            "tags": ["车祸", "受伤"],
        },
        {
            "location": "join/",
            "title": f"入会{CUT}指南",
            "text": f"<p>{CUT}可以{CUT}加入{CUT}工会{CUT}，{CUT}有事{CUT}打{CUT} 12351。</p>",
        },
    )
    data = json.loads(search_index.rewrite(raw, GROUPS))
    road, first_step, join = data["docs"]
    # Tags become hidden keywords of the page's first entry, with their synonyms.
    assert road["keywords"] == "车祸 交通事故 撞车 受伤"
    assert "tags" not in road and "tags" not in first_step
    assert "keywords" not in first_step
    # A section gets every word of each group one of its words belongs to.
    assert first_step["synonyms"] == "车祸 交通事故 撞车"
    # A word jieba cut in two (加入/工会) is found as the phrase it is.
    assert join["synonyms"] == "入会 加入工会 12351 工会热线"
    # A word in the title counts like a tag.
    assert join["keywords"] == "入会 加入工会"
    assert data["config"]["fields"] == {
        "title": {"boost": 1000.0},
        "text": {"boost": 1.0},
        "keywords": {"boost": 1000.0},
        "synonyms": {"boost": 1.0},
    }


def test_the_index_is_written_as_utf8() -> None:
    raw = material_index({"location": "", "title": "首页", "text": "<p>免费体检</p>"})
    assert "\\u514d\\u8d39" in raw  # 免费, six bytes a character
    rewritten = search_index.rewrite(raw, [])
    assert "免费体检" in rewritten and "\\u514d" not in rewritten


def built_worker(tmp_path: Path) -> Path:
    """A copy of the search worker Material ships, as the build puts it into the site."""
    workers = Path(material.__file__).parent / "templates" / search_worker.WORKERS
    (tmp_path / search_worker.WORKERS).mkdir(parents=True)
    [worker] = workers.glob("search.*.min.js")
    return Path(shutil.copy(worker, tmp_path / search_worker.WORKERS / worker.name))


def test_the_worker_is_patched_once_and_again_after_a_rebuild(tmp_path: Path) -> None:
    worker = built_worker(tmp_path)
    assert search_worker.patch(tmp_path, ["怎么"]) is None
    assert 'var skip = new Set(["怎么"])' in worker.read_text(encoding="utf-8")
    # A rebuild that did not copy the theme again patches our own function instead.
    assert search_worker.patch(tmp_path, ["如何"]) is None
    text = worker.read_text(encoding="utf-8")
    assert 'var skip = new Set(["如何"])' in text and "怎么" not in text
    assert text.count("var skip") == 1


def test_a_worker_that_changed_shape_stops_the_build(tmp_path: Path) -> None:
    worker = built_worker(tmp_path)
    worker.write_text("function segment(q){return new Set([q])}", encoding="utf-8")
    problem = search_worker.patch(tmp_path, [])
    assert problem == (
        f"{worker.name} 里没找到 Material 的中文分词函数（找到 0 处），"
        "搜索没有改好：Material 升级后要更新 kiosk/kb/search_worker.py"
    )


INDEX = ["入会", "加入工会", "加入", "工会", "工会卡", "卡", "车祸", "怎么", "入"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("如何加入工会", ["加入工会"]),  # Material: nothing at all
        ("怎么入会", ["入会"]),  # Material: 怎么 and 入
        ("工会卡", ["工会卡"]),  # Material: 工会 (every page)
        ("出车祸了", ["车祸"]),  # unknown characters are skipped
        ("怎么", ["怎么"]),  # only words to skip: search for what was typed
        ("奇怪", ["奇怪"]),  # nothing known: the whole query, as Material does
    ],
)
def test_the_segmenter_finds_the_longest_known_words(query: str, words: list[str]) -> None:
    node = shutil.which("node")
    if not node:
        require_or_skip("node is missing: apt-get install -y nodejs")
    code = search_worker.segmenter("segment", ["怎么", "如何", "了"])
    index = json.dumps(dict.fromkeys(INDEX, {}), ensure_ascii=False)
    script = f"{code}\nconsole.log(JSON.stringify([...segment({json.dumps(query)}, {index})]))"
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == words
