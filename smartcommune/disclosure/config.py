"""What a province configures for field 3: the kinds of information items (each tied to the
criterion it counts for), the other channels it publishes on, the answer deadline and the
reading of the feedback condition.  Defaults are Bến Tre's 2021–2025 regulation; a setting
``SMARTCOMMUNE_DISCLOSURE`` (a dict with any of the keys of :data:`DEFAULTS`) overrides them.

``kinds``: ``{criteria set code: [(kind code, Vietnamese label, criterion code), …]}``.  A
criteria set not listed has no computed field 3 (its communes enter counts by hand).

``feedback_reading`` (how the boolean "có cơ chế phản hồi" of 3.1–3.3 is read from the
desk; docs/disclosure.md):

* ``"reachable_and_answered"`` (default): met when the commune's feedback channel was open
  during the year (at least one item published on its public page, whose feedback form is
  the channel) and no feedback of the year is left without an answer or a forwarding past
  its deadline;
* ``"reachable"``: met when the channel was open during the year.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SOURCE = "Sổ công khai trong hệ thống"
FEEDER = "disclosure"

DEFAULTS = {
    "kinds": {
        "ben-tre-2021-2025": [
            ("dich-vu-cong", "Dịch vụ công", "3.1"),
            ("quy-hoach", "Quy hoạch", "3.2"),
            ("ngan-sach", "Ngân sách", "3.3"),
        ],
    },
    # Criterion met when the year's feedback has been assessed (the report produced).
    "report_criterion": {"ben-tre-2021-2025": "3.4"},
    "other_channels": [("zalo", "Zalo OA của xã"), ("cong-tinh", "Cổng thông tin điện tử tỉnh")],
    "answer_working_days": 10,
    "feedback_reading": "reachable_and_answered",
    # Submissions of the public feedback form per client address per minute, and the
    # fewest seconds between showing the form and sending it (faster is a robot).
    "feedback_rate": 5,
    "feedback_min_seconds": 3,
    # The inbound adapter (SMS and e-mail gateways), per minute: messages per sender, per
    # commune number or address, and requests per gateway address.
    "inbound_rate": 5,
    "inbound_commune_rate": 120,
    "inbound_address_rate": 600,
}

READINGS = ("reachable_and_answered", "reachable")
REQUIRED_CHANNELS = 3  # the website, the loudspeakers, the posting at the People's Committee


@dataclass(frozen=True, slots=True)
class Kind:
    code: str
    label: str
    criterion: str


def option(name: str):
    return getattr(settings, "SMARTCOMMUNE_DISCLOSURE", {}).get(name, DEFAULTS[name])


def kinds(criteria_set_code: str | None = None) -> list[Kind]:
    """The kinds of one criteria set, or of every set (each code once) when none is given."""
    table = option("kinds")
    codes = [criteria_set_code] if criteria_set_code else sorted(table)
    seen: dict[str, Kind] = {}
    for code in codes:
        for kind, label, criterion in table.get(code, []):
            seen.setdefault(kind, Kind(kind, label, criterion))
    return list(seen.values())


def kind_labels() -> dict[str, str]:
    return {k.code: k.label for k in kinds()}


def report_criterion(criteria_set_code: str) -> str | None:
    return option("report_criterion").get(criteria_set_code)


def other_channels() -> dict[str, str]:
    return dict(option("other_channels"))


def feedback_reading() -> str:
    reading = option("feedback_reading")
    if reading not in READINGS:
        raise ValueError(f"SMARTCOMMUNE_DISCLOSURE feedback_reading must be one of {READINGS}, not {reading!r}")
    return reading
