"""Company sign-up with email confirmation, login lockout, password reset and the team."""

import datetime
import re
import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sellers.models import Category, Membership, SellerCompany, StaffInvitation
from sellers.portal.login_lockout import failure_key
from tests.conftest import wait_until
from tests.files import pdf_bytes, pdf_upload, upload
from tests.pages import PASSWORD, logged_in, messages_on, page_text, without_csrf_tokens
from tests.sellers.factories import valid_uscc

User = get_user_model()
NEW_PASSWORD = "lantern-harbour-quietly-42"


@pytest.fixture
def address():
    """A client address of this test alone: failure counters outlive a test in the cache."""
    value = f"fd00::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    yield value
    cache.delete_many(
        [failure_key(u, value) for u in User.objects.values_list("username", flat=True)]
    )


def _sign_up_data(**overrides) -> dict:
    data = {
        "legal_name": "Dongguan River Toys Co., Ltd.",
        "country": "CN",
        "registration_number": valid_uscc(),
        "business_licence": pdf_upload("licence.pdf"),
        "main_categories": [Category.objects.get(code="toys-sports-outdoors").pk],
        "owner_name": "Li Wei",
        "owner_email": "li.wei@river-toys.example",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def _log_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_sign_up_creates_an_inactive_owner_until_the_emailed_link_is_followed(
    db, django_capture_on_commit_callbacks
):
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sign_up"), _sign_up_data())
    before = _log_in(Client(), "li.wei@river-toys.example", NEW_PASSWORD)
    confirmed = client.get(_link_in(mail.outbox[0]), follow=True)
    after = _log_in(Client(), "li.wei@river-toys.example", NEW_PASSWORD)
    reused = client.get(_link_in(mail.outbox[0]))

    company = SellerCompany.objects.get()
    owner = Membership.objects.get(company=company)
    assert response.url == reverse("sign_up_sent")
    assert (company.legal_name, owner.role, owner.user.username) == (
        "Dongguan River Toys Co., Ltd.",
        "owner",
        "li.wei@river-toys.example",
    )
    assert (company.business_licence_name, company.business_licence_type) == (
        "licence.pdf",
        "application/pdf",
    )
    with company.business_licence.open("rb") as stored:
        assert stored.read() == pdf_bytes()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["li.wei@river-toys.example"], "Confirm your email for the Thousand-Class Brand Program")
    ]
    assert before.status_code == 200
    assert before.context["user"].is_authenticated is False
    assert messages_on(confirmed) == ["Your email is confirmed. You can log in now."]
    assert after.url == reverse("home")
    assert reused.status_code == 400
    assert "This confirmation link is not valid" in page_text(reused)


def _sign_up_answer(data) -> tuple:
    """Everything the person signing up sees: the redirect and the page it leads to."""
    client = Client()
    response = client.post(reverse("sign_up"), data)
    page = client.get(response.url)
    return (
        response.status_code,
        response.url,
        response.content,
        page.status_code,
        without_csrf_tokens(page_text(page)),
    )


def test_sign_up_with_a_taken_email_answers_like_a_new_one_and_mails_how_to_log_in(
    seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up_answer(_sign_up_data())
        taken = _sign_up_answer(_sign_up_data(owner_email="Owner-A@Bright-Lamp.example"))

    assert taken == new
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["li.wei@river-toys.example"], "Confirm your email for the Thousand-Class Brand Program"),
        (
            ["Owner-A@Bright-Lamp.example"],
            "Sign-up attempt with your email for the Thousand-Class Brand Program",
        ),
    ]
    attempt = mail.outbox[1].body
    assert "already has an account, so no new account was created" in attempt
    assert f"{settings.PORTAL_URL}/login/" in attempt
    assert f"{settings.PORTAL_URL}/password-reset/" in attempt
    assert SellerCompany.objects.count() == 2
    assert User.objects.filter(username__iexact="owner-a@bright-lamp.example").count() == 1
    seller_a.owner.refresh_from_db()
    assert seller_a.owner.check_password(PASSWORD)


