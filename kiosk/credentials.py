"""Every staff password check, behind the same limits and with the same answers.

The admin login, binding a tablet, leaving kiosk mode and changing one's own
password all call `check()`. Failed attempts are counted three ways, in the rate
limiter's storage (Redis when several servers run):

- per account and address (`LOGIN_RATE_LIMIT`): someone guessing from one place;
- per account, from everywhere (`LOGIN_ACCOUNT_RATE_LIMIT`, slower): guessing
  spread over many addresses. It is slower so that an attacker elsewhere cannot
  lock out a staff member at a booth: they stop at their own pair's limit first;
- per address, whatever the account (`LOGIN_ADDRESS_RATE_LIMIT`): one place
  trying many accounts.

Only failures count, so colleagues behind one office NAT can all sign in. A
failure is answered the same way whatever else was wrong (a session code, a
union the account may not see), so the answer never tells a right password
from a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import current_app, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse_many

from kiosk import audit
from kiosk.accounts import authenticate
from kiosk.extensions import limiter
from kiosk.models import StaffUser

WRONG = _l("用户名或密码不正确")
THROTTLED = _l("尝试次数过多，请稍后再试。")


class Refused(Exception):
    """The credentials were not accepted: say `message`, with this HTTP status."""

    def __init__(self, message: LazyString, status: int) -> None:
        super().__init__(str(message))
        self.message = message
        self.status = status


def account_key(username: str) -> str:
    return username.strip().lower()[:60]


def _counters(account: str) -> Iterator[tuple[RateLimitItem, tuple[str, ...]]]:
    """Each limit that applies to this attempt, with the key it is counted under."""
    config = current_app.config
    address = request.remote_addr or "unknown"
    prefix = (config.get("RATELIMIT_KEY_PREFIX") or "kiosk", "login")
    keyed = (
        (config["LOGIN_RATE_LIMIT"], ("pair", account, address)),
        (config["LOGIN_ACCOUNT_RATE_LIMIT"], ("account", account)),
        (config["LOGIN_ADDRESS_RATE_LIMIT"], ("address", address)),
    )
    for limits, key in keyed:
        for item in parse_many(limits):
            yield item, (*prefix, *key)


def _limits_on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def check(
    username: str,
    password: str,
    *,
    via: str,
    allowed: Callable[[StaffUser], bool] = lambda _user: True,
) -> StaffUser:
    """The active staff member with these credentials, for whom `allowed` holds.

    Raises `Refused` with the same message for a wrong password and for a right
    one that `allowed` rejects; both count as a failure and are audited as a
    failed login, `via` naming the page.
    """
    account = account_key(username)
    counters = list(_counters(account)) if _limits_on() else []
    if any(not limiter.limiter.test(item, *key) for item, key in counters):
        audit.record("login_throttled", username=username.strip()[:60] or None, via=via)
        raise Refused(THROTTLED, 429)
    user = authenticate(username, password)
    if user is not None and allowed(user):
        return user
    for item, key in counters:
        limiter.limiter.hit(item, *key)
    audit.record("login_failed", username=username.strip()[:60] or None, via=via)
    raise Refused(WRONG, 200)
