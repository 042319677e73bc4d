"""The demo's people: who they are (:func:`people`), their names and their passwords,
derived from ``SECRET_KEY`` so that they can be printed again on every run (the database
keeps only Django's hashes)."""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass

from django.conf import settings

from smartcommune.accounts.models import Role
from smartcommune.criteria.model import CriteriaSet
from smartcommune.demo.scenario import MARK
from smartcommune.units.models import Unit

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Lower-case letters and digits without the look-alikes i, l, o, 0, 1."""
PASSWORD_LENGTH = 12


class DemoRefused(Exception):
    """The database holds something the demo must not mix with; nothing was written."""


# -- passwords ---------------------------------------------------------------------------


def _secret_key() -> bytes:
    key = settings.SECRET_KEY
    if not key:
        raise DemoRefused("Cần SECRET_KEY để tạo mật khẩu mô phỏng (SECRET_KEY is required to derive demo passwords).")
    if key.startswith("insecure-"):
        # Django's and this project's public development defaults: anyone could derive the passwords.
        raise DemoRefused("SECRET_KEY đang là khoá mặc định công khai, mật khẩu mô phỏng sẽ đoán được; hãy đặt SECRET_KEY "
                          "riêng (SECRET_KEY is a public development default; set a key of your own).")
    return key.encode()


def demo_password(username: str) -> str:
    """The demo password of ``username``: HMAC-SHA256 of the name under ``SECRET_KEY``,
    written with :data:`PASSWORD_LENGTH` characters of :data:`PASSWORD_ALPHABET`
    (about 59 bits).  The same key and name always give the same password."""
    digest = hmac.new(_secret_key(), f"smartcommune-demo-password:{username}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest, "big")
    chars = []
    for _ in range(PASSWORD_LENGTH):
        n, r = divmod(n, len(PASSWORD_ALPHABET))
        chars.append(PASSWORD_ALPHABET[r])
    return "".join(chars)


def key_check() -> str:
    """A fingerprint of ``SECRET_KEY`` (HMAC of a constant): tells, without hashing every
    password again, whether the printed passwords still match the stored hashes."""
    return hmac.new(_secret_key(), b"smartcommune-demo-key-check", hashlib.sha256).hexdigest()


# -- who ---------------------------------------------------------------------------------

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
_MIDDLE = (("Văn", "Minh", "Quốc", "Thanh", "Hoàng", "Đức", "Hữu"), ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ"))
_GIVEN = (
    ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Lộc", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thành",
     "Trí", "Vinh"),
    ("Anh", "Châu", "Diễm", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương", "Thảo", "Trang",
     "Vy", "Yến"),
)


def demo_name(username: str) -> str:
    """A Vietnamese full name for ``username``, the same every time, marked "(mô phỏng)"."""
    r = random.Random(f"smartcommune-demo-name:{username}")
    sex = r.randrange(2)
    return f"{r.choice(_FAMILY)} {r.choice(_MIDDLE[sex])} {r.choice(_GIVEN[sex])} {MARK}"


@dataclass(frozen=True, slots=True)
class Person:
    """One demo person: their single role and its scope; ``login``: gets a password."""

    username: str
    role: str
    unit: Unit | None
    agency: str = ""
    login: bool = True
    scope: str = ""

    @property
    def full_name(self) -> str:
        if self.role == Role.ADMIN:
            return f"Quản trị hệ thống {MARK}"
        return demo_name(self.username)


def agency_username(criteria_set: CriteriaSet, code: str) -> str:
    """``so-yt`` for Sở Y tế (SYT), ``cat`` for Công an tỉnh (CAT): readable ASCII."""
    name = criteria_set.agency(code).name
    if name.startswith("Sở ") and code.startswith("S") and len(code) > 1:
        return f"so-{code[1:].lower()}"
    return code.lower()


def lead_agencies(criteria_set: CriteriaSet) -> list[str]:
    """Agency codes that lead at least one criterion, in the set's order."""
    leading = {a for c in criteria_set.criteria for a in c.lead_agencies}
    return [a.code for a in criteria_set.agencies if a.code in leading]


def people(criteria_set: CriteriaSet, province: Unit, communes: list[Unit]) -> list[Person]:
    """Everyone the demo creates, in the order they are printed.

    ``communes``: the round's communes (with their ``parent`` district); the first of
    each district, by code, is the one whose officer gets a login.
    """
    result = [
        Person("quantri", Role.ADMIN, None, scope="toàn hệ thống (superuser)"),
        Person("thuky", Role.SECRETARIAT, province, scope=province.name),
    ]
    for code in lead_agencies(criteria_set):
        led = [c.code for c in criteria_set.criteria if code in c.lead_agencies]
        result.append(Person(
            agency_username(criteria_set, code), Role.AGENCY_VERIFIER, province, agency=code,
            scope=f"{criteria_set.agency(code).name} ({code}) — tiêu chí {', '.join(led)}",
        ))
    districts = sorted({c.parent for c in communes}, key=lambda u: u.code)
    for district in districts:
        result.append(Person(f"huyen-{district.code}", Role.DISTRICT_REVIEWER, district,
                             scope=f"{district.name} ({district.code})"))
    first = {}
    for commune in sorted(communes, key=lambda u: u.code):
        first.setdefault(commune.parent_id, commune)
    with_login = {c.pk for c in first.values()}
    for commune in sorted(communes, key=lambda u: (u.pk not in with_login, u.parent.code, u.code)):
        result.append(Person(f"xa-{commune.code}", Role.COMMUNE_OFFICER, commune, login=commune.pk in with_login,
                             scope=f"{commune.name} ({commune.code}), {commune.parent.name}"))
    return result
