"""The survey's pages: role scoping on every view, the public form's defences, downloads."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from smartcommune.rounds.models import Assessment, Status
from smartcommune.surveys import guard
from smartcommune.surveys.actions import do_close_survey
from smartcommune.surveys.models import Answer, Survey
from tests.surveys.fixtures import answer, survey  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_cache")


def manage_urls(s: Survey, a: Answer) -> list[tuple[str, str]]:
    return [
        ("get", reverse("surveys:detail", args=[s.pk])),
        ("get", reverse("surveys:answers", args=[s.pk])),
        ("get", reverse("surveys:entry", args=[s.pk])),
        ("get", reverse("surveys:export", args=[s.pk, "csv"])),
        ("get", reverse("surveys:export", args=[s.pk, "xlsx"])),
        ("get", reverse("surveys:topics", args=[s.pk])),
        ("get", reverse("surveys:poster", args=[s.pk])),
        ("post", reverse("surveys:plan", args=[s.pk])),
        ("post", reverse("surveys:import", args=[s.pk])),
        ("post", reverse("surveys:void", args=[s.pk, a.pk])),
        ("post", reverse("surveys:close", args=[s.pk])),
    ]


def test_anonymous_people_are_sent_to_sign_in(client, survey):
    for method, url in manage_urls(survey, answer(survey)) + [("get", reverse("surveys:list"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_people_whose_roles_do_not_reach_the_commune_get_404(client, world, survey):
    a = answer(survey)
    for outsider in (world.officer_b, world.district2, world.secretariat_vl, world.nobody):
        client.force_login(outsider)
        for method, url in manage_urls(survey, a):
            assert getattr(client, method)(url).status_code == 404, (outsider, url)
    assert Answer.objects.filter(voided_at__isnull=True).count() == 1
    assert Survey.objects.get().is_open


def test_reviewers_and_verifiers_see_but_do_not_run_the_survey(client, world, survey):
    a = answer(survey)
    verifier = next(iter(world.verifiers.values()))
    for reader in (world.district1, verifier):
        client.force_login(reader)
        assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 200
        assert client.get(reverse("surveys:export", args=[survey.pk, "csv"])).status_code == 200
        for name in ("entry", "answers"):
            assert client.get(reverse(f"surveys:{name}", args=[survey.pk])).status_code == 403
        for name in ("close", "import", "plan"):
            assert client.post(reverse(f"surveys:{name}", args=[survey.pk])).status_code in (403, 302)
        assert client.post(reverse("surveys:void", args=[survey.pk, a.pk]), {"reason": "x"}).status_code == 403
    assert Survey.objects.get().is_open and Answer.objects.get().voided_at is None


def test_the_officer_runs_the_survey_but_does_not_void(client, world, survey):
    a = answer(survey)
    client.force_login(world.officer_a)
    for method, url in manage_urls(survey, a)[:7]:
        assert getattr(client, method)(url).status_code == 200, url
    assert client.post(reverse("surveys:void", args=[survey.pk, a.pk]), {"reason": "x"}).status_code == 403
    response = client.post(reverse("surveys:entry", args=[survey.pk]), {"channel": "paper", "level": "3"})
    assert response.status_code == 302
    assert Answer.objects.filter(channel="paper", entered_by=world.officer_a, level=3).exists()


def test_the_secretariat_voids_from_the_answers_list(client, world, survey):
    a = answer(survey)
    client.force_login(world.secretariat)
    page = client.get(reverse("surveys:answers", args=[survey.pk])).content.decode()
    assert reverse("surveys:void", args=[survey.pk, a.pk]) in page
    client.post(reverse("surveys:void", args=[survey.pk, a.pk]), {"reason": "Phiếu thử nghiệm"})
    assert Answer.objects.get().void_reason == "Phiếu thử nghiệm"


def test_the_plan_form_takes_lines_or_a_csv_file(client, world, round_bt):
    from tests.surveys.fixtures import open_survey
    s = open_survey(world, round_bt, plan=False)
    client.force_login(world.officer_a)
    client.post(reverse("surveys:plan", args=[s.pk]), {
        "frame_kind": "population", "margin": "0,05", "method": "yamane", "confidence": "95",
        "frame": "Tên ấp; quy mô\nẤp Bình; 1.200\nẤp An; 800\n"})
    s.refresh_from_db()
    assert (s.population, s.planned) == (2000, 334)
    assert [(h.name, h.quota) for h in s.hamlets.all()] == [("Ấp Bình", 200), ("Ấp An", 134)]
    page = client.get(reverse("surveys:detail", args=[s.pk])).content.decode()
    assert "Ấp Bình" in page


def test_the_list_offers_opening_to_those_who_may(client, world, round_bt):
    client.force_login(world.officer_a)
    page = client.get(reverse("surveys:list")).content.decode()
    a = Assessment.objects.get(round=round_bt, unit=world.a)
    b = Assessment.objects.get(round=round_bt, unit=world.b)
    assert reverse("surveys:open", args=[a.pk]) in page and reverse("surveys:open", args=[b.pk]) not in page
    assert client.post(reverse("surveys:open", args=[b.pk])).status_code == 404
    assert client.post(reverse("surveys:open", args=[a.pk])).status_code == 302
    assert Survey.objects.get().assessment == a


# -- the public form ------------------------------------------------------------------------


def stamped(client, s: Survey, settings) -> str:
    settings.SMARTCOMMUNE_SURVEY_MIN_SECONDS = 0
    page = client.get(reverse("surveys:public_form", args=[s.code])).content.decode()
    return page.split('name="stamp" value="')[1].split('"')[0]


def test_the_public_form_is_self_contained_and_strict(client, survey):
    response = client.get(reverse("surveys:public_form", args=[survey.code]))
    page = response.content.decode()
    assert response.status_code == 200 and "Thụt lùi" in page and "Tiến bộ rõ rệt" in page
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_person_answers_through_the_public_form(client, survey, settings):
    stamp = stamped(client, survey, settings)
    hamlet = survey.hamlets.first()
    response = client.post(reverse("surveys:public_form", args=[survey.code]), {
        "stamp": stamp, "level": "4", "hamlet": str(hamlet.pk), "topic_dich_vu_cong": "hai_long", "age_band": "30_44",
        "sex": "nu", "identity": "0912345678", guard.HONEYPOT: ""})
    assert response.status_code == 302 and response["Location"].endswith("/cam-on/")
    a = Answer.objects.get()
    assert (a.level, a.hamlet, a.channel, a.entered_by, a.topics) == (4, hamlet, "web", None, {"dich_vu_cong": "hai_long"})
    again = client.post(reverse("surveys:public_form", args=[survey.code]),
                        {"stamp": stamp, "level": "3", "identity": "0912.345.678"})
    assert again.status_code == 400 and "một lần" in again.content.decode()
    assert Answer.objects.count() == 1


def test_a_refused_answer_comes_back_with_the_choices_made(client, survey, settings):
    stamp = stamped(client, survey, settings)
    hamlet = survey.hamlets.all()[1]
    response = client.post(reverse("surveys:public_form", args=[survey.code]), {
        "stamp": stamp, "level": "3", "hamlet": str(hamlet.pk), "age_band": "30_44", "sex": "nu", "identity": "12"})
    page = response.content.decode()
    assert response.status_code == 400 and "9 đến 12 chữ số" in page
    assert 'value="3" required checked' in page and page.count(" checked") == 1
    assert f'<option value="{hamlet.pk}" selected>' in page and '<option value="30_44" selected>' in page
    assert '<option value="nu" selected>' in page and page.count(" selected>") == 3
    assert not Answer.objects.exists()


@pytest.mark.parametrize("data", [
    {"level": "4"},                                   # no stamp
    {"level": "4", "stamp": "forged"},                # a forged stamp
    {"level": "4", "stamp": None, "website": "http://spam"},  # the honeypot filled in
])
def test_the_bot_check_refuses_without_recording(client, survey, settings, data):
    stamp = stamped(client, survey, settings)
    data = {k: (stamp if v is None else v) for k, v in data.items()}
    response = client.post(reverse("surveys:public_form", args=[survey.code]), data)
    assert response.status_code == 400 and "không gửi tự động" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_sent_too_fast_is_refused(client, survey, settings):
    stamp = stamped(client, survey, settings)
    settings.SMARTCOMMUNE_SURVEY_MIN_SECONDS = 3600
    assert client.post(reverse("surveys:public_form", args=[survey.code]),
                       {"stamp": stamp, "level": "4"}).status_code == 400
    assert not Answer.objects.exists()


def test_the_rate_limit_per_address_holds(client, survey, settings):
    stamp = stamped(client, survey, settings)
    settings.SMARTCOMMUNE_SURVEY_ADDRESS_RATE = 2
    codes = [client.post(reverse("surveys:public_form", args=[survey.code]), {"stamp": stamp, "level": "4"}).status_code
             for _ in range(4)]
    assert codes == [302, 302, 429, 429]
    assert Answer.objects.count() == 2
    # Another address is not held back.
    other = client.post(reverse("surveys:public_form", args=[survey.code]), {"stamp": stamp, "level": "4"},
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_rate_limit_per_survey_holds(client, survey, settings):
    stamp = stamped(client, survey, settings)
    settings.SMARTCOMMUNE_SURVEY_RATE = 1
    url = reverse("surveys:public_form", args=[survey.code])
    assert client.post(url, {"stamp": stamp, "level": "4"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(url, {"stamp": stamp, "level": "4"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1


def test_an_answer_costs_a_bounded_number_of_queries(client, survey, settings, django_assert_max_num_queries):
    # Every citizen's answer is three requests; under a hundred submitters at once each
    # statement counts.  The answer after the first (the rate counters of the window exist):
    stamp = stamped(client, survey, settings)
    url = reverse("surveys:public_form", args=[survey.code])
    data = {"stamp": stamp, "level": "4", "hamlet": str(survey.hamlets.first().pk), "topic_dich_vu_cong": "hai_long"}
    assert client.post(url, data).status_code == 302
    with django_assert_max_num_queries(2):  # the survey, its hamlets
        assert client.get(url).status_code == 200
    # The survey; per rate counter one read and one compare-and-set write; the hamlet named;
    # then in one transaction (a savepoint here) the status under a shared lock, the answer
    # and its two counts.
    with django_assert_max_num_queries(12):
        response = client.post(url, data)
    assert response.status_code == 302 and Answer.objects.count() == 2
    with django_assert_max_num_queries(1):  # the survey
        page = client.get(response["Location"]).content.decode()
    assert survey.assessment.unit.name in page and str(survey.assessment.round.year) in page


def test_a_closed_survey_says_so_and_takes_nothing(client, world, survey, settings):
    stamp = stamped(client, survey, settings)
    do_close_survey(actor=world.secretariat, survey=survey)
    url = reverse("surveys:public_form", args=[survey.code])
    assert "đã kết thúc" in client.get(url).content.decode()
    assert client.post(url, {"stamp": stamp, "level": "4"}).status_code == 410
    assert not Answer.objects.exists()


def test_an_unknown_code_is_404(client, db):
    assert client.get(reverse("surveys:public_form", args=["nothere"])).status_code == 404


def test_public_results_only_once_published(client, survey):
    answer(survey, level=4)
    url = reverse("surveys:public_results", args=[survey.code])
    assert client.get(url).status_code == 404
    Assessment.objects.filter(pk=survey.assessment_id).update(status=Status.PUBLISHED,
                                                              published_at="2025-03-01T00:00:00Z")
    page = client.get(url).content.decode()
    assert "1 phiếu hợp lệ" in page and "identity" not in page


def test_downloads(client, world, survey):
    answer(survey, level=4, hamlet_id=survey.hamlets.first().pk)
    client.force_login(world.officer_a)
    csv_text = client.get(reverse("surveys:export", args=[survey.pk, "csv"])).content.decode()
    assert csv_text.splitlines()[1].split(",")[3:8] == ["1", "0", "0", "0", "1"]
    for fmt in ("pdf", "topics"):
        response = client.get(reverse("surveys:export", args=[survey.pk, fmt]))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    poster = client.get(reverse("surveys:poster", args=[survey.pk]))
    text = PdfReader(io.BytesIO(poster.content)).pages[0].extract_text()
    assert f"/s/{survey.code}/" in text


def test_the_34_answers_load_after_the_page(client, world, survey):
    answer(survey, topics={"quy_hoach": "ro_rang"})
    client.force_login(world.district1)
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert 'hx-get="%s"' % reverse("surveys:topics", args=[survey.pk]) in page
    fragment = client.get(reverse("surveys:topics", args=[survey.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "Rõ ràng, dễ tìm: 1" in fragment and "<html" not in fragment
    assert "Rõ ràng, dễ tìm: 1" in client.get(reverse("surveys:topics", args=[survey.pk])).content.decode()


def test_the_answer_import_checks_csrf_and_size_before_reading(world, survey, settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.officer_a)
    url = reverse("surveys:import", args=[survey.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile
    assert strict.post(url, {"file": SimpleUploadedFile("a.csv", b"level\n4\n")}).status_code == 403
    settings.SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES = 10
    big = strict.post(url, {"file": SimpleUploadedFile("a.csv", b"level\n" + b"4\n" * 800_000)}, follow=True)
    assert "quá lớn" in big.content.decode()
    assert not Answer.objects.exists()


def test_the_answer_import_from_the_page(client, world, survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer_a)
    page = client.post(reverse("surveys:import", args=[survey.pk]),
                       {"file": SimpleUploadedFile("a.csv", b"level\n4\n3\n")}, follow=True).content.decode()
    assert "Đã nhập 2 phiếu." in page and Answer.objects.count() == 2
