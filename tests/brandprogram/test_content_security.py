"""No inline script or style: the Content-Security-Policy forbids them and the pages need none."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PROJECT_ROOT
from tests.pages import logged_in

TEMPLATE_DIRS = sorted(PROJECT_ROOT.glob("*/templates"))
# An inline <script> (one without src), a <style> element, a style attribute or an on… handler.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE
)


def test_no_template_carries_inline_script_or_style():
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): INLINE.findall(path.read_text(encoding="utf-8"))
        for path in templates
    }

    assert len(templates) > 20
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_scan_would_catch_each_kind_of_inline_code():
    samples = [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<button onclick="go()">',
        "<style>p {}</style>",
    ]
    allowed = ['<script src="/static/app.js"></script>', '<p class="styled">']

    assert [bool(INLINE.search(sample)) for sample in samples] == [True] * 4
    assert [bool(INLINE.search(sample)) for sample in allowed] == [False, False]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_pages_are_served_with_a_policy_refusing_inline_script(client, seller_a, reviewer):
    seller = logged_in(seller_a.owner)
    pages = [
        client.get(reverse("login")),
        seller.get(reverse("portal:dashboard")),
        logged_in(reviewer).get(reverse("reviews:queue")),
        client.get(reverse("api-docs")),
    ]

    for page in pages:
        directives = csp_directives(page)
        assert page.status_code == 200
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert not INLINE.search(page.content.decode())
