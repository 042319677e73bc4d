"""The workflow through the web: transitions (POST), the district and agency queues."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from smartcommune.rounds.actions import do_add_evidence, do_answer_item
from smartcommune.rounds.models import AuditEntry, Notification, ReviewStatus, Status
from tests.rounds.fixtures import CRITERIA, assessment_of, fill, fresh, open_round, step, verify_all

pytestmark = [pytest.mark.django_db]


def url(assessment, name):
    return reverse("rounds:transition", args=[assessment.id, name])


def post(client, user, assessment, name, **data):
    client.force_login(user)
    return client.post(url(assessment, name), data)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def submitted(world, round_bt):
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    return step(world.officer_a, a, "submit")


AGENCY_QUEUE = reverse("rounds:agency_queue")
VERIFY_ITEMS = reverse("rounds:verify_items")


def queue_item(row) -> str:
    """The ``item`` value the queue's forms post for one of its rows."""
    return f"{row['assessment'].id}:{row['value'].criterion_code}:{row['assessment'].version}"
DISTRICT_QUEUE = reverse("rounds:district_queue")


# -- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [AGENCY_QUEUE, DISTRICT_QUEUE])
def test_queues_need_a_login(client, world, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_transition_needs_a_login_and_changes_nothing(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    response = client.post(url(a, "submit"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert fresh(a).status == Status.DRAFT


def test_transition_is_post_only(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    client.force_login(world.officer_a)
    assert client.get(url(a, "submit")).status_code == 405
    assert fresh(a).status == Status.DRAFT


def test_unknown_transition_is_404(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    assert post(client, world.officer_a, a, "approve_everything").status_code == 404


def test_officer_of_another_commune_gets_404(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    assert post(client, world.officer_b, a, "submit").status_code == 404
    assert post(client, world.nobody, a, "submit").status_code == 404
    assert fresh(a).status == Status.DRAFT and fresh(a).version == a.version


def test_officer_cannot_forward_their_own_assessment(client, world, round_bt):
    a = submitted(world, round_bt)
    response = post(client, world.officer_a, a, "district_forward")
    assert response.status_code == 403
    assert fresh(a).status == Status.SUBMITTED and fresh(a).version == a.version


def test_reviewer_of_another_district_gets_404(client, world, round_bt):
    a = submitted(world, round_bt)
    assert post(client, world.district2, a, "district_forward").status_code == 404
    assert fresh(a).status == Status.SUBMITTED


def test_verifier_of_another_agency_is_refused(client, world, round_bt):
    a = step(world.district1, submitted(world, round_bt), "district_forward")
    assert "SYT" not in CRITERIA.criterion("1.1").lead_agencies
    response = post(client, world.verifiers["SYT"], a, "verify_item", criterion_code="1.1")
    assert response.status_code == 403
    assert a.values.get(criterion_code="1.1").review_status == ReviewStatus.PENDING
    assert fresh(a).version == a.version


def test_officer_cannot_record_a_decision(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    response = post(client, world.officer_a, a, "record_decision", number="1", date="01/03/2025", signer="X",
                    recognised="1")
    assert response.status_code == 403
    assert fresh(a).decision_number == ""


# -- messages and redirects ---------------------------------------------------------------


def test_illegal_transition_shows_a_message(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    response = post(client, world.secretariat, a, "publish", next=reverse("home"))
    assert response.status_code == 303 and response["Location"] == reverse("home")
    page = client.get(response["Location"])
    assert "Không thể công bố kết quả" in page.content.decode()
    assert "Nháp" in page.content.decode()
    assert fresh(a).status == Status.DRAFT


def test_redirect_defaults_to_the_assessment_and_ignores_foreign_next(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    assessment_url = reverse("rounds:assessment", args=[a.id])
    response = post(client, world.officer_a, a, "submit", next="https://evil.example/")
    assert response.status_code == 303 and response["Location"] == assessment_url
    assert fresh(a).status == Status.SUBMITTED
    assert any("Đã nộp hồ sơ" in t for t in texts(response))
    response = post(client, world.officer_a, a, "submit", next="//evil.example/x")
    assert response["Location"] == assessment_url
    assert any("Không thể nộp hồ sơ" in t for t in texts(response))


def test_stale_version_is_a_conflict(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    response = post(client, world.officer_a, a, "submit", expected_version=a.version + 5, next="/")
    assert response.status_code == 303
    assert any("phiên bản" in t for t in texts(response))
    assert fresh(a).status == Status.DRAFT
    response = post(client, world.officer_a, a, "submit", expected_version="abc", next="/")
    assert response.status_code == 303 and fresh(a).status == Status.DRAFT
    response = post(client, world.officer_a, a, "submit", expected_version=a.version, next="/")
    assert fresh(a).status == Status.SUBMITTED


def test_return_without_a_comment_is_refused(client, world, round_bt):
    a = step(world.district1, submitted(world, round_bt), "district_forward")
    code = next(c.code for c in CRITERIA.criteria if "SYT" in c.lead_agencies)
    response = post(client, world.verifiers["SYT"], a, "return_item", criterion_code=code, comment="  ",
                    next=AGENCY_QUEUE)
    assert response.status_code == 303
    assert any("cần ghi lý do" in t for t in texts(response))
    assert fresh(a).status == Status.DISTRICT_REVIEWED


def test_district_return_parses_items_and_comments(client, world, round_bt):
    a = submitted(world, round_bt)
    response = post(client, world.district1, a, "district_return", criterion_code=["1.1", "6.1"],
                    **{"comment-1.1": "Thiếu số liệu", "comment-6.1": "Sai mẫu số"}, next=DISTRICT_QUEUE)
    assert response.status_code == 303
    a = fresh(a)
    assert a.status == Status.RETURNED and a.returned_stage == "district"
    returned = dict(a.values.filter(review_status=ReviewStatus.RETURNED).values_list("criterion_code", "review_comment"))
    assert returned == {"1.1": "Thiếu số liệu", "6.1": "Sai mẫu số"}


def test_district_return_needs_a_comment_per_item(client, world, round_bt):
    a = submitted(world, round_bt)
    response = post(client, world.district1, a, "district_return", criterion_code=["1.1"], next=DISTRICT_QUEUE)
    assert any("1.1" in t and "lý do" in t for t in texts(response))
    assert fresh(a).status == Status.SUBMITTED
    response = post(client, world.district1, a, "district_return", next=DISTRICT_QUEUE)
    assert any("ít nhất một tiêu chí" in t for t in texts(response))


def test_record_decision_date_formats(client, world, round_bt):
    a = submitted(world, round_bt)
    a = verify_all(world, step(world.district1, a, "district_forward"))
    a = step(world.secretariat, a, "appraise")
    response = post(client, world.secretariat, a, "record_decision", number="12/QĐ", date="31/02/2025", signer="B",
                    recognised="1", next="/")
    assert any("Cần ngày quyết định" in t for t in texts(response)) and fresh(a).status == Status.APPRAISED
    response = post(client, world.secretariat, a, "record_decision", number="12/QĐ", date="2025-03-15", signer="B",
                    recognised="0", next="/")
    a = fresh(a)
    assert a.status == Status.NOT_RECOGNISED and a.decision_date == date(2025, 3, 15)


# -- the whole round through the views ----------------------------------------------------


def test_happy_path_through_the_views(client, world, round_bt, django_capture_on_commit_callbacks, mailoutbox):
    a = fill(assessment_of(round_bt, world.a), world.officer_a)
    home = reverse("home")

    # The commune submits; the district hears of it in the app and by mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, world.officer_a, a, "submit", expected_version=fresh(a).version, next=home)
    assert response.status_code == 303 and fresh(a).status == Status.SUBMITTED
    assert [m.to for m in mailoutbox] == [["district1@example.vn"]]
    client.force_login(world.district1)
    page = client.get(reverse("notifications")).content.decode()
    assert "xã đã nộp hồ sơ" in page and reverse("rounds:assessment", args=[a.id]) in page
    assert "Thông báo" in page and "(1)" in page  # the unread count in the nav

    # The district forwards from its queue.
    queue = client.get(DISTRICT_QUEUE)
    assert [x for x, _ in queue.context["awaiting"]] == [a]
    response = post(client, world.district1, a, "district_forward", next=DISTRICT_QUEUE)
    assert fresh(a).status == Status.DISTRICT_REVIEWED
    assert "Đã chuyển hồ sơ" in client.get(response["Location"]).content.decode()

    # SYT returns one of its items from its queue, and verifies the others.
    syt = world.verifiers["SYT"]
    client.force_login(syt)
    queue = client.get(AGENCY_QUEUE)
    codes = [r["value"].criterion_code for r in queue.context["rows"]]
    assert codes and all("SYT" in CRITERIA.criterion(c).lead_agencies for c in codes)
    assert VERIFY_ITEMS in queue.content.decode() and url(a, "return_item") in queue.content.decode()
    assert f'value="{a.id}:{codes[0]}:{fresh(a).version}"' in queue.content.decode()
    returned_code = codes[0]
    response = client.post(url(a, "return_item"), {"criterion_code": returned_code, "comment": "Thiếu minh chứng",
                                                    "next": AGENCY_QUEUE}, follow=True)
    assert "Đã trả lại tiêu chí" in response.content.decode()
    assert fresh(a).status == Status.RETURNED
    assert returned_code not in [r["value"].criterion_code for r in response.context["rows"]]

    # The commune sees the returned item at home, answers it and resubmits.
    client.force_login(world.officer_a)
    page = client.get(home).content.decode()
    assert "Thiếu minh chứng" in page and returned_code in page
    do_answer_item(actor=world.officer_a, assessment=a, expected_version=fresh(a).version,
                   criterion_code=returned_code, answer="Đã bổ sung")
    response = post(client, world.officer_a, a, "submit", next=home)
    # After an agency's return the file goes straight back to the agencies.
    assert fresh(a).status == Status.DISTRICT_REVIEWED

    # Every agency verifies everything in its queue through the queue's forms: one item at
    # a time or all the page's items at once.
    for i, verifier in enumerate(world.verifiers.values()):
        client.force_login(verifier)
        items = [queue_item(row) for row in client.get(AGENCY_QUEUE).context["rows"]]
        batches = [items] if i % 2 else [[item] for item in items]
        for batch in batches:
            response = client.post(VERIFY_ITEMS, {"item": batch, "next": AGENCY_QUEUE})
            assert response.status_code == 303 and response["Location"] == AGENCY_QUEUE
        assert client.get(AGENCY_QUEUE).context["rows"] == []
    a = fresh(a)
    assert a.status == Status.AGENCY_VERIFIED
    assert not a.values.exclude(review_status=ReviewStatus.VERIFIED).exists()

    # The secretariat appraises, records the decision, publishes, and reopens with a reason.
    post(client, world.secretariat, a, "appraise", next=home)
    assert fresh(a).status == Status.APPRAISED
    post(client, world.secretariat, a, "record_decision", number="45/QĐ-UBND", date="15/03/2025",
         signer="Nguyễn Văn A", recognised="1", next=home)
    a = fresh(a)
    assert a.status == Status.RECOGNISED
    assert (a.decision_number, a.decision_date, a.decision_signer) == ("45/QĐ-UBND", date(2025, 3, 15), "Nguyễn Văn A")
    post(client, world.secretariat, a, "publish", next=home)
    assert fresh(a).status == Status.PUBLISHED
    response = post(client, world.secretariat, a, "reopen", reason="", next=home)
    assert fresh(a).status == Status.PUBLISHED and any("lý do" in t for t in texts(response))
    post(client, world.secretariat, a, "reopen", reason="Sai số liệu tiêu chí 6.1", next=home)
    a = fresh(a)
    assert a.status == Status.DRAFT
    assert AuditEntry.objects.filter(assessment=a, action="reopened", reason="Sai số liệu tiêu chí 6.1").exists()
    assert Notification.objects.filter(recipient=world.officer_a, message__contains="mở lại").exists()


# -- queues -------------------------------------------------------------------------------


def test_district_queue_is_for_district_reviewers_only(client, world, round_bt):
    for u in (world.officer_a, world.secretariat, world.verifiers["SYT"], world.nobody):
        client.force_login(u)
        assert client.get(DISTRICT_QUEUE).status_code == 403


def test_district_queue_lists_only_its_communes(client, world, round_bt):
    a = submitted(world, round_bt)
    client.force_login(world.district2)
    assert client.get(DISTRICT_QUEUE).context["awaiting"] == []
    client.force_login(world.district1)
    response = client.get(DISTRICT_QUEUE)
    assert [x for x, _ in response.context["awaiting"]] == [a]
    assert "Quá hạn" not in response.content.decode()
    step(world.district1, a, "district_return", items={"1.1": "Thiếu"})
    response = client.get(DISTRICT_QUEUE)
    assert response.context["awaiting"] == [] and response.context["returned"] == [fresh(a)]


def test_agency_queue_is_for_agency_verifiers_only(client, world, round_bt):
    for u in (world.officer_a, world.secretariat, world.district1, world.nobody):
        client.force_login(u)
        assert client.get(AGENCY_QUEUE).status_code == 403


def test_agency_queue_holds_exactly_the_criteria_the_agency_leads(client, world, round_bt):
    a = step(world.district1, submitted(world, round_bt), "district_forward")
    submitted_b = step(world.officer_b, assessment_of(round_bt, world.b), "submit")  # still at the district
    for code, verifier in world.verifiers.items():
        client.force_login(verifier)
        rows = client.get(AGENCY_QUEUE).context["rows"]
        expected = sorted(c.code for c in CRITERIA.criteria if code in c.lead_agencies)
        assert sorted(r["value"].criterion_code for r in rows) == expected
        assert {r["assessment"].id for r in rows} <= {a.id}
        assert submitted_b.id not in {r["assessment"].id for r in rows}


def test_agency_queue_filters_and_bounded_queries(client, world, round_bt, django_assert_max_num_queries):
    codes = [c.code for c in CRITERIA.criteria if "SYT" in c.lead_agencies]
    # Commune A documents the first criterion; B gives no evidence.
    do_add_evidence(actor=world.officer_a, assessment=assessment_of(round_bt, world.a),
                    criterion_code=codes[0], kind="document", document_number="1/BC")
    for commune, officer in ((world.a, world.officer_a), (world.b, world.officer_b)):
        x = step(officer, fill(assessment_of(round_bt, commune), officer), "submit")
        step(world.district1, x, "district_forward")
    client.force_login(world.verifiers["SYT"])
    # 12, and 3 for the evidence shown in place (whose items, who may open them).
    with django_assert_max_num_queries(15):
        response = client.get(AGENCY_QUEUE)
    n = len(response.context["rows"])
    assert n == 2 * len(codes)
    # Issue 14: filters by criterion, status, computed result, "no evidence"; sorting.
    with django_assert_max_num_queries(15):
        assert len(client.get(AGENCY_QUEUE, {"criterion": codes[0]}).context["rows"]) == 2
    assert len(client.get(AGENCY_QUEUE, {"review_status": "answered"}).context["rows"]) == 0
    assert len(client.get(AGENCY_QUEUE, {"review_status": "pending"}).context["rows"]) == n
    assert len(client.get(AGENCY_QUEUE, {"result": "met"}).context["rows"]) == n  # fill(): everything met
    assert len(client.get(AGENCY_QUEUE, {"result": "not_met"}).context["rows"]) == 0
    rows = client.get(AGENCY_QUEUE, {"no_evidence": "1"}).context["rows"]
    assert len(rows) == n - 1 and (world.a.pk, codes[0]) not in {
        (r["assessment"].unit_id, r["value"].criterion_code) for r in rows}
    by_commune = client.get(AGENCY_QUEUE, {"order": "commune"}).context["rows"]
    names = [r["assessment"].unit.name for r in by_commune]
    assert names == sorted(names)
    by_criterion = [r["value"].criterion_code for r in client.get(AGENCY_QUEUE, {"order": "criterion"}).context["rows"]]
    assert by_criterion == sorted(by_criterion)
    html = client.get(AGENCY_QUEUE, {"criterion": codes[0]}).content.decode()
    assert "Văn bản số 1/BC" in html and 'data-confirm="' in html  # the other commune's item has none
    assert len(client.get(AGENCY_QUEUE, {"district": world.d2.id}).context["rows"]) == 0
    assert len(client.get(AGENCY_QUEUE, {"district": world.d1.id}).context["rows"]) == n
    assert len(client.get(AGENCY_QUEUE, {"year": 2023}).context["rows"]) == 0
    assert len(client.get(AGENCY_QUEUE, {"year": 2024}).context["rows"]) == n


def test_overdue_is_marked_on_the_queues(client, world):
    round_ = open_round(world, deadline=date(2024, 1, 31))
    a = step(world.officer_a, fill(assessment_of(round_, world.a), world.officer_a), "submit")
    assert a.late
    client.force_login(world.district1)
    response = client.get(DISTRICT_QUEUE)
    assert "Quá hạn" in response.content.decode() and response.context["overdue"] == 1
    assert "Nộp trễ" in response.content.decode()
    step(world.district1, a, "district_forward")
    client.force_login(world.verifiers["SYT"])
    response = client.get(AGENCY_QUEUE)
    assert "Quá hạn" in response.content.decode()
    assert response.context["overdue"] == len(response.context["rows"]) > 0


def test_agency_queue_not_overdue_before_the_deadline(client, world, round_bt):
    step(world.district1, submitted(world, round_bt), "district_forward")
    client.force_login(world.verifiers["SYT"])
    response = client.get(AGENCY_QUEUE)
    assert response.context["rows"] and response.context["overdue"] == 0
    assert "Quá hạn" not in response.content.decode()


# -- verifying from the queue, one item or many --------------------------------------------


@pytest.fixture
def forwarded(world, round_bt):
    """Communes A and B at the agencies' step."""
    result = []
    for commune, officer in ((world.a, world.officer_a), (world.b, world.officer_b)):
        x = step(officer, fill(assessment_of(round_bt, commune), officer), "submit")
        result.append(step(world.district1, x, "district_forward"))
    return result


def item(a, code, version=None):
    return f"{a.id}:{code}:{fresh(a).version if version is None else version}"


def state(*assessments):
    return [(fresh(a).version, sorted(fresh(a).values.values_list("criterion_code", "review_status")))
            for a in assessments] + [AuditEntry.objects.count()]


def test_verify_items_needs_a_login_and_a_post(client, world, forwarded):
    a, _ = forwarded
    before = state(a)
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "1.1")]})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(world.verifiers["STTTT"])
    assert client.get(VERIFY_ITEMS).status_code == 405
    assert state(a) == before


@pytest.mark.parametrize("who, status", [
    ("officer_a", 403), ("officer_b", 404), ("district1", 403), ("district2", 404), ("secretariat", 403),
    ("nobody", 404), ("syt", 403),
])
def test_verify_items_is_for_the_leading_agency_only(client, world, forwarded, who, status):
    a, b = forwarded
    before = state(a, b)
    client.force_login(world.verifiers["SYT"] if who == "syt" else getattr(world, who))
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "1.1"), item(a, "1.2")], "next": AGENCY_QUEUE})
    assert response.status_code == status
    assert state(a, b) == before


def test_verify_items_needs_the_csrf_token(world, forwarded):
    from django.test import Client

    a, _ = forwarded
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.verifiers["STTTT"])
    before = state(a)
    assert client.post(VERIFY_ITEMS, {"item": [item(a, "1.1")]}).status_code == 403
    assert state(a) == before
    client.get(AGENCY_QUEUE)
    token = client.cookies["csrftoken"].value
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "1.1")], "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert fresh(a).values.get(criterion_code="1.1").review_status == ReviewStatus.VERIFIED


