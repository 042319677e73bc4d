"""Small helpers for the results templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.criteria.engine import STATUS_LABELS_VI, Status
from smartcommune.criteria.model import points_text
from smartcommune.results.exports import labels as outcome_labels
from smartcommune.rounds.models import Status as Workflow
from smartcommune.rounds.models import criterion_slug

register = template.Library()

# A field's or criterion's status as a mark: colour is never the only cue.
MARKS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.MISSING: "–", Status.NOT_APPLICABLE: "○"}


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of ``name`` with ``args``, or "" when no such route exists (yet): the
    exports are a separate module and a page must not break without them."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def points(value) -> Decimal:
    """Points with two decimals (``26.67``), as a Decimal so the page writes it in its
    language's way (``26,67`` in Vietnamese)."""
    return Decimal(points_text(value))


@register.simple_tag
def recognition(criteria_set) -> str:
    """What the set recognises, in the active language ("xã thông minh")."""
    return outcome_labels.recognition(criteria_set)


@register.simple_tag
def rule_facts(criteria_set) -> list[tuple[str, str]]:
    """The row stating the rule where the fields met and "(cần 7)" do not say it whole."""
    return outcome_labels.rule_facts(criteria_set)


@register.simple_tag
def certainty(evaluation) -> str:
    """"Kết quả đã chắc chắn" or "còn có thể thay đổi"."""
    return outcome_labels.certainty_text(evaluation)


@register.filter
def mark(status: str) -> str:
    return MARKS.get(status, "?")


@register.filter
def status_label(status: str) -> str:
    """The engine's status in words (translated)."""
    return _(STATUS_LABELS_VI.get(status, status))


@register.filter
def workflow_label(status: str, districts: bool = True) -> str:
    """The assessment's workflow status in words; ``districts`` false where there is no
    district review (``{{ s|workflow_label:c.district }}``)."""
    try:
        return outcome_labels.workflow_label(status, districts=bool(districts))
    except ValueError:
        return status


@register.filter
def slug(code: str) -> str:
    """A criterion code as an HTML id part, as on the assessment page: ``1.2`` → ``1-2``."""
    return criterion_slug(code)


@register.simple_tag
def matrix_rows(rows, ov) -> SafeString:
    """The overview matrix's body rows (one per commune), built in Python: thousands of
    cells as template nodes cost most of the page.  A field's cell depends only on the
    field and its status, so each kind is built once."""
    cells: dict[tuple[str, str], str] = {}
    labels = {status: _(label) for status, label in STATUS_LABELS_VI.items()}
    total = len(ov.groups)
    recognised = format_html('<span class="badge st-met">{}</span>', _("Đã công nhận"))
    refused = escape(_("Không"))
    undecided = format_html('<span class="muted">{}</span>', _("Chưa quyết định"))
    year = ov.year
    criteria_set = ov.criteria_set
    out = []
    for r in rows:
        fields = []
        for f in r.evaluation.fields:
            cell = cells.get((f.group.code, f.status))
            if cell is None:
                label = labels.get(f.status, f.status)
                # No title repeating the field's name in every cell (no hover on a phone; the
                # column header names the field, also for screen readers): a third of the page.
                cell = cells[f.group.code, f.status] = format_html(
                    '<td class="f st-{}"><span aria-hidden="true">{}</span><span class="sr">{}</span></td>',
                    f.status, MARKS.get(f.status, "?"), label)
            fields.append(cell)
        if r.recognised:
            decision = recognised
        elif r.status in (Workflow.NOT_RECOGNISED, Workflow.PUBLISHED):
            decision = refused
        else:
            decision = undecided
        district = format_html('<td class="d">{}</td>', r.district.name if r.district else "") if ov.districts else ""
        out.append(format_html(
            '<tr data-unit="{code}"><td class="c">{code}</td>'
            '<th scope="row" class="name"><a href="{url}">{name}</a></th>{district}{fields}'
            '<td class="num fields-met"><strong class="{met}">{n}/{total}</strong></td>{outcome}'
            '<td class="num p">{previous}</td>'
            '<td class="w"><span class="badge wf-{status}">{status_label}</span></td>'
            '<td class="r">{decision}</td></tr>\n',
            code=r.unit.code, url=reverse("results:scorecard", args=(r.unit.pk, year)), name=r.unit.name,
            district=district, fields=mark_safe("".join(fields)),
            met="met" if r.evaluation.smart_commune else "not-met", n=r.evaluation.fields_met, total=total,
            previous="—" if r.previous is None else localize(points(r.previous)) if criteria_set.scores else r.previous,
            status=r.status, status_label=r.assessment.status_text, decision=decision,
            outcome=_outcome_cells(r.evaluation, criteria_set),
        ))
    return mark_safe("".join(out))


def _outcome_cells(evaluation, criteria_set) -> SafeString:
    """The matrix's cells a set with points, levels or preconditions adds after the fields
    met (none for a set like Bến Tre's)."""
    cells = []
    if criteria_set.scores:
        cells.append(format_html('<td class="num points">{}</td>', localize(points(evaluation.points))))
    if criteria_set.levels:
        cells.append(format_html('<td class="level">{}</td>',
                                 evaluation.level.name if evaluation.level is not None else "—"))
    if criteria_set.preconditions:
        cells.append(format_html('<td class="eligible">{}</td>',
                                 wording.eligibility_text(evaluation) or _("Đủ điều kiện")))
    return mark_safe("".join(cells))


@register.simple_tag
def outcome_headers(criteria_set) -> SafeString:
    """The headers of :func:`_outcome_cells`."""
    cells = []
    if criteria_set.pass_rule.by_points:
        cells.append(format_html('<th scope="col" class="num points">{}</th>', _("Điểm (tối đa %(max)s, cần %(need)s)") % {
            "max": localize(points(criteria_set.points_max)),
            "need": localize(points(criteria_set.pass_rule.points_at_least))}))
    elif criteria_set.scores:
        cells.append(format_html('<th scope="col" class="num points">{}</th>',
                                 _("Điểm (tối đa %(max)s)") % {"max": localize(points(criteria_set.points_max))}))
    if criteria_set.levels:
        cells.append(format_html('<th scope="col" class="level">{}</th>', _("Mức đạt")))
    if criteria_set.preconditions:
        cells.append(format_html('<th scope="col" class="eligible">{}</th>', _("Điều kiện tiên quyết")))
    return mark_safe("".join(cells))


@register.simple_tag
def comparison_rows(comparison) -> SafeString:
    """The comparison table's body rows, built in Python (one per commune): points with two
    decimals for a set that scores, fields met otherwise."""
    figure = (lambda n: localize(points(n))) if comparison.scores else (lambda n: n)
    out = []
    for p in comparison.rows:
        change = p.change
        out.append(format_html(
            '<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num{}">{}{}</td></tr>',
            p.result.unit.name, figure(p.before), figure(p.now), " up" if change > 0 else " down" if change < 0 else "",
            "+" if change > 0 else "", figure(change),
        ))
    return mark_safe("".join(out))
