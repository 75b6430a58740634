"""Where webhooks may go: https to public addresses only (SSRF)."""

from __future__ import annotations

import pytest

from consult.errors import ValidationFailed
from consult.webhooks.services.subscriptions import (
    SubscriptionData,
    create_subscription,
)
from consult.webhooks.targets import (
    RefusedTarget,
    allowed_address,
    check_url,
    parse_url,
)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
     "0.0.0.0", "::1", "fe80::1", "fc00::5", "::ffff:127.0.0.1", "224.0.0.1",
     "100.64.0.1"],
)  # fmt: skip
def test_private_loopback_and_reserved_addresses_are_refused(address):
    assert not allowed_address(address, allow_local=False)


def test_public_addresses_are_allowed():
    assert allowed_address("93.184.216.34", allow_local=False)
    assert allowed_address("2606:2800:220:1:248:1893:25c8:1946", allow_local=False)


@pytest.mark.parametrize(
    "url",
    ["https://10.0.0.1/hook", "https://127.0.0.1/hook", "https://[::1]/hook",
     "https://169.254.169.254/latest/meta-data", "https://localhost/hook",
     "http://93.184.216.34/hook", "ftp://93.184.216.34/", "https://user:pw@93.184.216.34/",
     "https:///nohost", "javascript:alert(1)", "", "https://93.184.216.34/\nX: y"],
)  # fmt: skip
def test_check_url_refuses(url):
    with pytest.raises(ValidationFailed) as refused:
        check_url(url, allow_local=False)
    assert refused.value.field == "url"


def test_an_ip_literal_that_is_public_is_accepted():
    assert check_url("https://93.184.216.34/hook?x=1", allow_local=False)
    target = parse_url("https://93.184.216.34:8443/hook?x=1", allow_local=False)
    assert (target.port, target.path) == (8443, "/hook?x=1")


def test_the_development_setting_allows_plain_http_to_localhost_only():
    assert check_url("http://127.0.0.1:8000/hook", allow_local=True)
    with pytest.raises(RefusedTarget):
        parse_url("http://93.184.216.34/hook", allow_local=True)
    with pytest.raises(ValidationFailed):
        check_url("https://10.0.0.1/hook", allow_local=True)


def test_a_subscription_to_a_private_address_is_refused(app, reg_event, organiser, now):
    app.config["WEBHOOK_ALLOW_HTTP_LOCALHOST"] = False
    with pytest.raises(ValidationFailed) as refused:
        create_subscription(
            reg_event, organiser,
            SubscriptionData("https://192.168.0.10/hook", ("registration.created",)),
            now=now,
        )  # fmt: skip
    assert refused.value.field == "url"


def test_a_subscription_needs_a_kind(app, reg_event, organiser, now):
    with pytest.raises(ValidationFailed) as refused:
        create_subscription(
            reg_event, organiser,
            SubscriptionData("http://127.0.0.1:9/hook", ()), now=now,
        )  # fmt: skip
    assert refused.value.field == "kinds"