def test_the_queue_verifies_the_checked_items_at_once(client, world, forwarded):
    a, b = forwarded
    client.force_login(world.verifiers["STTTT"])
    page = client.get(AGENCY_QUEUE).content.decode()
    assert 'id="verify-batch"' in page and "Xác minh các mục đã chọn" in page
    assert f'name="item" value="{item(a, "1.1")}" form="verify-batch"' in page
    chosen = [item(a, "1.1"), item(b, "1.1"), item(a, "5.2")]
    response = client.post(VERIFY_ITEMS, {"item": chosen, "next": AGENCY_QUEUE + "?year=2024"})
    assert response.status_code == 303 and response["Location"] == AGENCY_QUEUE + "?year=2024"
    assert texts(response) == ["Đã xác minh 3 tiêu chí của 2 hồ sơ."]
    verified = {(v.assessment_id, v.criterion_code) for v in
                fresh(a).values.model.objects.filter(review_status=ReviewStatus.VERIFIED)}
    assert verified == {(a.id, "1.1"), (b.id, "1.1"), (a.id, "5.2")}
    assert fresh(a).version == a.version + 2 and fresh(b).version == b.version + 1
    rows = client.get(AGENCY_QUEUE).context["rows"]
    assert (a.id, "1.1") not in {(r["assessment"].id, r["value"].criterion_code) for r in rows}


