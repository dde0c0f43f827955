"""The seller portal's Partners page: sellers see who may act for them, give access and take it
away, and taking it away stops the partner's key at once."""

from django.urls import reverse

from sellers.models import Membership, PartnerGrant, PartnerOrganization
from sellers.services.api_keys import api_key_issue, api_key_revoke
from tests.catalogue import chinese_client, untranslated_on, visible_text
from tests.pages import logged_in, messages_on
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory, PartnerFactory, UserFactory


def _staff_of(seller):
    user = UserFactory(username="staff@bright-lamp.example")
    Membership.objects.create(company=seller.company, user=user, role=Membership.Role.STAFF)
    return user


def test_the_owner_sees_each_partner_with_who_gave_access_and_what_it_may_do(seller_a, partner):
    api_key_issue(name="second", scopes=["webhooks:manage"], partner=partner.organization)
    revoked, _ = api_key_issue(
        name="old", scopes=["evidence:write"], partner=PartnerFactory(name="Unrelated")
    )
    api_key_revoke(api_key=revoked)

    text = visible_text(logged_in(seller_a.owner).get(reverse("portal:partners")))

    assert "Silk Road Brand Services | owner-a@bright-lamp.example | " in text
    after_name = text.split("Silk Road Brand Services", 1)[1]
    assert (
        "| Read applications | Create, edit and submit applications | Upload evidence "
        "| Manage webhooks | Take away access |"
    ) in after_name


def test_taking_access_away_stops_the_partners_key_at_its_next_call(seller_a, partner):
    application = ApplicationFactory(company=seller_a.company)
    api = client_with_key(partner.raw_key)
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 200
    grant = PartnerGrant.objects.get()

    response = logged_in(seller_a.owner).post(
        reverse("portal:partner_revoke", args=[grant.pk]), follow=True
    )

    grant.refresh_from_db()
    assert messages_on(response) == ["Silk Road Brand Services can no longer act for your company."]
    assert (grant.revoked_by, grant.revoked_at is not None) == (seller_a.owner, True)
    answer = api.get(f"/api/v1/applications/{application.pk}/")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    assert api.get("/api/v1/applications/").json()["results"] == []
    text = visible_text(response)
    assert "No partner can act for your company." in text
    assert "Access taken away | Silk Road Brand Services, on" in text


def test_giving_access_lets_the_partners_key_act_for_the_company(seller_a):
    agency = PartnerFactory(name="Canton Listing Agency")
    _, raw = api_key_issue(name="k", scopes=["applications:read"], partner=agency)
    application = ApplicationFactory(company=seller_a.company)
    api = client_with_key(raw)
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 404

    response = logged_in(seller_a.owner).post(
        reverse("portal:partner_grant"), {"partner": agency.pk, "confirm": "yes"}, follow=True
    )

    grant = PartnerGrant.objects.get(partner=agency)
    assert messages_on(response) == ["Canton Listing Agency can now act for your company."]
    assert (grant.company, grant.granted_by, grant.revoked_at) == (
        seller_a.company,
        seller_a.owner,
        None,
    )
    assert api.get(f"/api/v1/applications/{application.pk}/").json()["id"] == application.pk


def test_giving_access_twice_keeps_one_grant(seller_a, partner):
    client = logged_in(seller_a.owner)

    for _ in range(2):
        client.post(
            reverse("portal:partner_grant"), {"partner": partner.organization.pk, "confirm": "yes"}
        )

    assert PartnerGrant.objects.filter(revoked_at__isnull=True).count() == 1


def test_marketplace_systems_and_unknown_partners_cannot_be_chosen(seller_a):
    system = PartnerFactory(name="Marketplace scoring", is_marketplace_system=True)
    client = logged_in(seller_a.owner)

    page = client.get(reverse("portal:partners"))
    answers = [
        client.post(reverse("portal:partner_grant"), {"partner": system.pk}),
        client.post(reverse("portal:partner_grant"), {"partner": 999999}),
        client.post(reverse("portal:partner_grant"), {"partner": "x"}),
    ]

    assert "Marketplace scoring" not in page.content.decode()
    assert [r.status_code for r in answers] == [400, 400, 400]
    assert all(r.context["form"].errors["partner"] for r in answers)
    assert PartnerGrant.objects.count() == 0


def test_staff_see_the_partners_but_cannot_change_access(seller_a, partner):
    staff = _staff_of(seller_a)
    grant = PartnerGrant.objects.get()
    client = logged_in(staff)

    page = client.get(reverse("portal:partners"))
    revoke = client.post(reverse("portal:partner_revoke", args=[grant.pk]))
    give = client.post(
        reverse("portal:partner_grant"),
        {"partner": PartnerFactory(name="Other").pk, "confirm": "yes"},
    )

    text = visible_text(page)
    assert "Silk Road Brand Services" in text
    assert "Take away access" not in text
    assert "Only the company's owner can give or take away partners' access." in text
    assert (revoke.status_code, give.status_code) == (404, 404)
    grant.refresh_from_db()
    assert (grant.revoked_at, PartnerGrant.objects.count()) == (None, 1)


