from django import template

from smartcommune.disclosure import config

register = template.Library()


@register.filter
def kind_label(code: str) -> str:
    """A kind's name (its code when the configuration no longer has it)."""
    return config.kind_labels().get(code, code) if code else ""


@register.filter
def overdue_on(feedback, today) -> bool:
    return feedback.overdue_on(today)
