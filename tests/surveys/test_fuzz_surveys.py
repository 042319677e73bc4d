"""tests/test_fuzz.py's hostile inputs on the survey's pages, with a real survey and answer
behind the path parameters (the general walk only reaches their 404s): no server error."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.surveys.fixtures import answer, survey  # noqa: F401
from tests.test_fuzz import HOSTILE, HOSTILE_PATH, _CONVERTER, _fill, _patterns, _send

pytestmark = pytest.mark.usefixtures("fresh_cache")


def test_no_input_gives_a_server_error_on_the_survey_pages(world, survey, settings):
    settings.SMARTCOMMUNE_SURVEY_MIN_SECONDS = 0
    a = answer(survey)
    valid = {"survey_id": str(survey.pk), "answer_id": str(a.pk), "assessment_id": str(survey.assessment_id),
             "code": survey.code, "fmt": "csv"}
    routes = [r for r in sorted(set(_patterns())) if r.startswith(("surveys/", "s/"))]
    assert len(routes) >= 14
    clients = {}
    for label, user in {"anonymous": None, "officer": world.officer_a, "secretariat": world.secretariat,
                        "district": world.district1}.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[label] = client
    failures, count = [], 0
    for r, route in enumerate(routes):
        good = _fill(route, valid, "1")
        for i, (label, client) in enumerate(clients.items()):
            for method in ("GET", "POST"):
                value = HOSTILE[(r + i) % len(HOSTILE)]
                if route.endswith("poster/") and method == "GET" and label != "officer":
                    continue  # a PDF takes a second: one person is enough
                response = _send(client, method, good, {}, value)
                count += 1
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {label} {method} {good} {value[:20]!r}")
        names = [m["name"] for m in _CONVERTER.finditer(route)]
        for h, bad in enumerate(HOSTILE_PATH if names else []):
            path = _fill(route, {**valid, names[h % len(names)]: bad}, bad)
            response = _send(clients["secretariat"], "GET" if h % 2 else "POST", path, {}, HOSTILE[h % len(HOSTILE)])
            count += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {path[:100]}")
    # Fields the survey's forms read, hostile each.
    for value in HOSTILE:
        for label in ("officer", "anonymous"):
            for url in (f"/surveys/{survey.pk}/entry/", f"/surveys/{survey.pk}/plan/", f"/s/{survey.code}/"):
                data = {k: value[:100_000] for k in ("level", "hamlet", "age_band", "sex", "identity", "channel",
                                                     "topic_dich_vu_cong", "frame", "margin", "method",
                                                     "confidence", "frame_kind", "stamp", "website", "reason")}
                response = clients[label].post(url, data)
                count += 1
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {label} {url} {value[:20]!r}")
    assert not failures, f"{len(failures)} of {count}:\n" + "\n".join(failures[:40])
