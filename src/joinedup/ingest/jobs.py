"""Imports started from the upload page: a spooled file, a background process, its progress.

A job is a folder under VAR_DIR/imports/<key>/
(docs/adr/0004-background-imports-from-the-upload-page.md):

- `upload/<file name>`: the uploaded file, streamed there by `SpoolUploadHandler`; removed when
  the import process ends (the archive keeps the bytes under their SHA-256).
- `job.json`: written by the web process: who, which format and agency, the file, the pid.
- `progress.json`: written only by the import process (`joinedup import --progress-file`):
  rows read, bytes read, the file's size, and at the end the run id or the refusal message.
- `exit.json`: written by the web process when the import process ended without saying how.
- `import.log`: the import process's own output, for the operator.

Progress cannot come from the ImportRun row: the import writes in one transaction, so no other
connection sees the row until the end. Each file has one writer and is replaced atomically
(os.replace), so a reader never sees half a file.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import get_valid_filename

from joinedup.governance.models import StaffUser

__all__ = [
    "ImportJob",
    "JobState",
    "ProgressFile",
    "import_job_create",
    "import_job_get",
    "import_job_running_list",
    "import_job_start",
]

logger = logging.getLogger(__name__)

KEY_BYTES = 16
JOBS_KEPT_DAYS = 30
# The import process writes progress at most this often (it is told every 1,000 rows).
WRITE_EVERY_SECONDS = 0.25


class JobState:
    STARTING = "starting"
    RUNNING = "running"
    FINISHED = "finished"  # a run was recorded: loaded or already imported
    REFUSED = "refused"  # the file cannot be imported; a failed run when one was recorded
    FAILED = "failed"  # the import process stopped without finishing; nothing was kept

    FINAL = frozenset({FINISHED, REFUSED, FAILED})


def _jobs_root() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process has the pid; it exists
    # A child that exited but was not yet reaped is a zombie: gone, for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return True
    return True


@dataclass
class ImportJob:
    """One upload's import, as the web pages see it."""

    key: str
    folder: Path
    meta: dict[str, Any] = field(default_factory=dict)
    progress: dict[str, Any] = field(default_factory=dict)

    @property
    def upload_dir(self) -> Path:
        return self.folder / "upload"

    @property
    def started(self) -> bool:
        return bool(self.meta)

    @property
    def state(self) -> str:
        """The job's state; an import process that died without a word is FAILED."""
        state = str(self.progress.get("state") or JobState.STARTING)
        if state in JobState.FINAL:
            return state
        if (self.folder / "exit.json").exists():
            return JobState.FAILED
        pid = self.meta.get("pid")
        if pid is not None and not _process_alive(int(pid)):
            # Re-read: the process may have finished between the two reads.
            self.progress = _read_json(self.folder / "progress.json")
            final = str(self.progress.get("state") or "")
            return final if final in JobState.FINAL else JobState.FAILED
        return state

    @property
    def message(self) -> str:
        if self.state == JobState.FAILED and not self.progress.get("message"):
            exit_info = _read_json(self.folder / "exit.json")
            return str(
                exit_info.get("message")
                or f"The import of {self.file_name} stopped before it finished (its process "
                "ended unexpectedly). Nothing from the file was kept: import it again."
            )
        return str(self.progress.get("message") or "")

    @property
    def file_name(self) -> str:
        return str(self.meta.get("file_name") or "")

    @property
    def run_id(self) -> int | None:
        run = self.progress.get("run")
        return int(run) if run is not None else None

    @property
    def rows(self) -> int:
        return int(self.progress.get("rows") or 0)

    @property
    def size(self) -> int:
        return int(self.progress.get("size") or self.meta.get("size") or 0)

    @property
    def percent(self) -> int:
        """Share of the file's bytes read, 0 to 100."""
        size = self.size
        done = int(self.progress.get("bytes_done") or 0)
        return min(100, (100 * done) // size) if size else 0

    @property
    def started_at(self) -> datetime | None:
        value = self.meta.get("started_at")
        return datetime.fromisoformat(value) if value else None

    def discard(self) -> None:
        """Remove a job that never started (the form was invalid)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def import_job_create() -> ImportJob:
    """A new, empty job folder with a key no one can guess (old, ended jobs are swept)."""
    _sweep_ended_jobs()
    key = secrets.token_hex(KEY_BYTES)
    folder = _jobs_root() / key
    (folder / "upload").mkdir(parents=True)
    return ImportJob(key=key, folder=folder)


def _file_system_now(root: Path) -> float:
    """Now by the clock that stamps the job folders: the file system's, which on a network
    share may differ from this process's. Ages of folders are measured against it."""
    mark = root / ".now"
    try:
        mark.touch()
        return mark.stat().st_mtime
    except OSError:
        return time.time()


def _sweep_ended_jobs() -> None:
    """Remove job folders untouched for JOBS_KEPT_DAYS whose import is not running. The run's
    report lives on in the database; only the link to the progress page goes."""
    root = _jobs_root()
    if not root.is_dir():
        return
    cutoff = _file_system_now(root) - JOBS_KEPT_DAYS * 86400
    for folder in root.iterdir():
        try:
            if not folder.is_dir() or folder.stat().st_mtime > cutoff:
                continue
            job = import_job_get(folder.name)
            if job is None or job.state in JobState.FINAL:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # another request swept it first


def import_job_get(key: str) -> ImportJob | None:
    """The job with this key, if it was started; None otherwise."""
    if len(key) != 2 * KEY_BYTES or not all(c in "0123456789abcdef" for c in key):
        return None
    folder = _jobs_root() / key
    meta = _read_json(folder / "job.json")
    if not meta:
        return None
    return ImportJob(
        key=key, folder=folder, meta=meta, progress=_read_json(folder / "progress.json")
    )


def import_job_running_list(*, limit: int = 20) -> list[ImportJob]:
    """Jobs whose import is still running, most recently started first."""
    root = _jobs_root()
    if not root.is_dir():
        return []
    metas = sorted(root.glob("*/job.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    running = []
    for meta in metas[: limit * 5]:
        job = import_job_get(meta.parent.name)
        if job is not None and job.state not in JobState.FINAL:
            running.append(job)
    return running[:limit]


def spool_name(file_name: str) -> str:
    """A safe file name for the spooled upload, keeping the agency's own name where it can."""
    base = os.path.basename(file_name.replace("\\", "/"))
    try:
        return get_valid_filename(base)[:200]
    except Exception:  # SuspiciousFileOperation for names like "." or ""
        return "upload"


def import_job_start(
    *,
    actor: StaffUser,
    job: ImportJob,
    upload: Path,
    source_format: str,
    agency_code: str,
    full_list: bool = False,
) -> ImportJob:
    """Start `joinedup import` on the spooled upload in its own process; return at once.
    `full_list`: the file is the agency's full list (`--full-list`, under the mass-end guard).

    The process records the import as done by `actor`. It runs in a session of its own, so a
    web worker's restart does not stop it; a thread here waits for it (so it never lingers as
    a zombie), removes the spooled upload, and records an abnormal end.
    """
    progress_path = job.folder / "progress.json"
    command = [
        sys.executable,
        "-m",
        "joinedup",
        "import",
        source_format,
        str(upload),
        "--agency",
        agency_code,
        "--as",
        actor.get_username(),
        "--progress-file",
        str(progress_path),
        *(["--full-list"] if full_list else []),
    ]
    meta = {
        "key": job.key,
        "actor": actor.get_username(),
        "source_format": source_format,
        "agency": agency_code,
        "full_list": full_list,
        "file_name": upload.name,
        "size": upload.stat().st_size,
        "started_at": timezone.now().isoformat(),
    }
    log = (job.folder / "import.log").open("wb")
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell; values are validated
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()
    meta["pid"] = process.pid
    _write_json(job.folder / "job.json", meta)
    job.meta = meta
    threading.Thread(
        target=_watch, args=(process, job.folder, upload), name=f"import-{job.key}", daemon=True
    ).start()
    return job


def _watch(process: subprocess.Popen[bytes], folder: Path, upload: Path) -> None:
    code = process.wait()
    upload.unlink(missing_ok=True)
    state = _read_json(folder / "progress.json").get("state")
    if state in JobState.FINAL:
        return
    how = f"was stopped by signal {-code}" if code < 0 else f"ended with exit code {code}"
    logger.error("Import job %s %s; see %s", folder.name, how, folder / "import.log")
    _write_json(
        folder / "exit.json",
        {
            "code": code,
            "message": f"The import of {upload.name} stopped before it finished (its process "
            f"{how}). Nothing from the file was kept: import it again.",
        },
    )


class ProgressFile:
    """What `joinedup import --progress-file PATH` writes for the upload page."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._last = 0.0

    def update(self, rows: int, bytes_done: int, size: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < WRITE_EVERY_SECONDS:
            return
        self._last = now
        self._write(
            {"state": JobState.RUNNING, "rows": rows, "bytes_done": bytes_done, "size": size}
        )

    def finish(self, *, run_id: int, rows: int, size: int) -> None:
        self._write(
            {
                "state": JobState.FINISHED,
                "run": run_id,
                "rows": rows,
                "bytes_done": size,
                "size": size,
            }
        )

    def refuse(self, message: str, *, run_id: int | None) -> None:
        self._write({"state": JobState.REFUSED, "run": run_id, "message": message})

    def fail(self, message: str) -> None:
        self._write({"state": JobState.FAILED, "message": message})

    def _write(self, data: dict[str, Any]) -> None:
        _write_json(self.path, {**data, "updated_at": timezone.now().isoformat()})
