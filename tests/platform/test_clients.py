from django.test import RequestFactory, override_settings

from smartcommune.core.clients import client_address


def request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_address_is_the_peer():
    assert client_address(request("203.0.113.1", "1.2.3.4")) == "203.0.113.1"


@override_settings(SMARTCOMMUNE_TRUSTED_PROXIES=1)
def test_one_proxy_the_last_entry():
    assert client_address(request(forwarded="6.6.6.6, 203.0.113.2")) == "203.0.113.2"
    assert client_address(request(forwarded="")) == "127.0.0.1"


@override_settings(SMARTCOMMUNE_TRUSTED_PROXIES=2)
def test_two_proxies_the_entry_the_outer_one_appended():
    assert client_address(request(forwarded="6.6.6.6, 203.0.113.3, 10.0.0.2")) == "203.0.113.3"
    assert client_address(request(forwarded="10.0.0.2")) == "127.0.0.1"
