"""The package reader: what it returns for Bến Tre → Vĩnh Long, and that it needs no Django."""

import os
import subprocess
import sys
from collections import Counter

import pytest

from smartcommune.units.source import SourceError, read_reform


@pytest.fixture(scope="module")
def source():
    return read_reform(old_province_code="83", new_province_code="86")


def test_old_province_has_nine_districts_and_148_communes(source):
    province = source.old_province
    assert (province.code, province.name, province.kind) == ("83", "Tỉnh Bến Tre", "Tỉnh")
    assert [d.code for d in source.old_districts] == ["829", *map(str, range(831, 839))]
    assert Counter(c.kind for c in source.old_communes) == {"Xã": 132, "Thị trấn": 10, "Phường": 6}
    district_codes = {d.code for d in source.old_districts}
    assert all(c.parent_code in district_codes for c in source.old_communes)


def test_new_province_has_124_communes(source):
    assert (source.new_province.code, source.new_province.short_name) == ("86", "Vĩnh Long")
    assert Counter(c.kind for c in source.new_communes) == {"Xã": 105, "Phường": 19}
    assert {c.parent_code for c in source.new_communes} == {"86"}


def test_every_old_commune_has_exactly_one_default_successor(source):
    defaults = Counter(s.predecessor_code for s in source.successions if s.is_default)
    assert defaults == Counter({c.code: 1 for c in source.old_communes})


def test_unknown_or_malformed_province_code_is_refused():
    with pytest.raises(SourceError, match="Không có tỉnh mã 99"):
        read_reform(old_province_code="99", new_province_code="86")
    with pytest.raises(SourceError, match="không hợp lệ"):
        read_reform(old_province_code="83' OR '1'='1", new_province_code="86")


def test_old_province_not_merged_into_the_new_one_is_refused():
    # Bến Tre (83) went into Vĩnh Long (86), not Hà Nội (01).
    with pytest.raises(SourceError, match="không sáp nhập vào"):
        read_reform(old_province_code="83", new_province_code="01")


@pytest.mark.slow  # a subprocess
def test_source_reads_without_django():
    script = (
        "import sys\n"
        "from smartcommune.units.source import read_reform\n"
        "s = read_reform(old_province_code='83', new_province_code='86')\n"
        "assert len(s.old_communes) == 148, len(s.old_communes)\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
