"""The home page per role, login and logout, the navigation and notifications."""

from datetime import date

import pytest
from django.urls import reverse

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.rounds.models import Notification
from tests.rounds.fixtures import assessment_of, fill, open_round, step, verify_all

pytestmark = [pytest.mark.django_db]

HOME = reverse("home")
NOTIFICATIONS = reverse("notifications")



def sections(response):
    page = response.content.decode()
    return {s for s in ("officer", "district", "agency", "secretariat", "admin") if f'id="{s}"' in page}


def test_anonymous_home_is_the_landing_page(client, world):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]
    assert reverse("login") in response.content.decode()
    assert "Việc của tôi" not in response.content.decode()


def test_the_landing_page_states_the_rule_of_the_set_in_force(client, world, settings):
    page = client.get(HOME).content.decode()
    assert "Xã được công nhận khi đạt ít nhất 7/10 lĩnh vực." in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(HOME).content.decode()
    assert "A commune is recognised when it meets at least 7 of 10 fields." in page


def test_login_and_logout(client, world):
    world.officer_a.set_password("mật-khẩu-dài-2024")
    world.officer_a.save()
    page = client.get(reverse("login")).content.decode()
    assert "Tên đăng nhập" in page and "Mật khẩu" in page
    response = client.post(reverse("login"), {"username": "officer_a", "password": "sai"})
    assert response.status_code == 200 and "không đúng" in response.content.decode()
    response = client.post(reverse("login"), {"username": "officer_a", "password": "mật-khẩu-dài-2024"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert "Việc của tôi" in client.get(HOME).content.decode()
    assert client.get(reverse("logout")).status_code == 405  # POST only
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "core/home.html" in [t.name for t in client.get(HOME).templates]


def test_login_next_is_kept(client, world):
    response = client.get(reverse("rounds:agency_queue"))
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assert 'value="/queue/agency/"' in login_page.content.decode()


def test_home_per_role(client, world, round_bt):
    a = step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit")
    expected = {
        world.officer_a: {"officer"},
        world.district1: {"district"},
        world.verifiers["SYT"]: {"agency"},
        world.secretariat: {"secretariat"},
        world.admin: {"admin"},
        world.nobody: set(),
    }
    for u, wanted in expected.items():
        client.force_login(u)
        response = client.get(HOME)
        assert response.status_code == 200
        assert sections(response) == wanted, u.username
    client.force_login(world.nobody)
    assert "chưa được phân vai trò" in client.get(HOME).content.decode()

    client.force_login(world.district1)
    page = client.get(HOME).content.decode()
    assert "Phường Phú Khương" in page and reverse("rounds:assessment", args=[a.id]) in page
    client.force_login(world.district2)
    assert "Phường Phú Khương" not in client.get(HOME).content.decode()

    client.force_login(world.secretariat)
    page = client.get(HOME).content.decode()
    assert reverse("rounds:round_overview", args=[round_bt.id]) in page and "Đã nộp" in page


def test_several_roles_see_several_sections(client, world, round_bt):
    RoleAssignment.objects.create(user=world.officer_a, role=Role.DISTRICT_REVIEWER, unit=world.d2)
    RoleAssignment.objects.create(user=world.officer_a, role=Role.AGENCY_VERIFIER, unit=world.bt, agency="SYT")
    client.force_login(world.officer_a)
    assert sections(client.get(HOME)) == {"officer", "district", "agency"}


def test_home_agency_count_and_overdue(client, world):
    round_ = open_round(world, deadline=date(2024, 1, 31))
    a = step(world.officer_a, fill(assessment_of(round_, world.a), world.officer_a), "submit")
    client.force_login(world.officer_b)
    page = client.get(HOME).content.decode()
    assert "Quá hạn" in page  # B's draft is past the submission deadline
    step(world.district1, a, "district_forward")
    client.force_login(world.verifiers["SYT"])
    response = client.get(HOME)
    assert response.context["agency"]["count"] == 3 and response.context["agency"]["overdue"] == 3
    assert "Quá hạn" in response.content.decode() and reverse("rounds:agency_queue") in response.content.decode()


def test_officer_sees_returned_items(client, world, round_bt):
    a = step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit")
    step(world.district1, a, "district_return", items={"6.1": "Mẫu số không khớp báo cáo"})
    client.force_login(world.officer_a)
    page = client.get(HOME).content.decode()
    assert "Mẫu số không khớp báo cáo" in page and "Bị trả lại" in page
    # The link lands on the returned criterion, whose anchor the assessment page carries.
    link = f'{reverse("rounds:assessment", args=[a.id])}#crit-6-1'
    assert link in page
    assert 'id="crit-6-1"' in client.get(reverse("rounds:assessment", args=[a.id])).content.decode()
    client.force_login(world.officer_b)
    assert "Mẫu số không khớp báo cáo" not in client.get(HOME).content.decode()


def test_officer_reaches_decided_and_published_results(client, world, round_bt):
    a = step(world.officer_a, fill(assessment_of(round_bt, world.a), world.officer_a), "submit")
    a = verify_all(world, step(world.district1, a, "district_forward"))
    a = step(world.secretariat, a, "appraise")
    a = step(world.secretariat, a, "record_decision", recognised=True, number="125/QĐ-UBND",
             date=date(2025, 1, 20), signer="Nguyễn Văn An")
    step(world.secretariat, a, "publish")
    client.force_login(world.officer_a)
    page = client.get(HOME).content.decode()
    assert "Kết quả đã quyết định" in page
    assert "125/QĐ-UBND, 20/01/2025" in page and reverse("rounds:assessment", args=[a.id]) in page
    client.force_login(world.officer_b)
    assert "125/QĐ-UBND" not in client.get(HOME).content.decode()


def nav_links(response):
    page = response.content.decode()
    return {name for name, path in (
        ("rounds", reverse("rounds:round_list")), ("district", reverse("rounds:district_queue")),
        ("agency", reverse("rounds:agency_queue")), ("admin", reverse("admin:index")),
    ) if f'href="{path}"' in page}


def test_navigation_is_role_aware(client, world, round_bt):
    world.admin.is_staff = True
    world.admin.save()
    expected = {
        world.officer_a: set(),
        world.district1: {"district"},
        world.verifiers["SYT"]: {"agency", "rounds"},
        world.secretariat: {"rounds"},
        world.admin: {"rounds", "admin"},
    }
    for u, wanted in expected.items():
        client.force_login(u)
        response = client.get(NOTIFICATIONS)
        assert nav_links(response) == wanted, u.username
        assert reverse("logout") in response.content.decode()


def test_navigation_context_is_cheap(client, world, round_bt, django_assert_num_queries):
    from django.test import RequestFactory

    from smartcommune.rounds.context_processors import navigation

    request = RequestFactory().get("/")
    request.user = world.secretariat
    nav = navigation(request)["nav"]
    with django_assert_num_queries(2):
        assert (nav.is_secretariat, nav.is_officer, nav.is_agency_verifier, nav.sees_rounds) == (True, False, False, True)
        assert nav.unread == 0 and nav.is_secretariat
    from django.contrib.auth.models import AnonymousUser
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert navigation(request) == {"nav": None}


# -- notifications ------------------------------------------------------------------------


def test_notifications_need_a_login(client, world):
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_notifications_after_a_submit(client, world, round_bt, django_capture_on_commit_callbacks, mailoutbox):
    a = assessment_of(round_bt, world.a)
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rounds:transition", args=[a.id, "submit"]), {"next": HOME})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["district1@example.vn"]
    assert "Phường Phú Khương (2024)" in mailoutbox[0].subject

    client.force_login(world.district1)
    response = client.get(NOTIFICATIONS)
    page = response.content.decode()
    assert "Phường Phú Khương (2024): xã đã nộp hồ sơ" in page
    assert f'href="{reverse("rounds:assessment", args=[a.id])}"' in page
    assert response.context["unread"] == 1 and "(1)" in page

    # Newest first.
    step(world.district1, a, "district_return", items={"1.1": "Thiếu"})
    Notification.objects.create(recipient=world.district1, message="Tin mới nhất")
    rows = client.get(NOTIFICATIONS).context["rows"]
    assert rows[0].message == "Tin mới nhất"

    response = client.post(NOTIFICATIONS)
    assert response.status_code == 303
    assert not Notification.objects.filter(recipient=world.district1, read_at__isnull=True).exists()
    page = client.get(NOTIFICATIONS).content.decode()
    assert "Đã đánh dấu 2 thông báo" in page and "(1)" not in page
    # Someone else's notifications are untouched and never shown.
    assert Notification.objects.filter(recipient=world.officer_a, read_at__isnull=True).exists()
    assert "huyện trả lại" not in page
