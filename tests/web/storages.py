"""Storages that the evidence tests put in ``STORAGES["default"]`` (through settings)."""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """A disk that fills up half-way through every file: the first half is written, then
    ``OSError(ENOSPC)``, as ``write()`` raises on a full file system."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.read()
        with open(path, "wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


class FailingStoreStorage(FileSystemStorage):
    """An object store that refuses every write with an error of its own client (not an OSError)."""

    class StoreError(Exception):
        pass

    def _save(self, name, content):
        raise self.StoreError("503 Slow Down")
