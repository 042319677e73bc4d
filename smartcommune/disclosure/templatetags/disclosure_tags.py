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


@register.inclusion_tag("disclosure/_queue_proof.html")
def disclosure_proof(assessment, criterion_code: str):
    """On a verifier's queue row of a field-3 criterion: the register's count for the
    criterion's kind and the year's feedback figures, with links to the register (each
    item's channels and proofs) and the desk.  Nothing for other criteria."""
    from django.utils import timezone

    from smartcommune.disclosure import selectors

    set_code = assessment.round.criteria_set_code
    kinds = {k.criterion: k for k in config.kinds(set_code)}
    if criterion_code not in kinds and criterion_code != config.report_criterion(set_code):
        return {"shown": False}
    unit, year = assessment.unit, assessment.round.year
    counts = selectors.register_counts([unit.pk], year, set_code)[unit.pk]
    kind = kinds.get(criterion_code)
    return {
        "shown": True, "unit": unit, "year": year, "kind": kind,
        "count": counts[kind.code] if kind else None,
        "stats": selectors.stats_by_unit([unit.pk], year, timezone.localdate())[unit.pk],
    }


@register.inclusion_tag("disclosure/_overdue.html")
def overdue_feedback(unit):
    """On a queue row: how many of the commune's citizen feedback messages are past their
    answer deadline without an answer (nothing when none), linking to its desk."""
    from django.utils import timezone

    from smartcommune.disclosure.models import Feedback, FeedbackStatus

    n = Feedback.objects.filter(unit=unit, status=FeedbackStatus.OPEN, due_on__lt=timezone.localdate()).count()
    return {"unit": unit, "n": n}


@register.inclusion_tag("disclosure/_my_work.html")
def desk_work(user):
    """On "Việc của tôi": the citizens' feedback past its deadline or due soon in the
    communes the user's roles reach, with links to the desks (nothing without such a role)."""
    from django.utils import timezone

    from smartcommune.disclosure import selectors

    today = timezone.localdate()
    return {"work": selectors.desk_work(user, today), "today": today}
