"""Material's search worker, with a query segmenter that finds every word the index knows.

Material cuts a Chinese query into words by looking its pieces up in the index, but its
segmenter never tries a word that ends on the query's last character, and it drops the
rest of the query at the first character the index does not know. So 如何加入工会 found
nothing at all, and 工会卡 was searched as 工会* (every page). After the build, the hook
replaces that one function in the built worker: at each position ours takes the longest
word the index knows, skips a character it does not know, and leaves out the words of
synonyms.yml's ignore list (怎么, 如何 …).

The function is found by its shape. If a Material release changes it, the strict build
stops with a warning rather than ship search silently unpatched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

WORKERS = "assets/javascripts/workers"
# Material 9's segment(query, invertedIndex), minified: it starts by allocating its table
# of word lengths and ends with its fallback to the whole query.
SHAPE = re.compile(
    r"function (?P<name>\w+)\((?P<q>\w+),\w+\)\{let \w+=new Set,\w+=new Uint16Array\("
    r"(?P=q)\.length\);.*?return \w+\.has\(\"\"\)\?new Set\(\[(?P=q)\]\):\w+\}"
)
# Ours, once patched in: a rebuild that did not copy the theme again finds this instead.
PATCHED = re.compile(
    r"function (?P<name>\w+)\(query, index\) \{ var skip = .*?"
    r"return words\.size \? words : new Set\(\[query\]\); \}"
)
# Returns the Set of words to search for; Material adds a trailing * to each.
SEGMENT = """function NAME(query, index) {
  var skip = new Set(IGNORE), words = new Set(), i = 0;
  while (i < query.length) {
    var length = 0;
    for (var end = query.length; end > i; end--) {
      var word = query.slice(i, end);
      if (word in index || skip.has(word)) { length = end - i; break; }
    }
    if (length === 0) { i++; continue; }
    if (!skip.has(query.slice(i, i + length))) words.add(query.slice(i, i + length));
    i += length;
  }
  return words.size ? words : new Set([query]);
}"""


def segmenter(name: str, ignore: list[str]) -> str:
    """Our segmenter as a JavaScript function called name, with the ignore list inlined."""
    code = SEGMENT.replace("NAME", name).replace("IGNORE", json.dumps(ignore, ensure_ascii=False))
    return " ".join(line.strip() for line in code.splitlines())


def patch(site_dir: Path, ignore: list[str]) -> str | None:
    """Patch the built worker in place; the reason it could not be patched, or None."""
    workers = sorted((site_dir / WORKERS).glob("search.*.min.js"))
    if len(workers) != 1:
        return f"在 {WORKERS} 里找到 {len(workers)} 个 search.*.min.js，应该正好一个"
    text = workers[0].read_text(encoding="utf-8")
    found = list(SHAPE.finditer(text)) or list(PATCHED.finditer(text))
    if len(found) != 1:
        return (
            f"{workers[0].name} 里没找到 Material 的中文分词函数（找到 {len(found)} 处），"
            "搜索没有改好：Material 升级后要更新 kiosk/kb/search_worker.py"
        )
    match = found[0]
    patched = text[: match.start()] + segmenter(match["name"], ignore) + text[match.end() :]
    workers[0].write_text(patched, encoding="utf-8")
    return None
