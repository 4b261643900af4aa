"""Which masked phone numbers this staff login has just revealed, for POST-redirect-GET.

A reveal is a POST (it writes the audit log); the page it leads to is a GET, so a
reload neither re-posts nor logs the reveal twice. The login's session cookie
remembers only *which* record was revealed and when, never the number: that cookie
is signed, not encrypted.
"""

from __future__ import annotations

import time

from flask import session

KEY = "revealed"
SHOWN_SECONDS = 300  # long enough to dial the number, short enough not to linger on screen
MOST = 20  # a cookie must stay small


def remember(kind: str, ident: object) -> None:
    """Note that this login revealed the number of one record (kind: signup, company)."""
    now = time.time()
    entries = {name: at for name, at in session.get(KEY, {}).items() if now - at < SHOWN_SECONDS}
    entries[f"{kind}:{ident}"] = now
    session[KEY] = dict(sorted(entries.items(), key=lambda item: item[1])[-MOST:])


def shown(kind: str, ident: object) -> bool:
    """Whether this login revealed that record's number in the last few minutes."""
    at = session.get(KEY, {}).get(f"{kind}:{ident}")
    return at is not None and time.time() - at < SHOWN_SECONDS
