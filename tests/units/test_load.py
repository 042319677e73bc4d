"""Loading Bến Tre and Vĩnh Long into the database, and the lineage between them."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from smartcommune.units.actions import Counts, LoadReport, do_load_units
from smartcommune.units.models import Level, Unit, UnitSuccession

pytestmark = pytest.mark.django_db

REFORM_DAY = date(2025, 7, 1)


@pytest.fixture
def report() -> LoadReport:
    return do_load_units(old_province_code="83", new_province_code="86")


def ben_tre_communes():
    return Unit.objects.filter(level=Level.COMMUNE, parent__parent__code="83", valid_to=date(2025, 6, 30))


def vinh_long():
    return Unit.objects.get(level=Level.PROVINCE, code="86", valid_from=REFORM_DAY)


def test_first_load_creates_everything(report):
    # Bến Tre 1 + 9 + 148, Vĩnh Long 1 + 124.
    assert report == LoadReport(
        units=Counts(created=283), successions=Counts(created=149), successions_removed=0
    )


def test_ben_tre_is_one_province_nine_districts_148_communes(report):
    province = Unit.objects.get(level=Level.PROVINCE, code="83")
    assert (province.name, province.kind, province.parent) == ("Tỉnh Bến Tre", "Tỉnh", None)
    assert (province.valid_from, province.valid_to) == (date(2021, 1, 1), date(2025, 6, 30))
    districts = province.children.all()
    assert districts.count() == 9
    assert {d.level for d in districts} == {Level.DISTRICT}
    communes = ben_tre_communes()
    assert communes.count() == 148
    assert Counter(communes.values_list("kind", flat=True)) == {"Xã": 132, "Thị trấn": 10, "Phường": 6}
    assert not communes.filter(latitude__isnull=True).exists()
    assert not communes.filter(longitude__isnull=True).exists()
    assert Unit.objects.filter(valid_to=date(2025, 6, 30)).count() == 1 + 9 + 148


def test_vinh_long_is_loaded_whole_without_districts(report):
    province = vinh_long()
    assert (province.name, province.valid_to, province.parent) == ("Tỉnh Vĩnh Long", None, None)
    communes = province.children.all()
    assert communes.count() == 124
    assert Counter(communes.values_list("kind", flat=True)) == {"Xã": 105, "Phường": 19}
    assert {c.level for c in communes} == {Level.COMMUNE}
    assert not communes.filter(latitude__isnull=True).exists()


def test_every_old_commune_has_exactly_one_default_successor_in_vinh_long(report):
    defaults = Counter(
        UnitSuccession.objects.filter(is_default=True).values_list("predecessor__code", flat=True)
    )
    assert sorted(defaults) == sorted(ben_tre_communes().values_list("code", flat=True))
    assert set(defaults.values()) == {1}
    links = UnitSuccession.objects.select_related("successor")
    assert {(link.effective, link.successor.parent_id) for link in links} == {(REFORM_DAY, vinh_long().pk)}
    # 49 of Vĩnh Long's 124 communes succeed Bến Tre communes.
    assert links.values("successor").distinct().count() == 49


def test_phu_khuong_keeps_its_code_across_the_reform(report):
    old = Unit.objects.get(code="28756", valid_from=date(2021, 1, 1))
    new = Unit.objects.get(code="28756", valid_from=REFORM_DAY)
    assert (old.name, old.parent.name) == ("Phường Phú Khương", "Thành phố Bến Tre")
    assert (new.name, new.parent) == ("Phường Phú Khương", vinh_long())
    assert UnitSuccession.objects.get(predecessor=old, is_default=True).successor == new


def test_divided_commune_has_two_successors_one_default(report):
    # Xã Hòa Lộc of Mỏ Cày Bắc, which the package lists as divided.
    hoa_loc = Unit.objects.get(code="28924", valid_from=date(2021, 1, 1))
    assert (hoa_loc.name, hoa_loc.parent.name) == ("Xã Hòa Lộc", "Huyện Mỏ Cày Bắc")
    links = {
        link.successor.name: link.is_default
        for link in hoa_loc.successor_links.select_related("successor")
    }
    assert links == {"Xã Tân Thành Bình": True, "Xã Hòa Hiệp": False}


def test_loading_twice_changes_nothing(report):
    rows = (Unit.objects.count(), UnitSuccession.objects.count())
    again = do_load_units(old_province_code="83", new_province_code="86")
    assert again == LoadReport(
        units=Counts(unchanged=283), successions=Counts(unchanged=149), successions_removed=0
    )
    assert not again.changed
    assert (Unit.objects.count(), UnitSuccession.objects.count()) == rows


def test_reload_restores_the_package_data(report):
    Unit.objects.filter(code="28756", valid_from=REFORM_DAY).update(name="Phường Sai Tên")
    # Move Hòa Lộc's default to the wrong successor: the reload must clear it before
    # setting the right one, or the one-default constraint would fail.
    hoa_loc = UnitSuccession.objects.filter(predecessor__code="28924")
    hoa_loc.update(is_default=False)
    hoa_loc.filter(successor__code="29734").update(is_default=True)
    stray = UnitSuccession.objects.create(
        predecessor=Unit.objects.get(code="28756", valid_from=date(2021, 1, 1)),
        successor=Unit.objects.get(code="28858", valid_from=REFORM_DAY),
        effective=REFORM_DAY,
        is_default=False,
    )
    again = do_load_units(old_province_code="83", new_province_code="86")
    assert again == LoadReport(
        units=Counts(updated=1, unchanged=282),
        successions=Counts(updated=2, unchanged=147),
        successions_removed=1,
    )
    assert Unit.objects.get(code="28756", valid_from=REFORM_DAY).name == "Phường Phú Khương"
    assert hoa_loc.get(is_default=True).successor.code == "28921"
    assert not UnitSuccession.objects.filter(pk=stray.pk).exists()


def test_in_force_tells_the_two_generations_apart(report):
    before = Unit.objects.in_force(date(2024, 1, 1))
    after = Unit.objects.in_force(REFORM_DAY)
    assert before.filter(level=Level.COMMUNE).count() == 148
    assert after.filter(level=Level.COMMUNE).count() == 124
    assert not after.filter(level=Level.DISTRICT).exists()
    assert list(before.filter(code="28756").values_list("valid_from", flat=True)) == [date(2021, 1, 1)]
    assert list(after.filter(code="28756").values_list("valid_from", flat=True)) == [REFORM_DAY]
    # Both ends of a validity period are included.
    assert not Unit.objects.in_force(date(2020, 12, 31)).exists()
    assert Unit.objects.in_force(date(2025, 6, 30)).filter(level=Level.COMMUNE).count() == 148


def test_level_code_and_start_date_identify_a_unit(report):
    district = Unit.objects.get(level=Level.DISTRICT, code="829")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            level=Level.COMMUNE,
            code="28756",
            valid_from=date(2021, 1, 1),
            name="Xã Trùng Mã",
            short_name="Trùng Mã",
            kind="Xã",
            parent=district,
        )


def test_command_prints_a_vietnamese_summary():
    out = StringIO()
    call_command("load_units", "--old-province", "83", "--new-province", "86", stdout=out)
    assert "Đơn vị hành chính: tạo mới 283, cập nhật 0, giữ nguyên 0." in out.getvalue()
    out = StringIO()
    call_command("load_units", stdout=out)
    assert "Quan hệ kế thừa: tạo mới 0, cập nhật 0, giữ nguyên 149, xóa 0." in out.getvalue()
    assert "không có thay đổi" in out.getvalue()


def test_command_reports_a_bad_province_code():
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        call_command("load_units", "--old-province", "99")
    assert not Unit.objects.exists()
