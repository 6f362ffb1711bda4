"""Receiving an extract file from the upload page: streamed to the job's spool folder, with the
import size limit applied while it arrives."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest

from joinedup.ingest.jobs import spool_name

__all__ = ["SpoolUploadHandler", "SpooledUpload"]


class SpooledUpload(UploadedFile):
    """An uploaded file already in its spool folder (`path`); nothing is copied again."""

    def __init__(self, path: Path, *, name: str, content_type: str, size: int) -> None:
        super().__init__(
            file=path.open("rb"), name=name, content_type=content_type, size=size, charset=None
        )
        self.path = path


class SpoolUploadHandler(FileUploadHandler):
    """Write the one file field `field_name` straight into `folder`, up to `limit` bytes.

    Django's own limits do not apply to files (DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields
    only; files go to a temporary folder whatever their size), so this handler is where
    IMPORT_MAX_BYTES holds for uploads: a larger file is dropped as it arrives, never kept
    whole on disk, and `too_large` tells the form why there is no file. Other file fields
    are skipped.
    """

    def __init__(
        self, request: HttpRequest, *, folder: Path, limit: int, field_name: str = "file"
    ) -> None:
        super().__init__(request)
        self.folder = folder
        self.limit = limit
        self.field_name = field_name
        self.too_large = False
        self.path: Path | None = None
        self._handle: IO[bytes] | None = None
        self._size = 0

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],  # noqa: N803 - Django's name
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # The whole request is larger than the limit allows the file to be: refuse it
        # without writing a byte (the body is still read, and discarded, by the parser).
        if content_length and content_length > self.limit + 64 * 1024:
            self.too_large = True

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != self.field_name or self.path is not None or self.too_large:
            raise SkipFile()
        self.path = self.folder / spool_name(file_name)
        self._handle = self.path.open("xb")
        self._size = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self._handle is None:
            return raw_data
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_large = True
            self._discard()
            raise SkipFile()
        self._handle.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self._handle is None or self.path is None:
            return None
        self._handle.close()
        self._handle = None
        return SpooledUpload(
            self.path,
            name=self.path.name,
            content_type=self.content_type or "application/octet-stream",
            size=file_size,
        )

    def upload_interrupted(self) -> None:
        if self._handle is not None:  # a file still being written; a complete one is kept
            self._discard()

    def _discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