def test_sign_up_for_a_registered_company_creates_nothing_and_mails_how_to_join(
    seller_a, django_capture_on_commit_callbacks
):
    company = seller_a.company
    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up_answer(_sign_up_data())
        taken = _sign_up_answer(
            _sign_up_data(
                owner_email="zhang.min@bright-lamp.example",
                country=company.country,
                registration_number=company.registration_number,
            )
        )

    assert taken == new
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["li.wei@river-toys.example"], "Confirm your email for the Thousand-Class Brand Program"),
        (
            ["zhang.min@bright-lamp.example"],
            "Your sign-up for the Thousand-Class Brand Program",
        ),
    ]
    assert (
        f"(registration number {company.registration_number}) for the Thousand-Class Brand "
        "Program. That company already has an account"
    ) in mail.outbox[1].body
    assert "invite you from the Team page" in mail.outbox[1].body
    assert (
        SellerCompany.objects.filter(registration_number=company.registration_number).count() == 1
    )
    assert not User.objects.filter(username="zhang.min@bright-lamp.example").exists()
    assert list(company.memberships.values_list("user__username", flat=True)) == [
        "owner-a@bright-lamp.example"
    ]


@pytest.mark.parametrize(
    ("country", "number", "error"),
    [
        (
            "CN",
            "91440300MA5FABCD1X",
            "91440300MA5FABCD1X is not a valid Unified Social Credit Code (18 characters with a "
            "check character): The number's checksum or check digit is invalid.",
        ),
        (
            "DE",
            "DE136695977",
            "DE136695977 is not a valid EU VAT number: The number's checksum or check digit is "
            "invalid.",
        ),
        ("FR", "DE136695976", "DE136695976 is not a VAT number of FR; it should start with FR."),
        ("US", "#!", "Use 3 to 40 letters, digits, spaces, dots, slashes or dashes."),
        (
            "CN",
            "92440300MA5FABCD1M",
            "92440300MA5FABCD1M is the code of an individual business (个体工商户) (it starts "
            "with 92); the program accepts an enterprise (企业) (91…) only.",
        ),
        (
            "CN",
            "52440300MA5FABCD1R",
            "52440300MA5FABCD1R is the code of a private non-enterprise unit (民办非企业单位) (it "
            "starts with 52); the program accepts an enterprise (企业) (91…) only.",
        ),
    ],
    ids=[
        "cn-uscc",
        "de-vat-checksum",
        "fr-with-german-vat",
        "us-format",
        "cn-individual-business",
        "cn-social-organisation",
    ],
)
def test_sign_up_with_a_bad_registration_number_names_it_on_the_field(country, number, error, db):
    response = Client().post(
        reverse("sign_up"), _sign_up_data(country=country, registration_number=number)
    )

    assert response.context["form"].errors == {"registration_number": [error]}
    assert (
        'aria-invalid="true" aria-describedby="id_registration_number_helptext '
        'id_registration_number_error"'
    ) in page_text(response)
    assert SellerCompany.objects.count() == 0
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_sign_up_takes_a_farmers_cooperative_when_the_program_accepts_them(db, settings):
    settings.USCC_ACCEPTED_ENTITY_TYPES = ["91", "93"]

    response = Client().post(
        reverse("sign_up"), _sign_up_data(registration_number="93440300MA5FABCD1J")
    )

    assert response.url == reverse("sign_up_sent")
    assert SellerCompany.objects.get().registration_number == "93440300MA5FABCD1J"


def test_sign_up_stores_an_eu_vat_number_in_its_canonical_form(db):
    Client().post(
        reverse("sign_up"), _sign_up_data(country="DE", registration_number="136 695 976")
    )

    assert SellerCompany.objects.get().registration_number == "DE136695976"


def test_sign_up_refuses_a_licence_that_is_not_a_document(db):
    response = Client().post(
        reverse("sign_up"),
        _sign_up_data(
            business_licence=upload("licence.pdf", b"<html>hi</html>", "application/pdf")
        ),
    )

    assert response.context["form"].errors == {
        "business_licence": ["licence.pdf is text/html; upload a PDF, JPEG, PNG or WebP file."]
    }
    assert SellerCompany.objects.count() == 0


def test_login_locks_after_five_failures_for_that_name_and_address_only(seller_a, address):
    username = seller_a.owner.username

    failures = [_log_in(Client(), username, "wrong", address).status_code for _ in range(5)]
    locked = _log_in(Client(), username, PASSWORD, address)
    elsewhere = _log_in(Client(), username, PASSWORD, address + "1")

    assert failures == [200] * 5
    assert locked.context["user"].is_authenticated is False
    assert (
        "Too many failed attempts. For your security, logging in is paused for this account "
        "from your network; try again in 15 minutes."
    ) in page_text(locked)
    assert "Please enter a correct" not in page_text(locked)
    assert elsewhere.url == reverse("home")


