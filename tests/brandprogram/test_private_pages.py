"""Pages for a signed-in seller or reviewer are never stored by browsers or proxies; public
pages, static files and the partner API keep their own caching."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import logged_in
from tests.sellers.api.support import client_with_key


@pytest.mark.parametrize(
    "page", ["portal:dashboard", "portal:notifications", "portal:team", "portal:partners"]
)
def test_seller_portal_pages_are_not_stored(page, seller_a):
    response = logged_in(seller_a.owner).get(reverse(page))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("page", ["reviews:queue", "reviews:conflicts"])
def test_reviewer_pages_are_not_stored(page, reviewer):
    response = logged_in(reviewer).get(reverse(page))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_redirect_for_a_signed_in_person_is_not_stored_either(seller_a):
    response = logged_in(seller_a.owner).get(reverse("home"))

    assert (response.status_code, response.url) == (302, reverse("portal:dashboard"))
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("page", ["sign_up", "password_reset", "password_reset_done"])
def test_public_pages_for_visitors_keep_no_cache_control(page, db):
    response = Client().get(reverse(page))

    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_static_files_keep_their_own_caching(seller_a, settings):
    response = logged_in(seller_a.owner).get("/static/brandprogram/site.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_partner_api_is_left_alone(partner):
    response = client_with_key(partner.raw_key).get("/api/v1/applications/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