def test_another_companys_grant_cannot_be_revoked(seller_a, seller_b, partner):
    grant = PartnerGrant.objects.get()

    response = logged_in(seller_b.owner).post(reverse("portal:partner_revoke", args=[grant.pk]))
    page = logged_in(seller_b.owner).get(reverse("portal:partners"))

    grant.refresh_from_db()
    assert response.status_code == 404
    assert grant.revoked_at is None
    assert (page.context["accesses"], list(page.context["revoked"])) == ([], [])


def test_revoking_an_already_revoked_grant_answers_404_and_changes_nothing(seller_a, partner):
    grant = PartnerGrant.objects.get()
    client = logged_in(seller_a.owner)
    client.post(reverse("portal:partner_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    first_revocation = grant.revoked_at

    again = client.post(reverse("portal:partner_revoke", args=[grant.pk]))

    grant.refresh_from_db()
    assert again.status_code == 404
    assert grant.revoked_at == first_revocation


def test_people_outside_seller_companies_get_404(outsider):
    client = logged_in(outsider)

    assert client.get(reverse("portal:partners")).status_code == 404


def test_the_partners_page_is_all_in_chinese(seller_a, partner):
    # Names are data; these avoid words the catalogue translates elsewhere ("Brand").
    PartnerOrganization.objects.filter(pk=partner.organization.pk).update(name="丝路品牌服务")
    revoked = PartnerGrant.objects.create(
        partner=PartnerFactory(name="Former Agency"), company=seller_a.company
    )
    PartnerGrant.objects.filter(pk=revoked.pk).update(revoked_at=revoked.granted_at)
    client = chinese_client(seller_a.owner)

    yiwu = PartnerFactory(name="Yiwu Agency")
    api_key_issue(name="k", scopes=["applications:read", "evidence:write"], partner=yiwu)

    page = client.get(reverse("portal:partners"))
    confirmation = client.get(reverse("portal:partner_grant_confirm"), {"partner": yiwu.pk})
    after_grant = client.post(
        reverse("portal:partner_grant"), {"partner": yiwu.pk, "confirm": "yes"}, follow=True
    )

    assert (page.status_code, untranslated_on(page)) == (200, [])
    assert (confirmation.status_code, untranslated_on(confirmation)) == (200, [])
    assert "上传证明材料 | 为贵公司的申请上传证明文件。" in visible_text(confirmation)
    assert untranslated_on(after_grant) == []
    assert "合作伙伴" in visible_text(page)
    assert messages_on(after_grant) == ["Yiwu Agency 现在可以代表贵公司操作。"]


def test_giving_access_first_spells_out_what_the_partners_keys_would_let_it_do(seller_a):
    agency = PartnerFactory(name="Canton Listing Agency")
    api_key_issue(name="k", scopes=["applications:read", "evidence:write"], partner=agency)
    client = logged_in(seller_a.owner)

    confirmation = client.get(reverse("portal:partner_grant_confirm"), {"partner": agency.pk})
    unconfirmed = client.post(reverse("portal:partner_grant"), {"partner": agency.pk})

    text = visible_text(confirmation)
    assert "Give Canton Listing Agency access to your company?" in text
    assert (
        "Read applications | See all your company's applications, brands, trademarks and "
        "uploaded documents, with their status, history and conversation with the review team."
    ) in text
    assert "Upload evidence | Upload documents as evidence to your company's applications." in text
    assert "Create, edit and submit applications" not in text
    assert unconfirmed.status_code == 400
    assert "Give Canton Listing Agency access to your company?" in visible_text(unconfirmed)
    assert PartnerGrant.objects.filter(partner=agency).count() == 0


def test_the_confirmation_for_a_partner_without_keys_lists_what_keys_could_allow(seller_a):
    agency = PartnerFactory(name="Canton Listing Agency")

    text = visible_text(
        logged_in(seller_a.owner).get(
            reverse("portal:partner_grant_confirm"), {"partner": agency.pk}
        )
    )

    assert "Canton Listing Agency holds no API key in use now" in text
    for label in (
        "Read applications",
        "Create, edit and submit applications",
        "Upload evidence",
        "Manage webhooks",
    ):
        assert f"{label} | " in text
    assert PartnerGrant.objects.count() == 0


def test_staff_and_unknown_partners_get_no_confirmation_page(seller_a):
    agency = PartnerFactory(name="Canton Listing Agency")
    system = PartnerFactory(name="Marketplace scoring", is_marketplace_system=True)
    owner = logged_in(seller_a.owner)

    staff = logged_in(_staff_of(seller_a)).get(
        reverse("portal:partner_grant_confirm"), {"partner": agency.pk}
    )
    unknown = owner.get(reverse("portal:partner_grant_confirm"), {"partner": system.pk})

    assert staff.status_code == 404
    assert (unknown.status_code, bool(unknown.context["form"].errors["partner"])) == (400, True)
    assert PartnerGrant.objects.count() == 0
