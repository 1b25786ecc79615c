"""AES-256-GCM keys of the document encryption, read from outside the database.

Sources, first found wins:

- ``comms_encryption_key`` in the Odoo configuration file or the
  ``COMMS_ENCRYPTION_KEY`` environment variable: one or more base64 keys separated by
  commas, the first current;
- the key file named by ``comms_encryption_key_file`` / ``COMMS_ENCRYPTION_KEY_FILE``,
  by default ``comms_encryption.key`` in Odoo's data directory: one base64 key per line,
  the first current, the others kept to read older documents.

No message of this module contains key material: keys are named by their id, a
fingerprint that cannot be turned back into the key.
"""

import base64
import binascii
import hashlib
import os
import secrets
import threading
import time

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from odoo.tools import config

MAGIC = b"CDE1"
KEY_ID_SIZE = 8
NONCE_SIZE = 12
HEADER_SIZE = len(MAGIC) + KEY_ID_SIZE + NONCE_SIZE
KEY_SIZE = 32


class KeyringError(Exception):
    """No usable key: the source is missing, unreadable or malformed."""


class DecryptionError(Exception):
    """The stored bytes are not a document encrypted for this place with a known key."""


def key_id(key):
    return hashlib.sha256(b"comms_document_encryption/key-id/" + key).digest()[
        :KEY_ID_SIZE
    ]


def is_encrypted(blob):
    return blob[: len(MAGIC)] == MAGIC


def new_key_line():
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_SIZE)).decode()


def _decode(text, where):
    try:
        key = base64.urlsafe_b64decode(text.strip())
    except (binascii.Error, ValueError):
        raise KeyringError(f"{where}: a key is not valid base64") from None
    if len(key) != KEY_SIZE:
        raise KeyringError(f"{where}: a key is not {KEY_SIZE} bytes long")
    return key


class Keyring:
    """The current key (first) and the older ones still accepted for reading."""

    def __init__(self, keys, source, path=None):
        if not keys:
            raise KeyringError(f"{source}: no key")
        self.source = source
        self.path = path
        self._ciphers = {key_id(key): AESGCM(key) for key in keys}
        self.current_id = key_id(keys[0])
        self._current = self._ciphers[self.current_id]

    @property
    def current_label(self):
        return self.current_id.hex()

    def labels(self):
        return [kid.hex() for kid in self._ciphers]

    def encrypt(self, data, associated_data):
        nonce = secrets.token_bytes(NONCE_SIZE)
        ciphertext = self._current.encrypt(nonce, data, associated_data)
        return MAGIC + self.current_id + nonce + ciphertext

    def decrypt(self, blob, associated_data):
        if not is_encrypted(blob) or len(blob) < HEADER_SIZE:
            raise DecryptionError("not an encrypted document")
        kid = blob[len(MAGIC) : len(MAGIC) + KEY_ID_SIZE]
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(f"encrypted with key {kid.hex()}, which is not known")
        nonce = blob[len(MAGIC) + KEY_ID_SIZE : HEADER_SIZE]
        try:
            return cipher.decrypt(nonce, blob[HEADER_SIZE:], associated_data)
        except InvalidTag:
            raise DecryptionError(
                "authentication failed: the file was altered or belongs to another "
                "document"
            ) from None


_cache = {}
_cache_lock = threading.Lock()
_recent = {}
# Another worker's rotation is seen within this delay; documents it writes meanwhile
# under the older key are re-encrypted by the scheduled action.
RECHECK_SECONDS = 1.0


def _setting(name):
    return os.environ.get(name.upper()) or config.get(name)


def key_file_path():
    return _setting("comms_encryption_key_file") or os.path.join(
        config["data_dir"], "comms_encryption.key"
    )


def _read_file(path):
    with open(path, encoding="ascii") as handle:
        lines = [line.strip() for line in handle]
    keys = [_decode(line, path) for line in lines if line and not line.startswith("#")]
    return Keyring(keys, source=path, path=path)


def load():
    """The configured keyring; raises KeyringError when there is none. Read again
    at most every RECHECK_SECONDS: each document read and written asks for it."""
    marker = (
        os.environ.get("COMMS_ENCRYPTION_KEY"),
        os.environ.get("COMMS_ENCRYPTION_KEY_FILE"),
    )
    recent = _recent.get("ring")
    now = time.monotonic()
    if recent and recent[0] == marker and now - recent[1] < RECHECK_SECONDS:
        return recent[2]
    ring = _load()
    _recent["ring"] = (marker, now, ring)
    return ring


def forget():
    """Read the keys again on next use (after rotating them here, or in tests)."""
    _recent.clear()


def _load():
    inline = _setting("comms_encryption_key")
    if inline:
        keys = [_decode(part, "comms_encryption_key") for part in inline.split(",")]
        return Keyring(keys, source="comms_encryption_key")
    path = key_file_path()
    try:
        stat = os.stat(path)
    except OSError:
        raise KeyringError(f"{path}: key file not found") from None
    # Re-read when another worker rotated the key (the file is replaced, never edited).
    signature = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        if signature not in _cache:
            try:
                _cache.clear()
                _cache[signature] = _read_file(path)
            except (OSError, UnicodeDecodeError) as error:
                raise KeyringError(f"{path}: unreadable key file ({error})") from None
        return _cache[signature]


def _write_private(path, lines, exclusive=False):
    """Write `lines` to `path` readable by this user only, replacing it atomically."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    target = path if exclusive else f"{path}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    descriptor = os.open(target, flags, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
    if not exclusive:
        os.replace(target, path)


def create_key_file(path=None):
    """Create the key file with a first key unless it exists; returns its path."""
    path = path or key_file_path()
    try:
        _write_private(path, [new_key_line()], exclusive=True)
    except FileExistsError:
        return path  # made by another process in the meantime
    forget()
    return path


def rotate_key_file(path=None):
    """Put a new current key first in the key file, the older ones kept after it."""
    path = path or key_file_path()
    with open(path, encoding="ascii") as handle:
        old_lines = [line.strip() for line in handle if line.strip()]
    _write_private(path, [new_key_line(), *old_lines])
    forget()
    return load()
