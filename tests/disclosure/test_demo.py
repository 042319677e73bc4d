"""The demo's field-3 records: every commune of the 2025 round has a register and feedback,
all labelled synthetic, and the public page shows them without personal data."""

from django.urls import reverse

from smartcommune.demo.disclosure import load_disclosure
from smartcommune.disclosure.models import Feedback, Item
from smartcommune.rounds.models import Round
from tests.rounds.fixtures import open_round


def test_registers_and_feedback_for_the_2025_round(client, world):
    open_round(world, year=2025)
    load_disclosure(Round.objects.all(), {world.a.pk: world.officer_a}, seed=2021)
    communes = set(Item.objects.values_list("unit_id", flat=True))
    assert {world.a.pk, world.b.pk, world.c.pk} <= communes
    assert all(t.endswith("(mô phỏng)") for t in Item.objects.values_list("title", flat=True))
    assert all(m.endswith("(mô phỏng)") for m in Feedback.objects.values_list("message", flat=True))
    assert Feedback.objects.filter(status="answered", shown_publicly=True).exists()
    assert set(Feedback.objects.values_list("year", flat=True)) == {2025}
    names = 0
    for unit in (world.a, world.b, world.c):
        page = client.get(reverse("disclosure:public", args=[unit.pk])).content.decode()
        for name in Feedback.objects.filter(unit=unit).exclude(name="").values_list("name", flat=True):
            names += 1
            assert name not in page
    assert names