def _log_in_via_proxy(username, password, forwarded_for, proxy="10.0.0.5"):
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_load_balancer_the_lockout_is_per_forwarded_client_address(
    seller_a, settings, address
):
    settings.TRUSTED_PROXY_COUNT = 1
    username = seller_a.owner.username

    # Whatever the guesser writes in front of the address the load balancer appends is ignored.
    for forged in ["1.2.3.4", "5.6.7.8", "9.9.9.9", "", "8.8.4.4"]:
        _log_in_via_proxy(username, "wrong", f"{forged}, {address}")
    locked = _log_in_via_proxy(username, PASSWORD, address)
    colleague = _log_in_via_proxy(username, PASSWORD, address + "1")

    assert "Too many failed attempts" in page_text(locked)
    assert locked.context["user"].is_authenticated is False
    assert colleague.url == reverse("home")


def test_a_forwarded_address_without_a_trusted_proxy_does_not_escape_the_lockout(seller_a, address):
    username = seller_a.owner.username

    for forged in ["1.2.3.4", "5.6.7.8", "9.9.9.9", "8.8.8.8", "8.8.4.4"]:
        _log_in_via_proxy(username, "wrong", forged, proxy=address)
    locked = _log_in_via_proxy(username, PASSWORD, "203.0.113.7", proxy=address)

    assert "Too many failed attempts" in page_text(locked)
    assert locked.context["user"].is_authenticated is False


def test_login_lockout_expires(seller_a, settings, address):
    # Long enough for six logins on a loaded machine, short enough to wait out.
    settings.LOGIN_LOCKOUT_SECONDS = 5
    username = seller_a.owner.username
    for _ in range(5):
        _log_in(Client(), username, "wrong", address)
    locked = _log_in(Client(), username, PASSWORD, address)

    later = wait_until(
        lambda: _log_in(Client(), username, PASSWORD, address).status_code == 302, timeout=20
    )

    assert "Too many failed attempts" in page_text(locked)
    assert later is True


def test_password_reset_by_email_sets_a_new_password(seller_a, django_capture_on_commit_callbacks):
    client = Client()

    sent = client.post(reverse("password_reset"), {"email": seller_a.owner.email})
    form_page = client.get(_link_in(mail.outbox[0]), follow=True)
    saved = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    login = _log_in(Client(), seller_a.owner.username, NEW_PASSWORD)

    assert sent.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[seller_a.owner.email]]
    assert saved.url == reverse("password_reset_complete")
    assert login.url == reverse("home")


