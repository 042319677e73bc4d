"""A province without a district level (Vĩnh Long after the 1 July 2025 reform): the
commune's file goes straight to the agencies, nobody reviews it as a district, and no
page names a district -- neither the province in a "Huyện" column nor a district review
deadline -- while Bến Tre's pages keep theirs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed
from smartcommune.rounds.models import AppraisalSession, Decision, Notification, Status
from smartcommune.rounds.selectors.submission import AGENCIES, DISTRICT, next_step
from smartcommune.rounds.workflow import available_transitions
from tests.rounds.fixtures import assessment_of, fill, fresh, open_round, step, verify_all

pytestmark = pytest.mark.django_db

DECISION = {"number": "7/QĐ-UBND", "date": date(2026, 2, 1), "signer": "Nguyễn Văn A"}


@pytest.fixture
def round_vl(world):
    return open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)


def decided(world, round_, commune, officer, secretariat, reviewer=None):
    a = step(officer, fill(assessment_of(round_, commune), officer), "submit")
    if reviewer is not None:
        a = step(reviewer, a, "district_forward")
    a = verify_all(world, a)
    session = AppraisalSession.objects.create(round=round_, date=date(2026, 1, 20))
    a = step(secretariat, a, "appraise", session=session)
    return fresh(step(secretariat, a, "record_decision", recognised=True, **DECISION)), session


def test_a_communes_district(world):
    assert world.a.district == world.d1
    assert world.x.district is None  # its parent is the province
    assert world.vl.district is None and world.d1.district is None


def test_a_round_knows_whether_its_province_has_districts(world, round_bt, round_vl):
    assert round_bt.has_districts
    assert not round_vl.has_districts


def test_submitting_goes_straight_to_the_agencies_and_no_district_is_told(world, round_vl):
    x = fill(assessment_of(round_vl, world.x), world.officer_x)
    assert next_step(x).who == AGENCIES and next_step(x).deadline == round_vl.verification_deadline
    x = step(world.officer_x, x, "submit")
    assert x.status == Status.DISTRICT_REVIEWED and x.awaiting_agency
    told = set(Notification.objects.filter(assessment=x).values_list("recipient_id", flat=True))
    assert told and told <= {v.pk for v in world.verifiers.values()}
    # No district step to take, by anyone: not a district reviewer, not the secretariat.
    for who in (world.district1, world.secretariat_vl):
        assert not {"district_forward", "district_return"} & {t.name for t in available_transitions(who, x)}
    with pytest.raises((IllegalTransition, NotAllowed)):
        step(world.district1, x, "district_forward")
    a = fill(assessment_of(open_round(world), world.a), world.officer_a)
    assert next_step(a).who == DISTRICT and next_step(a).district_name == world.d1.name


def test_the_assessment_page_names_no_district(client, world, round_bt, round_vl):
    client.force_login(world.secretariat_vl)
    body = client.get(reverse("rounds:assessment", args=[assessment_of(round_vl, world.x).pk])).content.decode()
    assert "<dt>Huyện</dt>" not in body and "Hạn thẩm định cấp huyện" not in body
    client.force_login(world.secretariat)
    body = client.get(reverse("rounds:assessment", args=[assessment_of(round_bt, world.a).pk])).content.decode()
    assert f"<dt>Huyện</dt><dd>{world.d1.name}</dd>" in body and "Hạn thẩm định cấp huyện" in body


def test_decision_and_appraisal_pages_have_a_district_column_only_where_there_are_districts(
    client, world, round_bt, round_vl
):
    x, vl_session = decided(world, round_vl, world.x, world.officer_x, world.secretariat_vl)
    a, bt_session = decided(world, round_bt, world.a, world.officer_a, world.secretariat, world.district1)
    for secretariat, round_, session, district in ((world.secretariat_vl, round_vl, vl_session, None),
                                                   (world.secretariat, round_bt, bt_session, world.d1)):
        client.force_login(secretariat)
        decision = Decision.objects.get(round=round_)
        for url in (reverse("rounds:decision", args=[decision.pk]), reverse("rounds:appraisal", args=[session.pk])):
            body = client.get(url).content.decode()
            if district is None:
                assert "<th>Huyện</th>" not in body, url
                assert f"<td>{world.vl.name}</td>" not in body, url  # the province is no district
            else:
                assert "<th>Huyện</th>" in body and f"<td>{district.name}</td>" in body, url


def test_the_batch_confirmation_has_no_district_column(client, world, round_vl):
    x = verify_all(world, step(world.officer_x, fill(assessment_of(round_vl, world.x), world.officer_x), "submit"))
    client.force_login(world.secretariat_vl)
    page = client.post(reverse("rounds:round_batch_confirm", args=[round_vl.pk]),
                       {"action": "appraise", "item": [f"{x.pk}:{fresh(x).version}"]})
    body = page.content.decode()
    assert page.status_code == 200 and world.x.name in body
    assert "<th>Huyện</th>" not in body and f"<td>{world.vl.name}</td>" not in body


def test_the_round_list_shows_no_district_review_deadline(client, world, round_bt, round_vl):
    client.force_login(world.admin)
    body = client.get(reverse("rounds:round_list")).content.decode()
    deadline = f"{round_bt.review_deadline:%d/%m/%Y}"
    cells = lambda r: re.findall(  # noqa: E731
        rf'{r.province.name}</a></td>\s*<td>{r.criteria_set_code}</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', body)
    assert cells(round_bt) == [(deadline, deadline)]
    assert cells(round_vl) == [(deadline, "—")]  # no district review in Vĩnh Long


def test_the_round_overview_has_no_district_step_or_column(client, world, round_bt, round_vl):
    client.force_login(world.secretariat_vl)
    body = client.get(reverse("rounds:round_overview", args=[round_vl.pk])).content.decode()
    assert world.x.name in body
    assert 'id="step-review"' not in body and "Huyện thẩm định" not in body and "<th>Huyện</th>" not in body
    assert 'id="step-submission"' in body and 'id="step-verification"' in body
    client.force_login(world.secretariat)
    body = client.get(reverse("rounds:round_overview", args=[round_bt.pk])).content.decode()
    assert 'id="step-review"' in body and "<th>Huyện</th>" in body


def test_a_file_past_submission_reads_waiting_for_the_agencies_not_district_reviewed(client, world, round_bt,
                                                                                      round_vl):
    x = step(world.officer_x, fill(assessment_of(round_vl, world.x), world.officer_x), "submit")
    a = step(world.district1, step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit"),
             "district_forward")
    assert x.status == a.status == Status.DISTRICT_REVIEWED
    assert (x.status_text, a.status_text) == ("Chờ sở xác minh", "Huyện đã thẩm định")
    client.force_login(world.secretariat_vl)
    body = client.get(reverse("rounds:assessment", args=[x.pk])).content.decode()
    status = re.search(r'id="assessment-status"[^>]*>([^<]*)<', body).group(1)
    assert status == "Chờ sở xác minh"
