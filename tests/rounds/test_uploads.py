"""Upload checks: size, content, and the extension agreeing with the content."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.rounds.exceptions import UploadRejected
from smartcommune.rounds.uploads import DOC, DOCX, GIF, JPEG, ODS, ODT, PDF, PNG, PPTX, WEBP, XLS, XLSX, validate_upload
from tests.imports.helpers import encrypt_entry


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def tiny_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tiny_docx() -> bytes:
    return zipped({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    })


def ole2(stream: str) -> bytes:
    # The signature and a directory entry name are all the detector looks at.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + (stream + "\0").encode("utf-16-le")


def check(name, data):
    return validate_upload(SimpleUploadedFile(name, data), name=name, size=len(data))


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("bao-cao.pdf", tiny_pdf(), PDF),
        ("anh.png", tiny_png(), PNG),
        ("ANH.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 20, JPEG),
        ("anh.jpeg", b"\xff\xd8\xff\xe1" + b"\0" * 20, JPEG),
        ("anh.gif", b"GIF89a" + b"\0" * 20, GIF),
        ("anh.webp", b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8, WEBP),
        ("quyet-dinh.docx", tiny_docx(), DOCX),
        ("so-lieu.xlsx", zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), XLSX),
        ("trinh-chieu.pptx", zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), PPTX),
        ("van-ban.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), ODT),
        ("bang.ods", zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), ODS),
        ("cu.doc", ole2("WordDocument"), DOC),
        ("cu.xls", ole2("Workbook"), XLS),
    ],
)
def test_accepted_types(name, data, expected):
    assert check(name, data) is expected


def test_valid_tiny_files_are_accepted_from_an_uploaded_file():
    upload = SimpleUploadedFile("x.pdf", tiny_pdf())
    assert validate_upload(upload, name=upload.name, size=upload.size) is PDF
    assert upload.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    "name, data, why",
    [
        ("anh-that.pdf", tiny_png(), "PNG"),                                   # a PNG renamed .pdf
        ("setup.pdf", b"MZ\x90\x00" + b"\0" * 60, "không phải"),              # a program renamed .pdf
        ("ghi-chu.docx", "Chỉ là văn bản thuần".encode(), "không phải"),      # a text file renamed .docx
        ("so-lieu.docx", zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}), "Excel"),
        ("nen.docx", zipped({"a.txt": b"hello"}), "không phải"),              # a plain zip
        ("cu.doc", ole2("Workbook"), "Excel"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "không phải"),  # OLE2, no Office stream
        ("chuong-trinh.exe", b"MZ\x90\x00", "không được chấp nhận"),
        ("khong-duoi", tiny_pdf(), "không được chấp nhận"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_refused_files_name_the_file_and_why(name, data, why):
    with pytest.raises(UploadRejected) as refused:
        check(name, data)
    assert name in refused.value.vi and name in refused.value.en
    assert why in refused.value.vi
    assert refused.value.file_name == name


def test_too_large_with_a_small_limit(settings):
    settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES = 100
    data = tiny_pdf() + b"\0" * 100
    with pytest.raises(UploadRejected, match="exceeds the limit of 100 bytes"):
        check("lon.pdf", data)
    settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES = len(data)
    assert check("lon.pdf", data) is PDF


def test_size_is_measured_when_not_given():
    assert validate_upload(io.BytesIO(tiny_png()), name="a.png") is PNG


@pytest.mark.parametrize("name, data, entry", [
    ("van-ban.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "mimetype"),
    ("van-ban.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
     "content.xml"),
    ("hop-dong.docx", tiny_docx(), "word/document.xml"),
])
def test_encrypted_zip_entry_refused(name, data, entry):
    """An encrypted entry is refused with a message, not a RuntimeError (issue 16, 4)."""
    with pytest.raises(UploadRejected) as refused:
        check(name, encrypt_entry(data, entry))
    assert "mã hóa bằng mật khẩu" in refused.value.vi and entry in refused.value.en
