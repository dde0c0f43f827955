"""The workspace shows each document's fields beside what the seller entered and the registry,
with disagreements marked in words and outlined on the page."""

from django.urls import reverse

from tests.pages import logged_in, page_text
from tests.reviews.recertification_support import OWNER, import_registry
from tests.sellers.factories import ApplicationFactory
from tests.sellers.readings import certificate_values, read_evidence


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

    assert "What the documents say" in page
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