def stale_setup(world, a):
    """The page shows ``a``; then SYT returns 6.1 and the commune corrects and resubmits it."""
    shown = item(a, "6.1")
    a = step(world.verifiers["SYT"], a, "return_item", criterion_code="6.1", comment="Sai")
    a = do_answer_item(actor=world.officer_a, assessment=a, expected_version=a.version, criterion_code="6.1",
                       answer="Đã sửa")
    step(world.officer_a, a, "submit")
    return shown


STALE_TEXT = "Phường Phú Khương (2024), tiêu chí 6.1"


def test_a_stale_item_is_refused_by_name_and_nothing_is_verified(client, world, forwarded):
    a, _ = forwarded
    also = item(a, "6.2")
    shown = stale_setup(world, a)
    client.force_login(world.verifiers["SYT"])
    before = state(a)
    response = client.post(VERIFY_ITEMS, {"item": [also, shown], "next": AGENCY_QUEUE})
    assert response.status_code == 303 and response["Location"] == AGENCY_QUEUE
    [text] = texts(response)
    assert STALE_TEXT in text and "Không xác minh mục nào" in text and "6.2" not in text
    assert state(a) == before


def test_a_stale_item_is_a_409_for_htmx_and_json(client, world, forwarded):
    a, _ = forwarded
    shown = stale_setup(world, a)
    client.force_login(world.verifiers["SYT"])
    before = state(a)
    response = client.post(VERIFY_ITEMS, {"item": [shown]}, headers={"HX-Request": "true"})
    assert response.status_code == 409 and STALE_TEXT in response.content.decode()
    response = client.post(VERIFY_ITEMS, {"item": [shown]}, headers={"Accept": "application/json"})
    assert response.status_code == 409
    body = response.json()
    assert STALE_TEXT in body["error"]["vi"] and "criterion 6.1" in body["error"]["en"]
    assert body["stale"] == [{"assessment": a.id, "criterion_code": "6.1",
                              "expected_version": int(shown.split(":")[2]), "current_version": fresh(a).version}]
    assert state(a) == before
    # The item as it is now verifies.
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "6.1")]}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"verified": 1, "assessments": [
        {"id": a.id, "version": fresh(a).version, "status": Status.DISTRICT_REVIEWED}]}
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "6.2")]}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


