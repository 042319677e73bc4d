"""DOCX templates: the one in use for a province and kind, rendering with docxtpl, and
checking a province's replacement before it is kept.

Templates are Jinja2 inside Word (docxtpl), rendered in Jinja's sandbox: a template
uploaded by a province can use its placeholders, loops and filters, never reach Python
objects beyond the plain values it is given."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from smartcommune.documents.kinds import Kind
from smartcommune.documents.models import DocumentTemplate
from smartcommune.units.models import Unit

# A template is a Word file of a few pages: more is a mistake (or worse).
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _environment(*, strict: bool = False) -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined) if strict else SandboxedEnvironment()


def current(province: Unit, kind: Kind) -> DocumentTemplate | None:
    """The province's replacement in use for ``kind``, if any (the latest upload, unless
    that put the shipped template back)."""
    latest = DocumentTemplate.objects.filter(province=province, kind=kind.code).order_by("-uploaded_at", "-pk").first()
    return latest if latest is not None and latest.content else None


def template_bytes(province: Unit, kind: Kind) -> bytes:
    replacement = current(province, kind)
    return bytes(replacement.content) if replacement is not None else kind.shipped.read_bytes()


def render_docx(content: bytes, context: dict) -> bytes:
    """The DOCX ``content`` (a template) rendered with ``context``."""
    document = DocxTemplate(io.BytesIO(content))
    document.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def problems(kind: Kind, file_name: str, content: bytes, sample: dict) -> list[str]:
    """What is wrong with ``content`` as a template of ``kind``, in Vietnamese, each naming
    the file and what to change; empty when it can be used. ``sample`` is a context of
    the kind (every placeholder filled) that the template must render with."""
    where = _("Tệp “%(name)s”") % {"name": file_name}
    if len(content) > MAX_TEMPLATE_BYTES:
        return [_("%(where)s lớn hơn %(limit)d MB.") % {"where": where, "limit": MAX_TEMPLATE_BYTES // 1024 // 1024}]
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES or \
                    "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        return [_("%(where)s không phải tệp Word (.docx).") % {"where": where}]
    try:
        template = DocxTemplate(io.BytesIO(content))
        used = template.get_undeclared_template_variables(_environment())
    except (TemplateError, ValueError, KeyError) as error:
        return [_("%(where)s có lỗi cú pháp mẫu: %(error)s.") % {"where": where, "error": error}]
    unknown = sorted(used - kind.placeholders)
    if unknown:
        return [_("%(where)s dùng trường không có trong mẫu “%(kind)s”: %(names)s. Các trường được dùng: %(allowed)s.")
                % {"where": where, "kind": kind.name, "names": ", ".join(unknown),
                   "allowed": ", ".join(sorted(kind.placeholders))}]
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.render(sample, jinja_env=_environment(strict=True), autoescape=True)
    except TemplateError as error:
        return [_("%(where)s không dựng được văn bản: %(error)s. Các trường của từng dòng: %(rows)s.") % {
            "where": where, "error": error,
            "rows": "; ".join(f"{name}: {', '.join(sorted(cells))}" for name, cells in sorted(kind.rows.items()))}]
    return []
