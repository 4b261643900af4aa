"""Where a request may send the browser next: only to a path on this site.

A `next` parameter is read the way a browser reads a URL (the WHATWG URL
standard): leading and trailing C0 controls and spaces are dropped, tabs and
newlines anywhere are dropped, and a backslash counts as a slash. Only then can
we tell a path (`/privacy`) from another site (`/\t/evil.example/` is
`//evil.example/` to a browser). What is kept is percent-encoded, so the
`Location` header holds printable ASCII only and can never raise.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_DROPPED = str.maketrans("", "", "\t\n\r")
# Reserved and unreserved characters, and "%" so existing escapes stay as they are.
_KEPT = "/?#[]@!$&'()*+,;=:-._~%"
MAX_LENGTH = 2000


def safe_next(target: object, default: str, *, within: str = "/") -> str:
    """`target` if it is a path on this site under `within`, else `default`."""
    if not isinstance(target, str) or len(target) > MAX_LENGTH:
        return default
    url = target.strip(_C0_AND_SPACE).translate(_DROPPED).replace("\\", "/")
    if not url.startswith("/") or url.startswith("//"):
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return default
    if within != "/" and not (parts.path + "/").startswith(within):
        return default
    return quote(url, safe=_KEPT)
