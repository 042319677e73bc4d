"""The yearly feedback report of a commune (the evidence of 3.4): what it published, by
kind and channel, and how it answered its citizens — counts by kind and channel, answer
times, the share answered within the deadline — and, where the commune's survey of field 4
asks the 3.4 questions (public services, planning, budget), its answers counted per
question and option (:func:`smartcommune.surveys.selectors.topic_answers_of`: aggregates
only) — as a PDF (WeasyPrint, offline)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from smartcommune.disclosure import config, selectors
from smartcommune.disclosure.models import Feedback, FeedbackChannel, FeedbackStatus, Item
from smartcommune.results.exports.pdf import render_pdf
from smartcommune.surveys.selectors import topic_answers_of
from smartcommune.units.models import Unit


def report_context(unit: Unit, year: int, today: date) -> dict:
    labels = config.kind_labels()
    channels = selectors.channel_counts(Item.objects.filter(unit=unit, year=year))
    stats = selectors.feedback_stats(Feedback.objects.filter(unit=unit, year=year), today)
    return {
        "unit": unit, "year": year, "today": today,
        "items": [{"label": labels.get(kind, kind), **row} for kind, row in sorted(channels.items())],
        "stats": stats,
        "by_kind": [(labels.get(k, k) if k else "Chung", n) for k, n in sorted(stats.by_kind.items())],
        "by_channel": [(str(FeedbackChannel(c).label), n) for c, n in sorted(stats.by_channel.items())],
        "by_status": [(str(FeedbackStatus(s).label), n) for s, n in sorted(stats.by_status.items())],
        "working_days": config.option("answer_working_days"),
        "survey_topics": topic_answers_of(unit_id=unit.pk, year=year),
    }


def feedback_report_pdf(unit: Unit, year: int, *, today: date | None = None) -> bytes:
    return render_pdf("disclosure/report_pdf.html", report_context(unit, year, today or timezone.localdate()))


def report_filename(unit: Unit, year: int) -> str:
    return f"bao-cao-phan-hoi-{unit.code}-{year}.pdf"
