"""The workspace shows each document's fields beside what the seller entered and the registry,
with disagreements marked in words and outlined on the page."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse

from sellers.models import AuthorizationLink
from sellers.services.readings import reading_store
from tests.files import pdf_bytes, png_bytes
from tests.pages import logged_in, page_text
from tests.reviews.recertification_support import OWNER, import_registry
from tests.sellers.factories import ApplicationFactory
from tests.sellers.readings import certificate_values, read_evidence, reading


def test_the_reviewer_sees_fields_entered_values_and_the_registry_side_by_side(
    seller_a, reviewer, tmp_path
):
    import_registry(tmp_path, "euipo-2026-11")
    application = ApplicationFactory(
        company=seller_a.company,
        awaiting_review=True,
        with_evidence=False,
        brand__name="BRIGHTLAMP",
        trademark__office="EUIPO",
        trademark__number="018500001",
        trademark__owner_name=OWNER,
    )
    scan = read_evidence(
        application,
        "trademark_certificate",
        image=True,
        **certificate_values(application, owner="Moonlight Lamps GmbH"),
    )

    page = " ".join(
        page_text(
            logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
        ).split()
    )

    assert "Evidence, page by page" in page
    assert (
        '<tr class="reading-mismatch"> <th scope="row">Owner</th> <td>Moonlight Lamps GmbH</td> '
        f"<td>{OWNER}</td> <td>{OWNER}</td> <td> "
        '<span class="badge outcome-fail"><span aria-hidden="true">✗ </span>Does not match</span>'
    ) in page
    assert (
        '<tr class=""> <th scope="row">Registration number</th> <td>018500001</td> '
        "<td>018500001</td> <td>018500001</td>"
    ) in page
    preview = reverse("reviews:evidence_preview", args=[scan.pk])
    assert f'<img src="{preview}" alt="First page of scan.png">' in page
    # Seven fields, seven outlines; the owner's (the fourth line) drawn as a mismatch.
    assert page.count('<rect x="10.00"') == 7
    assert (
        '<rect x="10.00" y="34.00" width="60.00" height="5.00" '
        'class="reading-box reading-box-mismatch"><title>Owner</title></rect>'
    ) in page
    assert "Does not match what was entered:" in page


def test_a_pdf_shows_its_first_page_rendered_with_the_fields_outlined(seller_a, reviewer):
    application = ApplicationFactory(
        company=seller_a.company, awaiting_review=True, with_evidence=False
    )
    pdf = read_evidence(application, "trademark_certificate", **certificate_values(application))

    page = page_text(logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk])))

    picture = reverse("reviews:document_page", args=["evidence", pdf.pk, 1])
    assert f'<img src="{picture}" alt="First page of document.pdf">' in page
    assert page.count('<rect x="10.00"') == 7
    assert page.count("Matches</span>") == 6
    assert "reading-mismatch" not in page


def test_the_sign_up_licence_and_the_signed_letters_are_shown_with_the_company_and_the_chain(
    seller_a, reviewer
):
    company = seller_a.company
    company.business_licence.save("stored.pdf", ContentFile(pdf_bytes("Business licence")))
    company.business_licence_name = "licence.pdf"
    company.business_licence_type = "application/pdf"
    company.business_licence_sha256 = "d" * 64
    company.save()
    application = ApplicationFactory(company=company, awaiting_review=True, with_evidence=False)
    link = AuthorizationLink(
        trademark=application.trademark,
        position=1,
        grantor_name="Moonlight Lamps GmbH",
        grantee_name=company.legal_name,
        product_scope="Lamps",
        territory="Worldwide",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
        letter_name="letter.png",
        letter_sha256="e" * 64,
        letter_type="image/png",
    )
    link.letter.save("stored.png", ContentFile(png_bytes((200, 280))), save=False)
    link.save()
    reading_store(
        {"company": company},
        sha256="d" * 64,
        reading=reading(
            "business_licence", uscc=company.registration_number, legal_name=company.legal_name
        ),
        duration_ms=10,
    )
    reading_store(
        {"authorization_link": link},
        sha256="e" * 64,
        reading=reading("authorization_letter", grantor="Sunlight Lamps GmbH"),
        duration_ms=10,
    )

    page = " ".join(
        page_text(
            logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
        ).split()
    )

    licence_page = reverse("reviews:document_page", args=["licence", company.pk, 1])
    letter_page = reverse("reviews:document_page", args=["letter", link.pk, 1])
    assert "Business licence uploaded at sign-up: licence.pdf" in page
    assert f'<img src="{licence_page}" alt="First page of licence.pdf">' in page
    assert "Signed letter of authorization link 1: letter.png" in page
    assert f'<img src="{letter_page}" alt="First page of letter.png">' in page
    assert (
        "<li>Signed letter of authorization link 1 “letter.png”: the grantor reads "
        "“Sunlight Lamps GmbH” but should read “Moonlight Lamps GmbH”.</li>"
    ) in page
    # The licence is read with the company, the letter with its link of the chain.
    assert (
        page.index('id="case-company"')
        < page.index(f'id="reading-licence-{company.pk}"')
        < page.index('id="case-trademark"')
    )
    assert (
        page.index('id="chain-link-1"')
        < page.index(f'id="reading-letter-{link.pk}"')
        < page.index('id="case-facilities"')
    )
