"""Schemathesis against the live OpenAPI document: for every operation, generated
requests (valid and invalid) never get a server error, and every response conforms to
the document (status code, content type, body schema).

A token of commune A's officer goes with every request, so writes reach the use cases;
operations on one object are run once with generated ids and once with the id of an
object that exists.  The run writes to the test database, which the live server's
transactional test flushes afterwards.

(schemathesis' ``from_fixture``/``parametrize`` does not run under pytest 9, so the
operations are driven through its Python API: ``operation.as_strategy()`` and
``case.call_and_validate()``.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from smartcommune.accounts.models import Role
from tests.api.conftest import publish, token_for
from tests.rounds.fixtures import open_round, user

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 20


def _run(operation, mode, headers, path_parameters=None) -> str | None:
    """Run ``operation``'s generated cases; the first failure's report, or ``None``."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Exception as e:  # noqa: BLE001  (collect every operation's failure, then fail)
        return f"{operation.label} [{mode.value}, {path_parameters or 'generated ids'}]: {e}"
    return None


def test_api_conforms_to_its_document(live_server, world, settings):
    settings.SMARTCOMMUNE_API_TOKEN_RATE = 1_000_000
    settings.SMARTCOMMUNE_API_ANONYMOUS_RATE = 1_000_000
    round_ = open_round(world)
    officer_c = user("officer_c", (Role.COMMUNE_OFFICER, world.c, ""))
    published = publish(world, round_.assessments.get(unit=world.c), officer=officer_c, district=world.district2)
    draft = round_.assessments.get(unit=world.a)
    known = {"assessment_id": draft.pk, "round_id": round_.pk, "unit_id": world.a.pk,
             "code": "ben-tre-2021-2025", "province_code": "83", "year": 2024, "name": "submit"}
    headers = {"Authorization": f"Bearer {token_for(world.officer_a)}"}

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = {p.name for p in operation.path_parameters}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(_run(operation, mode, headers))
        if names:
            fixed = {name: known[name] for name in names if name in known}
            failures.append(_run(operation, GenerationMode.POSITIVE, headers, fixed))
            if "assessment_id" in names:
                failures.append(_run(operation, GenerationMode.POSITIVE, headers,
                                     {**fixed, "assessment_id": published.pk}))
    failures = [f for f in failures if f]
    assert operations >= 15
    assert not failures, "\n\n".join(failures)