@pytest.mark.parametrize("posted, expected", [
    ([], "Chưa chọn tiêu chí nào để xác minh."),
    (["1:1.1"], "Mục không hợp lệ: 1:1.1"),
    (["x:1.1:3"], "Mục không hợp lệ: x:1.1:3"),
])
def test_bad_items_are_refused_with_a_message(client, world, forwarded, posted, expected):
    client.force_login(world.verifiers["STTTT"])
    response = client.post(VERIFY_ITEMS, {"item": posted, "next": "https://evil.example/"})
    assert response.status_code == 303 and response["Location"] == AGENCY_QUEUE
    assert texts(response) == [expected]
    assert client.post(VERIFY_ITEMS, {"item": posted}, headers={"Accept": "application/json"}).status_code == 400


def test_an_item_already_verified_is_a_conflict(client, world, forwarded):
    a, _ = forwarded
    shown = item(a, "1.1")
    client.force_login(world.verifiers["STTTT"])
    assert client.post(VERIFY_ITEMS, {"item": [shown]}).status_code == 303
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "1.1")]}, headers={"HX-Request": "true"})
    assert response.status_code == 409 and "Đã xác minh" in response.content.decode()
    assert "Phường Phú Khương (2024), tiêu chí 1.1" in response.content.decode()


def test_one_item_from_its_row_says_which(client, world, forwarded):
    a, _ = forwarded
    client.force_login(world.verifiers["STTTT"])
    response = client.post(VERIFY_ITEMS, {"item": [item(a, "1.1")], "next": AGENCY_QUEUE})
    assert texts(response) == ["Đã xác minh tiêu chí 1.1 của Phường Phú Khương (2024)."]


