"""Who runs the site (settings ``SMARTCOMMUNE_OWNER``, ``SMARTCOMMUNE_CONTACT_EMAIL``,
``SMARTCOMMUNE_CONTACT_PHONE``), for the footer and the accessibility statement:
``{% load site_owner %}{% site_owner as owner %}``."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings

register = template.Library()


@dataclass(frozen=True)
class Owner:
    name: str
    email: str
    phone: str


@register.simple_tag
def site_owner() -> Owner:
    return Owner(settings.SMARTCOMMUNE_OWNER, settings.SMARTCOMMUNE_CONTACT_EMAIL, settings.SMARTCOMMUNE_CONTACT_PHONE)
