"""3.1–3.4 enter the assessment from the register through the one feeding path; a hand
edit is then refused; releasing gives the values back to the commune."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from smartcommune.disclosure import actions
from smartcommune.disclosure.feed import do_feed_register, do_release_register
from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.exceptions import NotAllowed, RoundError
from smartcommune.rounds.models import Evidence
from tests.disclosure.helpers import at, full_item
from tests.rounds.fixtures import assessment_of, fresh


def test_the_register_feeds_3_1_to_3_4(world, round_bt):
    full_item(world.officer_a, world.a, kind="dich-vu-cong", title="TTHC 1")
    full_item(world.officer_a, world.a, kind="dich-vu-cong", title="TTHC 2", loudspeaker=False)
    full_item(world.officer_a, world.a, kind="ngan-sach", title="Dự toán")
    f = actions.do_submit_feedback(unit=world.a, message="?", now=at(2024, 5, 6))
    actions.do_answer_feedback(actor=world.officer_a, feedback=f, public_answer="ok", now=at(2024, 5, 8))
    a = assessment_of(round_bt, world.a)
    fed = do_feed_register(actor=world.officer_a, assessment=a, today=date(2025, 1, 15))
    assert fed.report
    values = {v.criterion_code: v for v in fresh(a).values.filter(criterion_code__in=["3.1", "3.2", "3.3", "3.4"])}
    assert (values["3.1"].numerator, values["3.1"].denominator, values["3.1"].met) == (1, 2, True)
    assert (values["3.2"].numerator, values["3.2"].denominator) == (0, 0)
    assert (values["3.3"].numerator, values["3.3"].denominator) == (1, 1)
    assert values["3.4"].met is True
    assert {v.fed_by for v in values.values()} == {"disclosure"}
    assert values["3.1"].source == "Sổ công khai trong hệ thống"
    evidence = Evidence.objects.get(assessment=a, criterion_code="3.4")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(evidence.file.read())).pages)
    assert "Phường Phú Khương" in text and "2024" in text
    # A hand edit of a fed criterion is refused, with a message naming the source.
    with pytest.raises(RoundError) as err:
        do_save_values(actor=world.officer_a, assessment=a, expected_version=fresh(a).version,
                       values={"3.1": {"numerator": 2}})
    assert "tự động" in err.value.vi
    do_release_register(actor=world.officer_a, assessment=a)
    do_save_values(actor=world.officer_a, assessment=a, expected_version=fresh(a).version,
                   values={"3.1": {"numerator": 2}})
    assert fresh(a).values.get(criterion_code="3.1").numerator == 2


def test_before_the_year_ends_3_4_is_left_alone(world, round_bt):
    a = assessment_of(round_bt, world.a)
    fed = do_feed_register(actor=world.officer_a, assessment=a, today=date(2024, 12, 31))
    assert not fed.report
    assert fresh(a).values.get(criterion_code="3.4").fed_by == ""


def test_only_those_allowed_to_feed(world, round_bt):
    a = assessment_of(round_bt, world.a)
    with pytest.raises(NotAllowed):
        do_feed_register(actor=world.officer_b, assessment=a, today=date(2025, 1, 15))
    assert fresh(a).values.filter(fed_by="disclosure").count() == 0


def test_the_register_page_feeds_and_releases(client, world, round_bt):
    from django.urls import reverse

    full_item(world.officer_a, world.a)
    client.force_login(world.officer_a)
    url = reverse("disclosure:register", args=[world.a.pk]) + "?year=2024"
    assert 'id="feed"' in client.get(url).content.decode()
    client.post(reverse("disclosure:feed", args=[world.a.pk]), {"year": "2024"})
    a = assessment_of(round_bt, world.a)
    assert fresh(a).values.get(criterion_code="3.1").fed_by == "disclosure"
    client.post(reverse("disclosure:feed", args=[world.a.pk]), {"year": "2024", "release": "1"})
    assert fresh(a).values.get(criterion_code="3.1").fed_by == ""
    report = client.get(reverse("disclosure:report", args=[world.a.pk]) + "?year=2024")
    assert report["Content-Type"] == "application/pdf" and report.content.startswith(b"%PDF")
    client.force_login(world.district1)
    assert 'id="feed"' not in client.get(url).content.decode()
