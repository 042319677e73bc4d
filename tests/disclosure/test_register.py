"""The register: who may write it, what each channel records, copying, the log."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.disclosure import actions
from smartcommune.disclosure.models import DisclosureLog, Item
from smartcommune.rounds.exceptions import AuditImmutable, NotAllowed, UploadRejected, ValidationFailed
from tests.disclosure.helpers import at, full_item

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_officer_builds_an_item_on_three_channels(world):
    item = full_item(world.officer_a, world.a)
    item.refresh_from_db()
    assert item.published_at.date() == date(2024, 2, 2)
    assert item.broadcasts.get().hamlets == "Ấp 1, Ấp 2"
    assert item.postings.get().posted_on == date(2024, 2, 4)
    actions = list(DisclosureLog.objects.filter(item=item).values_list("action", flat=True))
    assert actions == ["item_created", "item_published", "broadcast_recorded", "posting_recorded"]


def test_publishing_twice_keeps_the_first_date(world):
    item = full_item(world.officer_a, world.a, loudspeaker=False, posting=False)
    again = actions.do_publish_item(actor=world.officer_a, item=item, now=at(2024, 5, 5))
    assert again.published_at.date() == date(2024, 2, 2)


@pytest.mark.parametrize("who", ["officer_b", "district1", "secretariat", "nobody", "admin"])
def test_only_the_communes_officer_writes_its_register(world, who):
    with pytest.raises(NotAllowed):
        actions.do_create_item(actor=getattr(world, who), unit=world.a, year=2024, kind="quy-hoach", title="QH")
    item = full_item(world.officer_a, world.a, web=False, loudspeaker=False, posting=False)
    with pytest.raises(NotAllowed):
        actions.do_publish_item(actor=getattr(world, who), item=item)
    assert Item.objects.get(pk=item.pk).published_at is None


def test_bad_input_is_refused_naming_the_field(world):
    with pytest.raises(ValidationFailed) as err:
        actions.do_create_item(actor=world.officer_a, unit=world.a, year=2024, kind="khong-co", title="x")
    assert err.value.problems[0].field == "kind"
    with pytest.raises(ValidationFailed) as err:
        actions.do_create_item(actor=world.officer_a, unit=world.a, year=2024, kind="quy-hoach", title=" ")
    assert "tiêu đề" in err.value.vi
    item = full_item(world.officer_a, world.a, web=False, loudspeaker=False, posting=False)
    with pytest.raises(ValidationFailed):
        actions.do_record_posting(actor=world.officer_a, item=item, posted_on=date(2024, 3, 1),
                                  taken_down_on=date(2024, 2, 1))
    with pytest.raises(ValidationFailed):
        actions.do_add_link(actor=world.officer_a, item=item, channel="zalo", url="javascript:alert(1)")
    assert not item.postings.exists() and not item.links.exists()


def test_a_posting_photo_is_checked_like_evidence(world):
    item = full_item(world.officer_a, world.a, posting=False)
    with pytest.raises(UploadRejected):
        actions.do_record_posting(actor=world.officer_a, item=item, posted_on=date(2024, 3, 1),
                                  photo=SimpleUploadedFile("anh.png", b"MZ not a picture"))
    posting = actions.do_record_posting(actor=world.officer_a, item=item, posted_on=date(2024, 3, 1),
                                        photo=SimpleUploadedFile("Ảnh niêm yết.png", PNG))
    assert posting.photo_name == "Ảnh niêm yết.png" and posting.photo_type == "image/png"
    assert posting.photo.name.startswith(f"disclosure/postings/{world.a.pk}/") and posting.photo.name.endswith(".png")


def test_copy_from_last_year_takes_titles_not_channels(world):
    full_item(world.officer_a, world.a, year=2023, title="Dự toán ngân sách", kind="ngan-sach")
    full_item(world.officer_a, world.a, year=2023, title="Quy hoạch chung", kind="quy-hoach")
    assert actions.do_copy_year(actor=world.officer_a, unit=world.a, from_year=2023, to_year=2024) == 2
    assert actions.do_copy_year(actor=world.officer_a, unit=world.a, from_year=2023, to_year=2024) == 0
    copied = Item.objects.filter(unit=world.a, year=2024)
    assert {i.title for i in copied} == {"Dự toán ngân sách", "Quy hoạch chung"}
    assert all(i.published_at is None and not i.broadcasts.exists() for i in copied)


def test_the_log_is_append_only(world):
    full_item(world.officer_a, world.a)
    entry = DisclosureLog.objects.first()
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        DisclosureLog.objects.all().delete()
