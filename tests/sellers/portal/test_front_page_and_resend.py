"""The program's front page for visitors, and a new confirmation link for an owner who signed
up and never confirmed, without telling anybody who has an account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from sellers.models import Membership
from tests.pages import PASSWORD, logged_in, messages_on, page_text
from tests.sellers.portal.test_accounts import _sign_up_data

User = get_user_model()
NEW_OWNER = "li.wei@river-toys.example"
ANSWER = (
    "If an account with this address waits for confirmation, a new link is on its way. "
    "Links sent earlier stay valid."
)


def test_visitors_read_what_the_program_is_and_what_to_have_ready(db):
    page = Client().get(reverse("home"))

    text = page_text(page)
    assert page.status_code == 200
    assert "What to have ready before you start" in text
    assert "business licence" in text
    assert "registration certificate, with Nice classes" in text
    html = page.content.decode()
    assert f'href="{reverse("sign_up")}"' in html
    assert f'href="{reverse("login")}"' in html


def test_the_front_page_speaks_chinese(db):
    page = Client(headers={"accept-language": "zh-hans"}).get(reverse("home"))

    text = page_text(page)
    assert "开始前需要准备的材料" in text
    assert "What to have ready" not in text


def test_signed_in_people_still_go_to_their_own_start_page(seller_a, reviewer):
    assert logged_in(seller_a.owner).get(reverse("home")).url == reverse("portal:dashboard")
    assert logged_in(reviewer).get(reverse("home")).url == reverse("reviews:queue")


@pytest.fixture
def unconfirmed(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("sign_up"), _sign_up_data())
    mail.outbox.clear()
    return User.objects.get(username=NEW_OWNER)


def _resend(email, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sign_up_resend"), {"email": email}, follow=True)
    return response


def test_an_unconfirmed_owner_gets_a_new_link_that_opens_the_account(
    unconfirmed, django_capture_on_commit_callbacks
):
    answer = _resend("Li.Wei@River-Toys.example", django_capture_on_commit_callbacks)
    again = _resend(NEW_OWNER, django_capture_on_commit_callbacks)

    assert messages_on(answer) == [ANSWER]
    assert messages_on(again) == [ANSWER]
    # The second request came too soon after the first: one mail, not two.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([NEW_OWNER], "Confirm your email for the Thousand-Class Brand Program")
    ]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    Client().get(link)
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active is True
    response = Client().post(
        reverse("login"), {"username": NEW_OWNER, "password": _sign_up_data()["password1"]}
    )
    assert response.url == reverse("home")


def test_any_other_address_gets_the_same_answer_and_no_mail(
    unconfirmed, seller_a, django_capture_on_commit_callbacks
):
    staff = User.objects.create_user(
        "staff@bright-lamp.example", email="staff@bright-lamp.example", password=PASSWORD
    )
    staff.is_active = False
    staff.save()
    Membership.objects.create(company=seller_a.company, user=staff)

    answers = [
        messages_on(_resend(email, django_capture_on_commit_callbacks))
        for email in ("nobody@example.com", seller_a.owner.email, staff.email)
    ]

    assert answers == [[ANSWER]] * 3
    assert mail.outbox == []


def test_a_malformed_address_is_refused_on_the_form(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("sign_up_resend"), {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert mail.outbox == []


def test_the_sign_up_pages_offer_to_send_the_link_again(db):
    sent = Client().get(reverse("sign_up_sent")).content.decode()
    failed = Client().get(reverse("account_confirm", args=["MQ", "nonsense"])).content.decode()

    assert f'<a href="{reverse("sign_up_resend")}">send the confirmation again</a>' in sent
    assert f'<a href="{reverse("sign_up_resend")}">send the confirmation again</a>' in failed
