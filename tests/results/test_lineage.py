"""A commune's lineage on its scorecard (results/selectors/lineage.py, results/_lineage.html):
from a commune formed on 1 July 2025, the old communes it came from with the years of
their results the viewer may see; from an old commune, where it went."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from smartcommune.results.selectors.lineage import lineage_stamp, linked_units, unit_lineage
from smartcommune.results.selectors.scorecard import scorecard_stamp
from smartcommune.rounds.models import Status
from smartcommune.units.models import UnitSuccession
from tests.results.fixtures import save, set_status
from tests.rounds.fixtures import assessment_of, open_round

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)


@pytest.fixture
def merged(results_world):
    """X (Vĩnh Long) formed from all of A and part of B (B's default successor is Y);
    X's 2025 result published."""
    w = results_world.world
    UnitSuccession.objects.create(predecessor=w.a, successor=w.x, effective=REFORM, is_default=True)
    UnitSuccession.objects.create(predecessor=w.b, successor=w.x, effective=REFORM, is_default=False)
    UnitSuccession.objects.create(predecessor=w.b, successor=w.y, effective=REFORM, is_default=True)
    round_2025 = open_round(w, year=2025, province=w.vl, secretariat=w.secretariat_vl)
    x = assessment_of(round_2025, w.x)
    save(x, w.officer_x, {})
    results_world.x25 = set_status(x, Status.PUBLISHED, recognised=True)
    return results_world


def years(linked):
    return [(r.year, r.recognised) for r in linked.results]


def test_a_new_commune_lists_its_old_communes_with_the_results_the_public_may_see(merged):
    w = merged.world
    lineage = unit_lineage(viewer=AnonymousUser(), unit=w.x)
    assert lineage.successors == ()
    a, b = lineage.predecessors
    assert (a.unit, a.district, a.province, a.whole, a.effective) == (w.a, w.d1, w.bt, True, REFORM)
    assert years(a) == [(2023, True), (2024, True)]
    # B's 2024 result is decided but not published: the public sees 2023 only.
    assert (b.unit, b.whole, years(b)) == (w.b, False, [(2023, False)])


def test_people_whose_roles_reach_an_unpublished_result_see_it(merged):
    w = merged.world
    b = unit_lineage(viewer=w.secretariat, unit=w.x).predecessors[1]
    assert years(b) == [(2023, False), (2024, False)]


def test_an_old_commune_points_to_where_it_went(merged):
    w = merged.world
    lineage = unit_lineage(viewer=AnonymousUser(), unit=w.b)
    assert lineage.predecessors == ()
    x, y = lineage.successors
    assert (x.unit, x.province, x.district, x.whole, years(x)) == (w.x, w.vl, None, False, [(2025, True)])
    assert (y.unit, y.whole, years(y)) == (w.y, True, [])


def test_a_commune_no_reform_touched_has_no_lineage(merged):
    w = merged.world
    lineage = unit_lineage(viewer=AnonymousUser(), unit=w.c)
    assert lineage.predecessors == () and lineage.successors == ()
    assert lineage_stamp(unit_id=w.c.pk) == () and linked_units((), unit_id=w.c.pk) == ()


def test_the_stamps_follow_the_links_and_the_linked_results(merged):
    w = merged.world
    links = lineage_stamp(unit_id=w.x.pk)
    assert linked_units(links, unit_id=w.x.pk) == tuple(sorted((w.a.pk, w.b.pk)))
    assert linked_units(lineage_stamp(unit_id=w.b.pk), unit_id=w.b.pk) == tuple(sorted((w.x.pk, w.y.pk)))

    def stamp():
        return scorecard_stamp(viewer=AnonymousUser(), unit_id=w.x.pk, linked=linked_units(links, unit_id=w.x.pk))

    before = stamp()
    assert before == stamp() != scorecard_stamp(viewer=AnonymousUser(), unit_id=w.x.pk)
    set_status(merged.b, Status.PUBLISHED, recognised=False)  # B's 2024 result published
    assert stamp() != before
    UnitSuccession.objects.filter(predecessor=w.b, successor=w.y).update(is_default=False)
    UnitSuccession.objects.filter(predecessor=w.b, successor=w.x).update(is_default=True)
    assert lineage_stamp(unit_id=w.x.pk) != links


def test_the_scorecards_link_both_ways(client, merged):
    w = merged.world
    page = client.get(reverse("results:scorecard", args=[w.x.pk, 2025])).content.decode()
    assert "Trước sắp xếp đơn vị hành chính" in page and "Sau sắp xếp đơn vị hành chính" not in page
    for unit, year in ((w.a, 2023), (w.a, 2024), (w.b, 2023)):
        assert f'href="{reverse("results:scorecard", args=[unit.pk, year])}"' in page
    assert f'href="{reverse("results:scorecard", args=[w.b.pk, 2024])}"' not in page
    assert "một phần diện tích" in page  # only part of B went to X
    old = client.get(reverse("results:scorecard", args=[w.a.pk, 2024])).content.decode()
    assert "Sau sắp xếp đơn vị hành chính" in old and "Trước sắp xếp đơn vị hành chính" not in old
    assert f'href="{reverse("results:scorecard", args=[w.x.pk, 2025])}"' in old
    plain = client.get(reverse("results:scorecard", args=[w.a.pk, 2024])).content.decode()
    assert plain == old  # kept, and the same


def test_a_kept_scorecard_shows_a_predecessor_published_since(client, merged):
    w = merged.world
    url = reverse("results:scorecard", args=[w.x.pk, 2025])
    link = f'href="{reverse("results:scorecard", args=[w.b.pk, 2024])}"'
    assert link not in client.get(url).content.decode()
    set_status(merged.b, Status.PUBLISHED, recognised=False)
    assert link in client.get(url).content.decode()


def test_a_kept_scorecard_shows_a_changed_link_at_once(client, merged):
    w = merged.world
    url = reverse("results:scorecard", args=[w.x.pk, 2025])
    assert "một phần diện tích" in client.get(url).content.decode()  # only part of B went to X
    UnitSuccession.objects.filter(predecessor=w.b, successor=w.y).update(is_default=False)
    UnitSuccession.objects.filter(predecessor=w.b, successor=w.x).update(is_default=True)
    assert "một phần diện tích" not in client.get(url).content.decode()
    UnitSuccession.objects.filter(predecessor=w.b).delete()
    page = client.get(url).content.decode()
    assert f'href="{reverse("results:scorecard", args=[w.b.pk, 2023])}"' not in page


def test_a_kept_scorecard_with_a_lineage_is_two_queries(client, merged):
    """Its links across the reform, then one stamp of its results and of the linked
    communes' (the same as without a lineage, test_delivery)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("results:scorecard", args=[merged.world.x.pk, 2025])
    first = client.get(url, HTTP_ACCEPT_ENCODING="br")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url, HTTP_ACCEPT_ENCODING="br")
    assert again.status_code == 200 and again.content == first.content
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]


def test_the_lineage_in_english(client, merged):
    w = merged.world
    client.cookies["django_language"] = "en"
    page = client.get(reverse("results:scorecard", args=[w.x.pk, 2025]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Before the reorganisation of administrative units" in page
    assert "The commune was formed on 01/07/2025 from the communes below" in page