def test_owner_invites_staff_who_sets_a_password_and_joins(
    seller_a, django_capture_on_commit_callbacks
):
    owner = logged_in(seller_a.owner)

    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("portal:team_invite"), {"email": "Chen.Jing@bright-lamp.example"})
    join_url = _link_in(mail.outbox[0])
    invitation = mail.outbox[0]
    joined = Client().post(
        join_url, {"name": "Chen Jing", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    staff = Client()
    _log_in(staff, "chen.jing@bright-lamp.example", NEW_PASSWORD)
    dashboard = staff.get(reverse("portal:dashboard"))
    again = Client().post(
        join_url, {"name": "Chen Jing", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    member = Membership.objects.get(user__username="chen.jing@bright-lamp.example")
    assert (member.company, member.role) == (seller_a.company, "staff")
    assert invitation.subject == (
        "Shenzhen Bright Lamp Technology Co., Ltd. invites you to the Thousand-Class Brand Program"
    )
    assert "invites you to work for Shenzhen Bright Lamp" in invitation.body
    assert joined.url == reverse("login")
    assert dashboard.status_code == 200
    assert dashboard.context["company"] == seller_a.company
    assert again.context["form"].errors == {
        "__all__": ["chen.jing@bright-lamp.example already has an account."]
    }


def test_an_invitation_from_a_company_stored_with_a_line_break_in_its_name_is_mailed(
    seller_a, django_capture_on_commit_callbacks
):
    # Stored before names were checked for line breaks.
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(
        legal_name="Shenzhen Bright Lamp\r\nTechnology Co., Ltd."
    )
    owner = logged_in(seller_a.owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            reverse("portal:team_invite"), {"email": "chen.jing@bright-lamp.example"}, follow=True
        )

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["chen.jing@bright-lamp.example"],
            "Shenzhen Bright Lamp Technology Co., Ltd. invites you to the Thousand-Class Brand "
            "Program",
        )
    ]
    assert messages_on(response) == ["Invitation sent to chen.jing@bright-lamp.example."]


def test_a_forged_invitation_link_is_refused(db):
    response = Client().get(reverse("team_join", args=["eyJjb21wYW55IjoxfQ:forged:sig"]))

    assert response.status_code == 400
    assert "This invitation is not valid" in page_text(response)


def test_owner_transfers_ownership_and_removes_staff(seller_a):
    staff = Membership.objects.create(
        company=seller_a.company,
        user=User.objects.create_user("staff@bright-lamp.example", password=PASSWORD),
    )
    other = Membership.objects.create(
        company=seller_a.company,
        user=User.objects.create_user("other@bright-lamp.example", password=PASSWORD),
    )
    owner = logged_in(seller_a.owner)

    owner.post(reverse("portal:team_remove", args=[other.pk]))
    owner.post(reverse("portal:team_transfer", args=[staff.pk]))
    after = owner.post(reverse("portal:team_remove", args=[staff.pk]))

    roles = dict(
        Membership.objects.filter(company=seller_a.company).values_list("user__username", "role")
    )
    assert roles == {seller_a.owner.username: "staff", "staff@bright-lamp.example": "owner"}
    assert after.status_code == 404


@pytest.mark.parametrize("view", ["portal:team_remove", "portal:team_transfer"])
def test_team_posts_about_another_companys_member_answer_404(view, seller_a, seller_b):
    staff = Membership.objects.create(
        company=seller_a.company,
        user=User.objects.create_user("staff@bright-lamp.example", password=PASSWORD),
    )

    response = logged_in(seller_b.owner).post(reverse(view, args=[staff.pk]))

    assert response.status_code == 404
    assert seller_a.company.legal_name not in page_text(response)
    staff.refresh_from_db()
    assert staff.role == "staff"
    assert Membership.objects.get(user=seller_a.owner).role == "owner"


def test_staff_cannot_invite_and_the_team_page_lists_only_the_own_company(seller_a, seller_b):
    staff_user = User.objects.create_user("staff@bright-lamp.example", password=PASSWORD)
    Membership.objects.create(company=seller_a.company, user=staff_user)
    staff = logged_in(staff_user)

    page = staff.get(reverse("portal:team"))
    invite = staff.post(reverse("portal:team_invite"), {"email": "x@bright-lamp.example"})

    assert [m.user.username for m in page.context["members"]] == [
        "staff@bright-lamp.example",
        seller_a.owner.username,
    ]
    assert seller_b.owner.username not in page_text(page)
    assert page.context["is_owner"] is False
    assert invite.status_code == 404
    assert mail.outbox == []


def test_names_with_markup_are_shown_escaped_on_the_team_page(seller_a):
    seller_a.owner.first_name = "<script>alert(1)</script>"
    seller_a.owner.save()

    page = logged_in(seller_a.owner).get(reverse("portal:team"))

    assert "<script>alert(1)</script>" not in page_text(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text(page)


def test_sign_up_asks_one_or_two_main_categories(db):
    fashion, home, toys = (
        Category.objects.get(code=code).pk
        for code in ("fashion", "home-living", "toys-sports-outdoors")
    )

    none = Client().post(reverse("sign_up"), _sign_up_data(main_categories=[]))
    three = Client().post(reverse("sign_up"), _sign_up_data(main_categories=[fashion, home, toys]))
    a_subcategory = Client().post(
        reverse("sign_up"),
        _sign_up_data(main_categories=[Category.objects.get(code="kitchenware").pk]),
    )
    assert SellerCompany.objects.count() == 0
    two = Client().post(reverse("sign_up"), _sign_up_data(main_categories=[fashion, home]))

    assert none.context["form"].errors == {
        "main_categories": ["Choose one or two main categories."]
    }
    assert three.context["form"].errors == {
        "main_categories": [
            "Choose at most two main categories: the program takes companies focused on one or two."
        ]
    }
    assert list(a_subcategory.context["form"].errors) == ["main_categories"]
    assert two.url == reverse("sign_up_sent")
    assert sorted(SellerCompany.objects.get().main_categories.values_list("code", flat=True)) == [
        "fashion",
        "home-living",
    ]


def _invite(client, email, capture):
    with capture(execute=True):
        client.post(reverse("portal:team_invite"), {"email": email})
    return StaffInvitation.objects.get(email=email.lower())


def test_the_team_page_lists_pending_invitations_with_their_role_and_dates(
    seller_a, django_capture_on_commit_callbacks
):
    owner = logged_in(seller_a.owner)
    waiting = _invite(owner, "wang.fang@bright-lamp.example", django_capture_on_commit_callbacks)
    joined = _invite(owner, "chen.jing@bright-lamp.example", django_capture_on_commit_callbacks)
    Client().post(
        _link_in(mail.outbox[1]),
        {"name": "Chen Jing", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    staff = Client()
    _log_in(staff, "chen.jing@bright-lamp.example", NEW_PASSWORD)

    page = owner.get(reverse("portal:team"))
    staff_page = staff.get(reverse("portal:team"))

    joined.refresh_from_db()
    assert joined.accepted_at is not None
    assert page.context["invitations"] == [waiting]
    assert waiting.expires_at - waiting.sent_at == datetime.timedelta(days=7)
    text = page_text(page)
    assert "wang.fang@bright-lamp.example" in text
    assert reverse("portal:team_invitation_resend", args=[waiting.pk]) in text
    assert reverse("portal:team_invitation_cancel", args=[waiting.pk]) in text
    assert "wang.fang@bright-lamp.example" in page_text(staff_page)
    assert reverse("portal:team_invitation_cancel", args=[waiting.pk]) not in page_text(staff_page)


def test_owner_resends_an_invitation_which_then_runs_seven_days_from_now(
    seller_a, django_capture_on_commit_callbacks
):
    owner = logged_in(seller_a.owner)
    invitation = _invite(owner, "wang.fang@bright-lamp.example", django_capture_on_commit_callbacks)
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            reverse("portal:team_invitation_resend", args=[invitation.pk]), follow=True
        )

    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert [m.to for m in mail.outbox] == [["wang.fang@bright-lamp.example"]] * 2
    assert messages_on(response)[-1] == "Invitation sent again to wang.fang@bright-lamp.example."
    joined = Client().post(
        _link_in(mail.outbox[1]),
        {"name": "Wang Fang", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert joined.url == reverse("login")


def test_a_cancelled_invitation_leaves_the_list_and_its_link_is_refused(
    seller_a, django_capture_on_commit_callbacks
):
    owner = logged_in(seller_a.owner)
    invitation = _invite(owner, "wang.fang@bright-lamp.example", django_capture_on_commit_callbacks)
    join_url = _link_in(mail.outbox[0])

    owner.post(reverse("portal:team_invitation_cancel", args=[invitation.pk]))
    page = owner.get(reverse("portal:team"))
    opened = Client().get(join_url)
    posted = Client().post(
        join_url, {"name": "Wang Fang", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert page.context["invitations"] == []
    assert opened.status_code == 400
    assert "Your company's owner cancelled this invitation" in page_text(opened)
    assert posted.status_code == 400
    assert not User.objects.filter(username="wang.fang@bright-lamp.example").exists()


@pytest.mark.parametrize("view", ["portal:team_invitation_resend", "portal:team_invitation_cancel"])
def test_invitation_posts_by_staff_or_another_company_answer_404(
    view, seller_a, seller_b, django_capture_on_commit_callbacks
):
    invitation = _invite(
        logged_in(seller_a.owner),
        "wang.fang@bright-lamp.example",
        django_capture_on_commit_callbacks,
    )
    staff_user = User.objects.create_user("staff@bright-lamp.example", password=PASSWORD)
    Membership.objects.create(company=seller_a.company, user=staff_user)

    other = logged_in(seller_b.owner).post(reverse(view, args=[invitation.pk]))
    staff = logged_in(staff_user).post(reverse(view, args=[invitation.pk]))

    assert (other.status_code, staff.status_code) == (404, 404)
    assert seller_a.company.legal_name not in page_text(other)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
    assert len(mail.outbox) == 1
