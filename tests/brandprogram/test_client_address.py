"""The client address counts X-Forwarded-For entries only as far as trusted proxies wrote them."""

import pytest
from django.test import RequestFactory

from brandprogram.client_address import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.5"),
        (1, "198.51.100.9", "198.51.100.9"),
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),
        (2, "6.6.6.6,198.51.100.9, 10.0.0.4", "198.51.100.9"),
        (2, "198.51.100.9", "10.0.0.5"),
        (1, "", "10.0.0.5"),
        (1, None, "10.0.0.5"),
    ],
    ids=["none-trusted", "one", "forged-prefix", "two", "too-short", "empty", "absent"],
)
def test_client_address(proxies, forwarded_for, expected, settings):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **headers)

    assert client_address(request) == expected
