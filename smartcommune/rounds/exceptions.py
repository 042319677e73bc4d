"""Every error the round's domain layer raises, with a Vietnamese and an English message.

::

    RoundError                      base; ``vi``, ``en``; ``str()`` is "vi (en)"
    ├── NotAllowed                  the user's roles do not allow this here (also a Django
    │                               ``PermissionDenied``, so a view answers 403 on its own)
    ├── IllegalTransition           the assessment's (or item's) state does not allow it
    ├── ValidationFailed            bad input; ``problems`` lists every one, nothing changed
    │   └── UploadRejected          a file refused by size or content; ``file_name``
    ├── EditConflict                ``expected_version`` is stale; ``changes`` lists the
    │                               audit entries written since, nothing changed
    └── AuditImmutable              an attempt to update or delete an audit entry
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from smartcommune.rounds.models import AuditEntry


class RoundError(Exception):
    def __init__(self, vi: str, en: str):
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} ({en})")


class NotAllowed(RoundError, PermissionDenied):
    pass


class IllegalTransition(RoundError):
    pass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason input was refused; ``criterion``/``field``/``value`` say where, when known."""

    vi: str
    en: str
    criterion: str = ""
    field: str = ""
    value: object = None

    def __str__(self) -> str:
        return f"{self.vi} ({self.en})"


class ValidationFailed(RoundError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.vi for p in problems), "; ".join(p.en for p in problems))


class UploadRejected(ValidationFailed):
    def __init__(self, file_name: str, vi: str, en: str):
        self.file_name = file_name
        super().__init__([Problem(f"Tệp “{file_name}”: {vi}", f"file {file_name!r}: {en}", field="file", value=file_name)])


class EditConflict(RoundError):
    def __init__(self, *, expected_version: int, current_version: int, changes: list[AuditEntry]):
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = changes
        super().__init__(
            f"Hồ sơ đã được người khác thay đổi (phiên bản {expected_version} → {current_version}, "
            f"{len(changes)} thay đổi); xem lại các thay đổi rồi lưu lại",
            f"the assessment was changed meanwhile (version {expected_version} → {current_version}, "
            f"{len(changes)} changes); review them and save again",
        )


class AuditImmutable(RoundError):
    def __init__(self, *, vi_verb: str, en_verb: str):
        super().__init__(
            f"Nhật ký thay đổi chỉ được ghi thêm, không được {vi_verb}",
            f"the audit log is append-only; entries cannot be {en_verb}",
        )
