"""The landing page: the criteria set in force and what the system holds."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcommune.criteria.registry import get_criteria_set
from smartcommune.units.selectors import unit_counts
from smartcommune.units.source import REFORM_DAY


def home(request: HttpRequest) -> HttpResponse:
    criteria_set = get_criteria_set()
    groups = [
        (group, [(c, [criteria_set.agency(a).name for a in c.lead_agencies]) for c in group.criteria])
        for group in criteria_set.groups
    ]
    return render(request, "core/home.html", {
        "criteria_set": criteria_set,
        "groups": groups,
        "before_reform": unit_counts(on=REFORM_DAY - timedelta(days=1)),
        "after_reform": unit_counts(on=REFORM_DAY),
        "reform_date": REFORM_DAY,
    })


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: what the site aims at, what was checked, what is known
    not to work yet, and whom to tell."""
    return render(request, "core/accessibility.html")