def test_the_agency_queue_is_paginated_and_keeps_its_filters(client, world, forwarded, monkeypatch):
    from smartcommune.rounds.views import pagination

    monkeypatch.setattr(pagination, "PER_PAGE", 5)
    client.force_login(world.verifiers["STTTT"])
    led = len([c for c in CRITERIA.criteria if "STTTT" in c.lead_agencies])
    first = client.get(AGENCY_QUEUE, {"year": 2024})
    assert len(first.context["rows"]) == 5 and first.context["page"].paginator.count == 2 * led
    page = first.content.decode()
    assert f'<strong class="big" id="queue-count">{2 * led}</strong>' in page
    assert "?year=2024&amp;page=2" in page and 'aria-current="page">1<' in page
    last = client.get(AGENCY_QUEUE, {"year": 2024, "page": 99})
    assert last.context["page"].number == last.context["page"].paginator.num_pages
    assert len(last.context["rows"]) == 2 * led - 5 * (last.context["page"].number - 1)
    seen = set()
    for n in range(1, first.context["page"].paginator.num_pages + 1):
        rows = client.get(AGENCY_QUEUE, {"year": 2024, "page": n}).context["rows"]
        seen |= {(r["assessment"].id, r["value"].criterion_code) for r in rows}
    assert len(seen) == 2 * led
    assert client.get(AGENCY_QUEUE, {"page": "abc"}).context["page"].number == 1
    # The page's forms come back to the same page and filters.
    assert 'value="/queue/agency/?year=2024&amp;page=99"' in last.content.decode()
