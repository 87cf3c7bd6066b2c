"""Input and output files checked before use: text files sniffed before parsing,
output locations tried before anything is computed.

Nothing here unpickles or evaluates a file: a file is read as bytes and accepted only
if it is UTF-8 text without NUL bytes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

_PICKLE_MAGIC = (b"\x80",)  # pickle protocol 2+ starts with PROTO (0x80)
_BINARY_MAGIC = {b"\x89HDF": "an HDF5 file", b"PK\x03\x04": "a zip archive", b"\x1f\x8b": "gzip data",
                 b"\x89PNG": "a PNG image", b"%PDF": "a PDF", b"\x93NUMPY": "a NumPy array"}


def read_text(path, what: str) -> str:
    """The text of ``path`` (UTF-8, a BOM allowed), or InputError in one line naming
    ``what`` (e.g. "parameter file") and why: missing, a folder, unreadable, binary."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{what} {path} is a folder, not a file") from None
    except OSError as e:
        raise InputError(f"{what} {path} cannot be read: {e.strerror}") from None
    kind = next((name for magic, name in _BINARY_MAGIC.items() if data.startswith(magic)), None)
    if kind is None and data.startswith(_PICKLE_MAGIC):
        kind = "a Python pickle (never unpickled)"
    if kind is None and b"\x00" in data[:65536]:
        kind = "binary data (NUL bytes)"
    if kind:
        raise InputError(f"{what} {path} is {kind}, not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{what} {path} is not UTF-8 text (byte 0x{data[e.start]:02x} at offset "
                         f"{e.start}); save it as UTF-8 CSV/JSON") from None


def check_writable(path, option: str, *, folder: bool = False) -> Path:
    """Make sure ``path`` (a file, or with ``folder`` a folder) can be written, without
    creating anything: missing parent folders are fine if they can be created; a file
    where a folder is needed, a read-only or uncreatable location is an InputError
    naming ``option``. A probe file is created and removed in the nearest existing
    folder, so the check holds for any user, mount and ACL."""
    path = Path(path)
    if path.exists() and path.is_dir() != folder:
        raise InputError(f"{option} {path} is a {'folder' if path.is_dir() else 'file'}; "
                         f"give a {'folder' if folder else 'file name'}")
    target = path if folder else path.parent
    existing = next(a for a in (target, *target.parents, Path("/")) if a.exists() or a == Path("/"))
    if not existing.is_dir():
        raise InputError(f"{option} {path}: {existing} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(dir=existing, prefix=".ssbsim-probe-")
        os.close(fd)
        os.unlink(probe)
        if not folder and path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as e:
        raise InputError(f"{option} {path}: cannot write in {existing} ({e.strerror or e})") from None
    return path
