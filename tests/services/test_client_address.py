"""The client's address behind the kiosk's reverse proxy: believed only from a trusted proxy."""

import pytest

from services.client_address import client_address, trusted_proxies

LOOPBACK = trusted_proxies({})
DOCKER = trusted_proxies({"KIOSK_TRUSTED_PROXIES": "172.18.0.0/16, ::1"})


def test_default_trusts_only_loopback():
    assert client_address("127.0.0.1", "203.0.113.7", LOOPBACK) == "203.0.113.7"
    assert client_address("::1", "203.0.113.7", LOOPBACK) == "203.0.113.7"
    assert client_address("172.18.0.5", "203.0.113.7", LOOPBACK) == "172.18.0.5"  # not a proxy: the peer


@pytest.mark.parametrize(("forwarded", "expected"), [
    ("203.0.113.7", "203.0.113.7"),
    ("6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own part is never believed
    ("203.0.113.7, 172.18.0.9", "203.0.113.7"),  # a second trusted proxy in the chain is skipped
    (None, None),  # a proxy that says nothing: unknown, not the proxy's address
    ("", None),
    ("garbage", None),
    ("6.6.6.6, garbage", None),
])
def test_the_last_address_a_trusted_proxy_appended(forwarded, expected):
    assert client_address("172.18.0.2", forwarded, DOCKER) == expected


def test_a_direct_client_cannot_choose_its_address():
    assert client_address("198.51.100.4", "10.0.0.1", DOCKER) == "198.51.100.4"


def test_ipv6_counts_as_its_64_network_and_mapped_ipv4_as_ipv4():
    assert client_address("2001:db8:1:2:aaaa::1", None, LOOPBACK) == "2001:db8:1:2::/64"
    assert client_address("2001:db8:1:2:bbbb::9", None, LOOPBACK) == "2001:db8:1:2::/64"
    assert client_address("::ffff:203.0.113.7", None, LOOPBACK) == "203.0.113.7"
    assert client_address(None, "203.0.113.7", LOOPBACK) is None


def test_a_mistyped_proxy_is_left_out():
    assert trusted_proxies({"KIOSK_TRUSTED_PROXIES": "10.0.0.1, nonsense"}) == trusted_proxies(
        {"KIOSK_TRUSTED_PROXIES": "10.0.0.1"})
