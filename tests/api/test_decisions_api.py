"""Appraisal and decisions through the API's transitions: the same lines and copies as the
web, the secretariat only; amending a decision with its reason."""

from __future__ import annotations

from smartcommune.rounds.models import Decision, Status
from smartcommune.rounds.workflow import current_decision_line
from tests.api.conftest import ApiClient, error_code, token_for
from tests.rounds.fixtures import fresh
from tests.rounds.test_decisions import verified


def test_decide_and_amend_through_the_api(world, round_bt):
    a = verified(world, round_bt, world.a)
    base = f"/api/v1/assessments/{a.pk}/transitions"
    officer = ApiClient(token_for(world.officer_a))
    assert officer.post(f"{base}/appraise", {"comment": "Đủ"}).status_code == 403
    secretariat = ApiClient(token_for(world.secretariat))
    assert secretariat.post(f"{base}/appraise", {"comment": "Đủ hồ sơ"}).json()["status"] == Status.APPRAISED
    decided = secretariat.post(f"{base}/record_decision", {"recognised": False, "number": "12/QĐ-UBND",
                                                           "date": "2025-02-10", "signer": "Nguyễn Văn An",
                                                           "reason": "Thiếu minh chứng"})
    assert decided.status_code == 200 and decided.json()["decision"]["recognised"] is False
    assert "amend_decision" in decided.json()["transitions"]
    no_reason = secretariat.post(f"{base}/amend_decision", {"recognised": True, "number": "30/QĐ-UBND",
                                                            "date": "2025-05-05", "signer": "Trần Thị Bình"})
    assert no_reason.status_code == 422 and error_code(no_reason) == "validation_failed"
    amended = secretariat.post(f"{base}/amend_decision", {"recognised": True, "number": "30/QĐ-UBND",
                                                          "date": "2025-05-05", "signer": "Trần Thị Bình",
                                                          "reason": "Đã bổ sung minh chứng"})
    assert amended.status_code == 200
    assert amended.json()["decision"] == {"recognised": True, "number": "30/QĐ-UBND", "date": "2025-05-05",
                                          "signer": "Trần Thị Bình"}
    a = fresh(a)
    assert a.status == Status.RECOGNISED and Decision.objects.count() == 2
    line = current_decision_line(a)
    assert line.amends.reason == "Thiếu minh chứng" and line.reason == "Đã bổ sung minh chứng"
