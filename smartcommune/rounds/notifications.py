"""Who hears about a step of the workflow, and how.

A transition returns :class:`Notice` objects; :func:`send` (called inside the action's
transaction) writes one in-app :class:`~smartcommune.rounds.models.Notification` per
recipient and, once the transaction commits, e-mails recipients who have an address
through Django's mail settings.  Mail goes after the commit so that a rolled-back action
sends nothing; a mail failure is logged (``robust``) and never undoes the action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from smartcommune.accounts.models import Role
from smartcommune.rounds.models import Assessment, Notification
from smartcommune.units.models import Unit

SUBJECT_PREFIX = "[Xã thông minh] "


@dataclass(frozen=True, slots=True)
class Notice:
    recipients: tuple
    assessment: Assessment
    message: str
    message_en: str


def _users(role: str, **scope):
    return get_user_model().objects.filter(
        is_active=True, role_assignments__role=role, **{f"role_assignments__{k}": v for k, v in scope.items()}
    ).distinct()


def officers_of(commune: Unit):
    return _users(Role.COMMUNE_OFFICER, unit=commune)


def district_reviewers_of(district: Unit):
    return _users(Role.DISTRICT_REVIEWER, unit=district)


def agency_verifiers(province: Unit, agencies: Iterable[str]):
    return _users(Role.AGENCY_VERIFIER, unit=province, agency__in=sorted(set(agencies)))


def secretariat_of(province: Unit):
    return _users(Role.SECRETARIAT, unit=province)


def notice(recipients, assessment: Assessment, message: str, message_en: str) -> Notice:
    """A notice for ``recipients`` (a queryset or iterable of users) about ``assessment``,
    in Vietnamese and English: a notification is read in the language its reader chose,
    whoever's action wrote it."""
    where = f"{assessment.unit.name} ({assessment.round.year}): "
    return Notice(tuple(recipients), assessment, where + message, where + message_en)


def send(notices: Iterable[Notice], *, at: datetime | None = None) -> None:
    """Write the in-app notifications, dated ``at`` (the write's moment; now if not
    given), and schedule the e-mails for the commit."""
    rows = []
    mails = []
    for n in notices:
        for user in n.recipients:
            rows.append(Notification(recipient=user, assessment=n.assessment, message=n.message, message_en=n.message_en,
                                     url=reverse("rounds:assessment", args=[n.assessment.id]),
                                     **({"created_at": at} if at is not None else {})))
            if user.email:
                mails.append((n.message, user.email))
    Notification.objects.bulk_create(rows)
    for message, address in mails:
        transaction.on_commit(lambda m=message, a=address: _mail(m, a), robust=True)


def _mail(message: str, address: str) -> None:
    # One mail per recipient: officers of one commune must not learn another's address.
    send_mail(SUBJECT_PREFIX + message[:150], message, None, [address])
