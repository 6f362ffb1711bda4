"""The extract archive: every file kept byte for byte, named by its SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    size_bytes: int
    relative_path: str  # relative to settings.VAR_DIR

    @property
    def path(self) -> Path:
        return Path(settings.VAR_DIR) / self.relative_path


def archive_file(source: Path) -> ArchivedFile:
    """Copy `source` into the archive, hashing as it streams; an existing copy is kept as is.

    The copy goes to a temporary file in the same folder and is renamed into place, so a crash
    never leaves a partial file under a content name.
    """
    root = Path(settings.VAR_DIR) / "archive"
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as tmp:
            while chunk := src.read(CHUNK_BYTES):
                digest.update(chunk)
                tmp.write(chunk)
                size += len(chunk)
            tmp.flush()
            os.fsync(tmp.fileno())
        sha = digest.hexdigest()
        final = root / sha[:2] / sha
        if final.exists():
            os.unlink(tmp_name)  # content-addressed: the same name holds the same bytes
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return ArchivedFile(sha, size, str(final.relative_to(settings.VAR_DIR)))
