"""No input gives a 500 (issue 16.4): every URL pattern of the product, walked from the
URLconf (so a new view is covered without touching this file), as an anonymous visitor
and as signed-in people with roles, with hostile path parameters, query parameters and
form fields: NUL, ten thousand digits, a megabyte of text, a formula, a negative number,
non-ASCII digits, wrong types.

Each request may answer anything but a server error.  Runs on SQLite and PostgreSQL
(``DATABASE_URL``) in the normal suite; about a few thousand requests.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from smartcommune.api.actions import do_create_token
from smartcommune.rounds.actions import do_add_evidence
from smartcommune.rounds.models import EvidenceKind
from tests.rounds.fixtures import assessment_of, round_bt, world  # noqa: F401  (fixtures)

HOSTILE: list[str] = [
    "\x00",
    "9" * 10_000,
    None,  # replaced by MEGABYTE below
    "=cmd|' /C calc'!A0",
    "-1",
    "٣٤",
    "18446744073709551616",
    "1e1000000",
    "",
]
"""Values for query parameters and form fields (each request uses one of them everywhere)."""

HOSTILE_PATH = ["0", "9" * 10_000, "18446744073709551616", "2147483648", "%00", "%3D1%2B1", "-1", "%D9%A3"]
"""Values for path parameters; those a converter refuses simply do not match (404)."""

QUERY_NAMES = ["district", "year", "status", "sort", "page", "set", "prefill", "next", "unit", "province",
               "round", "limit", "offset", "q", "o", "p", "format", "criterion", "agency"]
FORM_NAMES = ["expected_version", "numerator-1.2", "denominator-1.2", "met-1.3", "source-1.2", "criterion_code",
              "comment", "comment-1.2", "number", "date", "signer", "recognised", "reason", "answer", "url",
              "document_number", "document_date", "note", "kind", "item", "name", "expires_days", "year",
              "province", "criteria_set_code", "submission_deadline", "review_deadline", "verification_deadline",
              "next", "username", "password", "language"]

HEAVY = (".pdf", "openapi.json", "/docs")

_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _patterns(resolver=None, prefix=""):
    """``(route, pattern)`` of every URL pattern, routes joined, as Django writes them."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _fill(route: str, values: dict[str, str], default: str) -> str:
    """A concrete path for ``route`` (a path() route or a regex), parameters filled."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = _GROUP.sub(lambda m: values.get(m["name"], default), route)
    route = route.replace(".*", "").replace("?", "")
    path = _CONVERTER.sub(lambda m: values.get(m["name"], default), route)
    return "/" + path


@pytest.fixture
def people(world, round_bt):
    a = assessment_of(round_bt, world.a)
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind=EvidenceKind.LINK,
                               url="https://example.vn/bao-cao")
    valid = {
        "assessment_id": str(a.pk), "round_id": str(round_bt.pk), "evidence_id": str(evidence.pk),
        "unit_id": str(world.a.pk), "year": "2024", "province": "83", "province_code": "83", "name": "submit",
        "token_id": "1", "batch_id": "1", "code": "ben-tre-2021-2025", "object_id": "1", "app_label": "rounds",
        "criterion": "1.2", "uidb64": "MQ", "token": "x", "content_type_id": "1", "url": "",
    }
    users = {"anonymous": None, "officer": world.officer_a, "secretariat": world.secretariat,
             "verifier": next(iter(world.verifiers.values())), "admin": world.admin}
    clients = {}
    for label, user in users.items():
        client = Client(raise_request_exception=False)
        headers = {}
        if user is not None:
            client.force_login(user)
            headers["Authorization"] = f"Bearer {do_create_token(actor=user, name='fuzz')[1]}"
        clients[label] = (client, headers)
    return valid, clients


MEGABYTE = "x" * 1_000_000
HOSTILE[HOSTILE.index(None)] = MEGABYTE


def _spread(names: list[str], value: str) -> dict[str, str]:
    """``value`` in every field; a megabyte goes in one field only (the others get a
    kilobyte), so a request stays within what a test can send quickly."""
    if value is not MEGABYTE:
        return {name: value for name in names}
    return {name: (MEGABYTE if i == 0 else value[:1000]) for i, name in enumerate(names)}


def _query(value: str) -> dict[str, str]:
    return _spread(QUERY_NAMES, value)


def _form(value: str) -> dict[str, str]:
    form = _spread(["source-1.2", *(n for n in FORM_NAMES if n != "source-1.2")], value)
    form["item"] = f"{value[:1000]}:1.2:{value[:1000]}"
    return form


def _send(client, method: str, path: str, headers: dict, value: str):
    if method == "GET":
        return client.get(path, _query(value), headers=headers)
    if method == "POST":
        return client.post(path + "?" + "&".join(f"{k}={quote(value[:100])}" for k in ("district", "year")),
                           _form(value), headers=headers)
    # JSON bodies for the API's PATCH/POST: a value of every type in every field.
    body = '{"expected_version": %s, "values": {"1.2": {"numerator": %s, "denominator": 1, "met": "%s", ' \
           '"source": "%s"}}, "comment": "%s", "number": "%s", "date": "%s", "reason": "%s"}'
    number = value if value.isascii() and value.isdigit() else '"%s"' % value.replace("\x00", "\\u0000")[:10_000]
    text = value.replace("\x00", "\\u0000")
    return client.generic("PATCH" if method == "PATCH" else "POST", path,
                          body % (number, number, text, text, text, text, text, text),
                          content_type="application/json", headers=headers)


def test_no_input_gives_a_server_error(people):
    valid, clients = people
    routes = sorted(set(_patterns()))
    assert len(routes) > 40  # the walk found the product's views
    failures = []
    count = 0

    def check(label, method, path, value):
        nonlocal count
        client, headers = clients[label]
        response = _send(client, method, path, headers if "/api/" in path else {}, value)
        count += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {label} {method} {path[:120]} value={value[:20]!r}")

    labels = list(clients)
    for r, route in enumerate(routes):
        good = _fill(route, valid, "1")
        has_parameters = "<" in route or "(?P" in route
        if route.startswith("admin/"):
            # Django's own admin: fewer combinations (anonymous is sent to the login).
            plan = [("anonymous", "GET"), ("admin", "GET"), ("admin", "POST")]
            path_values = HOSTILE_PATH[:3]
        elif route.endswith(HEAVY):
            # A PDF or the OpenAPI document takes a second or more to build: two people.
            plan = [("anonymous", "GET"), ("secretariat", "GET"), ("officer", "POST")]
            path_values = HOSTILE_PATH
        elif good.startswith("/api/"):
            # The API knows people by their token; JSON bodies for writes.
            plan = [(label, method) for label in ("anonymous", "officer", "secretariat")
                    for method in ("GET", "POST", "PATCH", "POST_JSON")]
            path_values = HOSTILE_PATH
        else:
            plan = [(label, method) for label in labels for method in ("GET", "POST")]
            path_values = HOSTILE_PATH
        # The hostile values rotate, so every value meets every view and person across the walk.
        for i, (label, method) in enumerate(plan):
            check(label, method, good, HOSTILE[(r + i) % len(HOSTILE)])
        if has_parameters:
            names = [m["name"] for m in _CONVERTER.finditer(route)] + [m["name"] for m in _GROUP.finditer(route)]
            for h, bad in enumerate(path_values):
                label = "admin" if route.startswith("admin/") else labels[(r + h) % len(labels)]
                # One parameter hostile at a time, the others valid, so the request
                # reaches the view rather than stopping at the first converter.
                hostile = names[h % len(names)] if names else ""
                path = _fill(route, {**valid, hostile: bad}, bad)
                check(label, "GET" if h % 2 else "POST", path, HOSTILE[(r + h) % len(HOSTILE)])
    print(f"{count} requests")
    assert not failures, f"{len(failures)} of {count} requests answered a server error:\n" + "\n".join(failures[:80])

