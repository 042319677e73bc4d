"""Writes of the documents app: a province's template replaced, or put back to the
shipped one. Keyword-only, atomic, checked, with the ``now=`` clock; each upload is a new
row (the history of who replaced what, when)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from smartcommune.documents import access, contexts
from smartcommune.documents import templates as docx_templates
from smartcommune.documents.kinds import KINDS
from smartcommune.documents.models import DocumentTemplate
from smartcommune.rounds.audit import clock
from smartcommune.rounds.exceptions import NotAllowed, Problem, ValidationFailed
from smartcommune.units.models import Unit


def do_replace_template(*, actor, province: Unit, kind_code: str, file_name: str, content: bytes | None,
                        now=None) -> DocumentTemplate:
    """Keep ``content`` as ``province``'s template of ``kind_code`` (``None``: the shipped
    template again), after checking it: a template that uses a placeholder its kind does
    not have, or does not render, is refused with every problem named and nothing kept."""
    if not access.may_take_province_documents(actor, province):
        raise NotAllowed("Chỉ thư ký Hội đồng của tỉnh thay được mẫu văn bản.",
                         "only the province's secretariat may replace document templates")
    kind = KINDS.get(kind_code)
    if kind is None:
        raise ValidationFailed([Problem(f"Không có loại văn bản “{kind_code}”.", f"no document kind {kind_code!r}",
                                        field="kind", value=kind_code)])
    file_name = (file_name or "")[:200]
    if content is not None:
        with translation.override("vi"):
            found = docx_templates.problems(kind, file_name, content, contexts.sample(kind))
        if found:
            with translation.override("en"):
                english = docx_templates.problems(kind, file_name, content, contexts.sample(kind))
            raise ValidationFailed([Problem(vi, en, field="file", value=file_name) for vi, en in zip(found, english)])
    with transaction.atomic():
        return DocumentTemplate.objects.create(
            province=province, kind=kind.code, content=content or b"", file_name=file_name if content else "",
            uploaded_by=actor, uploaded_at=clock(now)())
