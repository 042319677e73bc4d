"""The computed values of 3.1–3.3 equal an independent count from the stored records, for
random registers and desks (hypothesis)."""

from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

from smartcommune.disclosure import actions, selectors
from smartcommune.disclosure.models import Broadcast, Feedback, Item, Posting
from tests.disclosure.helpers import at, full_item

KINDS = {"dich-vu-cong": "3.1", "quy-hoach": "3.2", "ngan-sach": "3.3"}
TODAY = date(2025, 3, 1)

item_strategy = st.tuples(st.sampled_from(sorted(KINDS)), st.sampled_from([2023, 2024]),
                          st.booleans(), st.booleans(), st.booleans())


def independent(unit, year, reading):
    """Counted row by row from the stored records, with none of the product's queries."""
    values = {}
    for kind, code in KINDS.items():
        items = [i for i in Item.objects.all() if i.unit_id == unit.pk and i.year == year and i.kind == kind]
        three = [i for i in items if i.published_at is not None
                 and any(b.item_id == i.pk for b in Broadcast.objects.all())
                 and any(p.item_id == i.pk for p in Posting.objects.all())]
        values[code] = (len(three), len(items))
    reachable = any(i.unit_id == unit.pk and i.published_at is not None and i.published_at.year <= year
                    for i in Item.objects.all())
    late = any(f.unit_id == unit.pk and f.year == year and f.status == "open" and f.due_on < TODAY
               for f in Feedback.objects.all())
    met = reachable and (reading == "reachable" or not late)
    return {code: {"numerator": n, "denominator": d, "met": met} for code, (n, d) in values.items()}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(item_strategy, max_size=12),
       feedback=st.lists(st.tuples(st.booleans(), st.sampled_from([date(2024, 3, 1), date(2025, 2, 25)])),
                         max_size=4),
       reading=st.sampled_from(["reachable_and_answered", "reachable"]))
def test_computed_values_equal_an_independent_count(world, django_settings_override, items, feedback, reading):
    Feedback.objects.all().delete()
    Item.objects.all().delete()
    django_settings_override(reading)
    for n, (kind, year, web, loudspeaker, posting) in enumerate(items):
        full_item(world.officer_a, world.a, year=year, kind=kind, title=f"Mục {n}", web=web,
                  loudspeaker=loudspeaker, posting=posting)
        full_item(world.officer_b, world.b, year=year, kind=kind, title=f"Mục B {n}", web=True)
    for answered, sent in feedback:
        f = actions.do_submit_feedback(unit=world.a, message="?", now=at(sent.year, sent.month, sent.day))
        if answered:
            actions.do_answer_feedback(actor=world.officer_a, feedback=f, public_answer="ok")
    computed = selectors.computed_values([world.a.pk], 2024, "ben-tre-2021-2025", TODAY)[world.a.pk]
    assert computed == independent(world.a, 2024, reading)
