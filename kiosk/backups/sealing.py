"""A backup's bytes on disk: compressed, and encrypted when a passphrase is set.

Encrypted files are `MAGIC`, a random salt and nonce, then AES-256-GCM of the
compressed backup with a key derived from the passphrase by scrypt. GCM also
authenticates: a wrong passphrase or a damaged file is refused, never restored
as garbage.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"KIOSK-BACKUP-AESGCM-1\n"
SALT_BYTES = 16
NONCE_BYTES = 12
SUFFIX = ".enc"


class SealError(Exception):
    """The file cannot be opened: no passphrase, a wrong one, or damage."""


def _key(passphrase: str, salt: bytes) -> bytes:
    # n=2**15 takes about 0.1 s and 32 MB: cheap once per backup, slow for guessing.
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(data: bytes, passphrase: str) -> bytes:
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    return MAGIC + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, MAGIC)


def unseal(data: bytes, passphrase: str | None) -> bytes:
    if not is_sealed(data):
        return data
    if not passphrase:
        raise SealError("这个备份已加密，需要备份时设置的密码")
    body = data[len(MAGIC) :]
    salt, nonce = body[:SALT_BYTES], body[SALT_BYTES : SALT_BYTES + NONCE_BYTES]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(
            nonce, body[SALT_BYTES + NONCE_BYTES :], MAGIC
        )
    except InvalidTag:
        raise SealError("密码不对，或备份文件已损坏") from None
