"""Check an uploaded evidence file by size, by content and by name, before it is stored.

Accepted: PDF, PNG, JPEG, GIF, WebP; Word/Excel/PowerPoint 97-2003 (OLE2 compound files,
told apart by their main stream's name); Word/Excel/PowerPoint 2007+ (OOXML: a zip with
``[Content_Types].xml`` and its main part under ``word/``, ``xl/`` or ``ppt/``);
OpenDocument text and spreadsheet (a zip whose ``mimetype`` entry says so).

The type is detected from the bytes, and the file name's extension must be one of that
type's extensions: a PNG named ``.pdf``, a program renamed ``.pdf`` or a text file named
``.docx`` is refused.  Zip archives are only listed, never extracted (only the few bytes
of an ODF ``mimetype`` entry are read), so a zip bomb costs nothing; one with a
password-encrypted entry is refused.  No XML in an upload is parsed.

The size limit is ``settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES`` (20 MB by default; system
check ``smartcommune.E010``).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings

from smartcommune.rounds.exceptions import UploadRejected

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    """Accepted extensions, the first being the one the file is stored under."""


PDF = FileType("PDF", "application/pdf", (".pdf",))
PNG = FileType("PNG", "image/png", (".png",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileType("GIF", "image/gif", (".gif",))
WEBP = FileType("WebP", "image/webp", (".webp",))
DOC = FileType("Word 97-2003", "application/msword", (".doc",))
XLS = FileType("Excel 97-2003", "application/vnd.ms-excel", (".xls",))
PPT = FileType("PowerPoint 97-2003", "application/vnd.ms-powerpoint", (".ppt",))
DOCX = FileType("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
ODT = FileType("OpenDocument Text", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("OpenDocument Spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))

ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOC, XLS, PPT, DOCX, XLSX, PPTX, ODT, ODS)
ACCEPTED_EXTENSIONS = frozenset(e for t in ACCEPTED for e in t.extensions)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes an OLE2 file a Word, Excel or PowerPoint file; directory entry
# names are UTF-16LE.
_OLE2_STREAMS = (
    (DOC, "WordDocument"),
    (XLS, "Workbook"),
    (XLS, "Book"),
    (PPT, "PowerPoint Document"),
)
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}


def max_bytes() -> int:
    return getattr(settings, "SMARTCOMMUNE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def validate_upload(file: IO[bytes], *, name: str, size: int | None = None) -> FileType:
    """The detected type of ``file`` (named ``name`` by the user), or :class:`UploadRejected`.

    ``file`` must be seekable (Django's ``UploadedFile`` is); it is left at offset 0.
    """
    limit = max_bytes()
    if size is None:
        size = file.seek(0, 2)
    if size > limit:
        raise UploadRejected(
            name,
            f"dung lượng {_mb(size)} vượt giới hạn {_mb(limit)}",
            f"its size {size} bytes exceeds the limit of {limit} bytes",
        )
    if size == 0:
        raise UploadRejected(name, "tệp rỗng", "the file is empty")
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise UploadRejected(
            name,
            f"đuôi tệp “{extension or '(không có)'}” không được chấp nhận; chỉ nhận {_accepted()}",
            f"extension {extension or '(none)'!r} is not accepted; accepted: {_accepted()}",
        )
    file.seek(0)
    try:
        detected = _detect(file)
    except _Encrypted as encrypted:
        raise UploadRejected(
            name,
            f"tệp có thành phần được mã hóa bằng mật khẩu ({encrypted}); hãy lưu lại tệp không đặt mật khẩu",
            f"it has a password-encrypted entry ({encrypted}); save the file without a password",
        ) from None
    finally:
        file.seek(0)
    if detected is None:
        raise UploadRejected(
            name,
            f"nội dung không phải là một loại tệp được chấp nhận ({_accepted()})",
            f"its content is not an accepted file type ({_accepted()})",
        )
    if extension not in detected.extensions:
        raise UploadRejected(
            name,
            f"nội dung là {detected.label} nhưng đuôi tệp là “{extension}”",
            f"its content is {detected.label} but its extension is {extension!r}",
        )
    return detected


def _detect(file: IO[bytes]) -> FileType | None:
    head = file.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(_OLE2):
        file.seek(0)
        return _detect_ole2(file.read())
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        return _detect_zip(file)
    return None


def _detect_ole2(data: bytes) -> FileType | None:
    for file_type, stream in _OLE2_STREAMS:
        # Directory entries hold the name NUL-terminated; the terminator keeps "Book"
        # from matching inside "Workbook".
        if (stream + "\0").encode("utf-16-le") in data:
            return file_type
    return None


class _Encrypted(Exception):
    """A zip entry is encrypted (Python's zipfile would ask for a password)."""


def _detect_zip(file: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            encrypted = [i.filename for i in archive.infolist() if i.flag_bits & 0x1]
            if encrypted:
                # Neither OOXML nor ODF encrypts zip entries (their own protection is
                # inside the parts): such a file opens nowhere, and reading it would fail.
                raise _Encrypted(encrypted[0])
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, file_type in _OOXML_PARTS:
                    if any(n.startswith(prefix) for n in names):
                        return file_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return None
    return None


def _accepted() -> str:
    return ", ".join(e.lstrip(".") for t in ACCEPTED for e in t.extensions)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
