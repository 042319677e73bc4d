"""The visibility helpers the results add to rounds/access.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from smartcommune.rounds.access import (
    is_published,
    may_open_evidence,
    published_assessments,
    visible_assessments,
)
from smartcommune.rounds.models import Status as Workflow
from tests.results.fixtures import set_status

pytestmark = pytest.mark.django_db


def test_published_assessments_are_what_the_public_sees(results_world):
    r = results_world
    assert set(published_assessments()) == {r.a23, r.b23, r.a}
    assert set(visible_assessments(AnonymousUser())) == set(published_assessments())
    assert is_published(r.a) and not is_published(r.b) and not is_published(r.c)


@pytest.mark.parametrize("who, key, may", [
    ("anonymous", "a", False), ("nobody", "a", False),  # published: the result is public, the evidence is not
    ("officer_a", "a", True), ("officer_b", "a", False), ("officer_b", "b", True),
    ("district1", "a", True), ("district2", "a", False), ("district2", "c", True),
    ("secretariat", "c", True), ("secretariat_vl", "a", False), ("admin", "c", True),
])
def test_may_open_evidence_follows_roles_not_publication(results_world, who, key, may):
    w = results_world.world
    viewer = AnonymousUser() if who == "anonymous" else getattr(w, who)
    assert may_open_evidence(viewer, getattr(results_world, key)) is may


def test_verifiers_open_evidence_of_their_province(results_world):
    assert may_open_evidence(results_world.world.verifiers["SYT"], results_world.c)


def test_unpublishing_takes_a_result_off_the_public_list(results_world):
    set_status(results_world.a, Workflow.APPRAISED)
    assert results_world.a not in set(published_assessments())
