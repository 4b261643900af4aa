"""Relay credentials on the city server: issued to a laptop, shown once, stored hashed."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask import request

from kiosk.extensions import db
from kiosk.models import Organisation, RelayCredential, StaffUser, utcnow

PREFIX = "relay_"  # recognisable in a config file or a leaked paste


def token_hash(token: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, so there is nothing to
    # guess and no need for a slow password hash on every push.
    return hashlib.sha256(token.encode()).hexdigest()


def issue(organisation: Organisation, label: str, by: StaffUser) -> tuple[RelayCredential, str]:
    """A new credential for `organisation` and its subtree, and its token (never stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    credential = RelayCredential(
        organisation_id=organisation.id,
        label=label,
        token_hash=token_hash(token),
        created_by_id=by.id,
    )
    db.session.add(credential)
    db.session.commit()
    return credential, token


def revoke(credential: RelayCredential) -> None:
    credential.revoked_at = utcnow()
    db.session.commit()


def from_request() -> RelayCredential | None:
    """The live credential named by this request's `Authorization: Bearer …`, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > 100:
        return None
    credential = db.session.scalar(
        sa.select(RelayCredential).where(RelayCredential.token_hash == token_hash(token))
    )
    if credential is None or credential.revoked_at is not None:
        return None
    return credential
