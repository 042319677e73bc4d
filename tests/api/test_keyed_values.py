"""The API writes and reads every kind of cell: a precondition's, a count, a choice and a
keyed condition's row ("2.1:b"), with the error shape of every refusal and nothing
changed on bad input."""

from __future__ import annotations

import pytest

from smartcommune.rounds.models import CriterionValue
from tests.api.conftest import error_code
from tests.rounds.fixtures import assessment_of, fresh, keyed_round, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db]


def test_keyed_rows_round_trip(world, keyed_round, api):
    a = assessment_of(keyed_round, world.x)
    client = api(world.officer_x)
    url = f"/api/v1/assessments/{a.pk}/values"
    response = client.patch(url, {"expected_version": a.version, "values": {
        "TQ": {"met": True}, "1.1": {"choice": "chu-tich"}, "1.2": {"count": 2},
        "2.1": {"numerator": 9, "denominator": 10}, "2.1:b": {"numerator": 0, "denominator": 10, "source": "Cổng DVC"},
    }})
    assert response.status_code == 200, response.content
    values = {v["criterion_code"]: v for v in response.json()["values"]}
    assert values["TQ"]["precondition"] is True and values["TQ"]["met"] is True
    assert values["1.1"]["precondition"] is False and values["1.1"]["choice"] == "chu-tich"
    assert values["2.1"]["keyed"] == [{"code": "2.1:b", "numerator": 0, "denominator": 10, "met": None,
                                       "count": None, "choice": None, "source": "Cổng DVC"}]
    assert values["1.2"]["count"] == 2 and values["1.2"]["keyed"] == []
    evaluation = client.get(f"/api/v1/assessments/{a.pk}/evaluation").json()
    assert evaluation["eligible"] is True and evaluation["smart_commune"] is True


@pytest.mark.parametrize("values, status, code, says", [
    ({"2.1:c": {"numerator": 1}}, 422, None, "không có dòng 2.1:c"),
    ({"1.2": {"count": -1}}, 422, None, None),
    ({"1.2": {"count": 1.5}}, 422, None, None),
    ({"1.1": {"choice": "khong-co"}}, 422, None, "không phải phương án của tiêu chí 1.1"),
    ({"2.1:b": {"numerator": 11, "denominator": 10}}, 422, None, "2.1:b"),
])
def test_bad_values_are_refused_in_the_error_shape_and_change_nothing(world, keyed_round, api, values, status, code,
                                                                        says):
    a = assessment_of(keyed_round, world.x)
    before = list(CriterionValue.objects.filter(assessment=a).values())
    response = api(world.officer_x).patch(f"/api/v1/assessments/{a.pk}/values",
                                          {"expected_version": a.version, "values": values})
    assert response.status_code in (400, 422), response.content
    error_code(response)
    if says:
        assert says in response.json()["error"]["message_vi"] + str(response.json()["error"]["details"])
    assert list(CriterionValue.objects.filter(assessment=a).values()) == before
    assert fresh(a).version == a.version


def test_another_communes_officer_cannot_write_a_keyed_row(world, keyed_round, api):
    a = assessment_of(keyed_round, world.y)
    response = api(world.officer_x).patch(f"/api/v1/assessments/{a.pk}/values",
                                          {"expected_version": a.version, "values": {"2.1:b": {"numerator": 1}}})
    assert response.status_code in (403, 404)
    assert CriterionValue.objects.get(assessment=a, criterion_code="2.1").keyed is None
