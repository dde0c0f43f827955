"""The whole case in the workspace, read top to bottom: the company and its verification, the
trademark beside the registry record, the authorization chain link by link with what each letter
says, the facilities and their certificates' pages, every evidence file's pages, the screening
with what needs a look first, then the history; in a bounded number of queries, behind the same
wall."""

import datetime
import hashlib
import importlib
import re
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import CompanyVerification
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.documents.pages import MAX_PAGES
from sellers.models import SellerCompany
from tests.catalogue import chinese_client, untranslated_on
from tests.pages import logged_in, page_text
from tests.reviews.views.case_support import (
    DISTRIBUTOR,
    OWNER,
    add_facility,
    add_link,
    add_pdf,
    add_photo,
    whole_case,
)
from tests.sellers.factories import CategoryFactory


def _workspace(client, application) -> str:
    response = client.get(reverse("reviews:workspace", args=[application.pk]))
    assert response.status_code == 200
    return " ".join(page_text(response).split())


def _part(page: str, part_id: str) -> str:
    """The HTML of one part of the case, from its opening tag to the next part's."""
    start = page.index(f'id="{part_id}"')
    following = [
        page.index(f'id="{other}"', start + 1)
        for other in PARTS
        if other != part_id and page.find(f'id="{other}"', start + 1) > 0
    ]
    return page[start : min(following, default=len(page))]


PARTS = (
    "case-company",
    "case-trademark",
    "case-chain",
    "case-facilities",
    "case-evidence",
    "evidence-previews",
    "case-screening",
    "conversation",
    "case-history",
)


def test_the_case_reads_top_to_bottom_in_the_order_a_reviewer_works(seller_a, reviewer):
    case = whole_case(seller_a.company)

    page = _workspace(logged_in(reviewer), case.application)

    positions = [page.index(f'id="{part}"') for part in PARTS]
    assert positions == sorted(positions)
    # Each part is one link away from the top.
    contents = page[page.index('class="case-contents"') : page.index('class="workspace"')]
    assert re.findall(r'href="#([\w-]+)"', contents) == [
        "case-company",
        "case-trademark",
        "case-chain",
        "case-facilities",
        "case-evidence",
        "case-screening",
        "conversation",
        "case-history",
        "decision-heading",
    ]


def test_the_company_part_shows_its_code_verification_and_what_the_licence_says(seller_a, reviewer):
    case = whole_case(seller_a.company)
    company = case.company

    part = _part(_workspace(logged_in(reviewer), case.application), "case-company")

    assert f'<code class="company-number">{company.registration_number}</code>' in part
    assert '<span class="badge identity-verified">Verified</span>' in part
    identity_case = reverse("reviews:identity_case", args=[case.verification.pk])
    assert f'<a href="{identity_case}">Verification case: Verified</a>' in part
    licence = reverse("reviews:identity_licence", args=[company.pk])
    assert f'<a href="{licence}">licence.pdf</a>' in part
    assert "What the licence says" in part
    assert f'id="reading-licence-{company.pk}"' in part
    assert '<th scope="row">Legal representative</th> <td>Li Wei</td> <td>—</td>' in part
    assert (
        f'<th scope="row">Unified Social Credit Code</th> <td>{company.registration_number}</td> '
        f"<td>{company.registration_number}</td>"
    ) in part


def test_an_open_verification_is_the_one_linked(seller_a, reviewer):
    case = whole_case(seller_a.company)
    company = case.company
    company.identity_status = SellerCompany.IdentityStatus.PENDING
    company.save(update_fields=["identity_status"])
    now = timezone.now()
    waiting = CompanyVerification.objects.create(
        company=company,
        legal_name=company.legal_name,
        registration_number=company.registration_number,
        licence_sha256=company.business_licence_sha256,
        requested_at=now,
        due_at=now + datetime.timedelta(days=2),
    )

    part = _part(_workspace(logged_in(reviewer), case.application), "case-company")

    assert '<span class="badge identity-pending">Verification pending</span>' in part
    link = reverse("reviews:identity_case", args=[waiting.pk])
    assert f'<a href="{link}">Open verification case</a>' in part


def test_the_trademark_is_shown_beside_the_registry_record(seller_a, reviewer):
    case = whole_case(seller_a.company)
    mark = case.application.trademark

    part = _part(_workspace(logged_in(reviewer), case.application), "case-trademark")

    rows = re.findall(
        r'<tr( class="registry-mismatch")?> <th scope="row">([^<]+)</th> <td>([^<]*)</td> '
        r"<td>([^<]*)</td>",
        part,
    )
    number = f"USPTO {mark.display_number}"
    assert [
        (label, entered, registry, bool(differs)) for differs, label, entered, registry in rows
    ] == [
        ("Mark", "LUMIBRIGHT", "LUMI BRIGHT", True),
        ("Office and number", number, number, False),
        ("Owner on record", OWNER, OWNER.upper(), False),
        ("Nice classes", "11", "11", False),
        ("Status", "Registered", "Registered", False),
        ("Expires on", mark.expires_on.isoformat(), mark.expires_on.isoformat(), False),
        ("Correspondent", "—", "ip@moonlight.example", False),
    ]
    assert ("Source: tsdr · data version 2026-12-01 · status 800 · REGISTERED AND RENEWED") in part


def test_the_chain_shows_each_link_with_its_letter_and_what_was_read_from_it(seller_a, reviewer):
    case = whole_case(seller_a.company)
    first, second = case.links

    part = _part(_workspace(logged_in(reviewer), case.application), "case-chain")

    assert "From the owner on record, Moonlight Lamps GmbH, to the seller in 2 links." in part
    titles = re.findall(r'<h3 class="chain-title">(.+?)</h3>', part)
    assert [re.sub(r"<[^>]+>", "", title).split() for title in titles] == [
        ["Link", "1:", *OWNER.split(), "→to", *DISTRIBUTOR.split()],
        ["Link", "2:", *DISTRIBUTOR.split(), "→to", *case.company.legal_name.split()],
    ]
    for link in (first, second):
        letter = part[part.index(f'id="reading-letter-{link.pk}"') :]
        number = link.position
        assert f"Signed letter of authorization link {number}: letter-{number}.pdf" in letter
        grantor, grantee = link.grantor_name, link.grantee_name
        assert f'<th scope="row">Grantor</th> <td>{grantor}</td> <td>{grantor}</td>' in letter
        assert f'<th scope="row">Grantee</th> <td>{grantee}</td> <td>{grantee}</td>' in letter
        page_one = reverse("reviews:document_page", args=["letter", link.pk, 1])
        thumb = f'<a class="page-thumb" href="{page_one}" data-viewer-group="letter-{link.pk}"'
        assert thumb in part
        original = reverse("reviews:letter_file", args=[link.pk])
        hidden = f'<span class="visually-hidden"> letter-{number}.pdf</span>'
        assert f'<a href="{original}">download{hidden}</a>' in part
    assert "callout-warning" not in part


def test_a_signed_letter_downloads_as_the_seller_sent_it(seller_a, reviewer):
    case = whole_case(seller_a.company)
    link = case.links[1]

    response = logged_in(reviewer).get(reverse("reviews:letter_file", args=[link.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter-2.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    with link.letter.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_a_chain_that_breaks_or_misses_the_seller_is_pointed_out(seller_a, reviewer):
    case = whole_case(seller_a.company)
    case.links[1].grantor_name = "Another Trading Co., Ltd."
    case.links[1].grantee_name = "Someone Else Ltd."
    case.links[1].save()

    part = _part(_workspace(logged_in(reviewer), case.application), "case-chain")

    assert (
        f"The last link's grantee is not {case.company.legal_name}: the chain does not reach the "
        "applying company."
    ) in part
    assert (
        f"The grantor should be {DISTRIBUTOR}, who holds the rights at this point of the chain."
    ) in part


def test_facilities_show_their_certificates_and_an_expired_one_is_marked(seller_a, reviewer):
    case = whole_case(seller_a.company)
    current, expired = (facility.certifications.get() for facility in case.facilities)

    part = _part(_workspace(logged_in(reviewer), case.application), "case-facilities")

    names = re.findall(r'<h3 class="facility-name">([^<]+)</h3>', part)
    assert names == ["Foshan Contract Lighting Works", "Zhongshan Bright Lamp Factory"]
    assert "Own factory · China · 12000 units a month" in part
    numbers = re.findall(r"<td><code>([^<]+)</code></td>", part)
    assert sorted(numbers) == ["CQC-2026-0042", "QC-2019-7"]
    expired_row, current_row = (
        part[part.index(f"<code>{number}") : part.index("</tr>", part.index(f"<code>{number}"))]
        for number in ("QC-2019-7", "CQC-2026-0042")
    )
    assert '<span class="badge outcome-fail">expired</span>' in expired_row
    assert "expired" not in current_row
    for certification in (current, expired):
        url = reverse("reviews:certification_file", args=[certification.pk])
        hidden = f'<span class="visually-hidden"> ISO 9001 {certification.number}</span>'
        assert f'<a href="{url}">download{hidden}</a>' in part


def test_a_certificate_shows_its_pages_in_the_case_and_its_row_opens_them(seller_a, reviewer):
    case = whole_case(seller_a.company)
    certification = case.facilities[0].certifications.get()
    client = logged_in(reviewer)

    part = _part(_workspace(client, case.application), "case-facilities")
    picture = client.get(
        reverse("reviews:document_page", args=["certificate", certification.pk, 1])
    )

    page_one = reverse("reviews:document_page", args=["certificate", certification.pk, 1])
    row = part[: part.index("</tr>", part.index(f"<code>{certification.number}"))]
    # The row's link and the strip name the same address: the viewer opens on the strip.
    assert f'<a href="{page_one}">view<span class="visually-hidden"> ISO 9001 ' in row
    block = part[part.index(f'id="certificate-{certification.pk}"') :]
    assert f'<ul class="page-strip" data-viewer-file="{page_one}">' in block
    title = f"Quality certificate: ISO 9001 {certification.number}"
    assert re.findall(r'<img src="([^"]+)" loading="lazy" alt="([^"]+)">', block)[:1] == [
        (page_one, f"Page 1 of {title}")
    ]
    assert f'data-viewer-group="certificate-{certification.pk}" data-viewer-title="{title}"' in (
        block
    )
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")


def test_a_letters_name_opens_its_pages_in_the_case(seller_a, reviewer):
    case = whole_case(seller_a.company)
    first = case.links[0]

    part = _part(_workspace(logged_in(reviewer), case.application), "case-chain")

    page_one = reverse("reviews:document_page", args=["letter", first.pk, 1])
    assert f'<dd><a href="{page_one}">letter-1.pdf</a> · <a href=' in part
    assert f'<ul class="page-strip" data-viewer-file="{page_one}">' in part


def test_a_file_without_a_hash_shows_no_picture_rather_than_another_files(seller_a, reviewer):
    """Pictures are kept by the file's hash: two certificates stored without one would share
    the first one's pictures, another company's certificate among them."""
    case = whole_case(seller_a.company)
    first, second = (facility.certifications.get() for facility in case.facilities)
    client = logged_in(reviewer)
    shown = client.get(reverse("reviews:document_page", args=["certificate", first.pk, 1]))
    first.__class__.objects.filter(pk__in=[first.pk, second.pk]).update(file_sha256="")

    answers = [
        client.get(reverse("reviews:document_page", args=["certificate", item.pk, 1])).status_code
        for item in (first, second)
    ]

    assert shown.status_code == 200
    assert answers == [404, 404]


def test_certificates_stored_before_their_hash_was_kept_get_it_from_the_file(seller_a):
    migration = importlib.import_module("sellers.migrations.0036_certification_file_sha256")
    case = whole_case(seller_a.company)
    certification = case.facilities[0].certifications.get()
    with certification.file.open("rb") as handle:
        expected = hashlib.sha256(handle.read()).hexdigest()
    type(certification).objects.update(file_sha256="")

    migration.hash_stored_files(django_apps, None)

    certification.refresh_from_db()
    assert certification.file_sha256 == expected


def test_every_evidence_file_shows_its_pages_in_the_case_loaded_lazily(seller_a, reviewer):
    case = whole_case(seller_a.company)
    pdf, photo = case.pdf, case.photo

    page = _workspace(logged_in(reviewer), case.application)
    table = _part(page, "case-evidence")
    previews = _part(page, "evidence-previews")

    # The file's name opens its pages in the case, not a new tab.
    assert "target=" not in table
    file_link = reverse("reviews:evidence_preview", args=[pdf.pk])
    assert f'<a href="{file_link}">test-report.pdf</a>' in table
    pictures = re.findall(r'<img src="([^"]+)" loading="lazy" alt="([^"]+)">', previews)
    assert pictures == [
        (
            reverse("reviews:document_page", args=["evidence", pdf.pk, 1]),
            "Page 1 of Product test report: test-report.pdf",
        ),
        (
            reverse("reviews:document_page", args=["evidence", pdf.pk, 2]),
            "Page 2 of Product test report: test-report.pdf",
        ),
        (
            reverse("reviews:document_page", args=["evidence", photo.pk, 1]),
            "Page 1 of Photo of the brand on product or packaging: lamp-on-box.png",
        ),
    ]
    assert f'data-viewer-file="{reverse("reviews:evidence_preview", args=[photo.pk])}"' in previews
    # The test report is read: its certificate number is shown under its pages.
    assert '<th scope="row">Certificate number</th> <td>SGS-2026-1188</td>' in previews
    assert 'id="case-viewer"' in page


def test_a_long_pdf_shows_its_first_pages_and_says_how_many_more_there_are(seller_a, reviewer):
    case = whole_case(seller_a.company)
    long_report = add_pdf(case.application, pages=MAX_PAGES + 2, name="annexes.pdf")
    long_report.reading.delete()

    previews = _part(_workspace(logged_in(reviewer), case.application), "evidence-previews")

    block = previews[previews.index(f'id="preview-evidence-{long_report.pk}"') :]
    assert block.count('class="page-thumb"') == MAX_PAGES
    assert "2 more pages are not shown here; download the file to read them." in block


def test_a_page_picture_of_an_unread_kind_is_served_too(seller_a, reviewer):
    case = whole_case(seller_a.company)

    response = logged_in(reviewer).get(
        reverse("reviews:document_page", args=["evidence", case.photo.pk, 1])
    )

    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_failing_and_warning_checks_come_first_and_passes_are_folded_away(seller_a, reviewer):
    case = whole_case(seller_a.company)

    part = _part(_workspace(logged_in(reviewer), case.application), "case-screening")

    needs_a_look, passed = part.split('<details class="checks-passed">')
    assert re.findall(r'data-outcome="(\w+)"', needs_a_look) == ["fail", "warn", "unverifiable"]
    assert re.findall(r"<tr data-outcome=\"\w+\"> <td>([^<]+)</td>", needs_a_look) == [
        "Supply chain",
        "Document forensics",
        "Look-alike brand names",
    ]
    assert "<summary>3 checks passed</summary>" in passed
    assert re.findall(r'data-outcome="(\w+)"', passed) == ["pass", "pass", "pass"]


def test_a_conflicted_reviewer_reaches_nothing_of_the_case(seller_a, reviewer, other_reviewer):
    case = whole_case(seller_a.company)
    conflict_declare(
        actor=actor_for_user(other_reviewer), company=seller_a.company, reason="My brother's firm"
    )
    certification = case.facilities[0].certifications.get()
    addresses = [
        reverse("reviews:workspace", args=[case.application.pk]),
        reverse("reviews:certification_file", args=[certification.pk]),
        reverse("reviews:letter_file", args=[case.links[0].pk]),
        reverse("reviews:document_page", args=["evidence", case.photo.pk, 1]),
        reverse("reviews:document_page", args=["letter", case.links[0].pk, 1]),
        reverse("reviews:document_page", args=["certificate", certification.pk, 1]),
    ]

    conflicted = logged_in(other_reviewer)
    free = logged_in(reviewer)

    assert [conflicted.get(address).status_code for address in addresses] == [404] * 6
    assert [free.get(address).status_code for address in addresses] == [200] * 6


def test_a_certificate_file_downloads_named_for_the_certificate(seller_a, reviewer):
    case = whole_case(seller_a.company)
    certification = case.facilities[0].certifications.get()

    response = logged_in(reviewer).get(
        reverse("reviews:certification_file", args=[certification.pk])
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ISO 9001 CQC-2026-0042.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_case_needs_the_same_queries_however_many_links_facilities_and_files(
    seller_a, reviewer
):
    case = whole_case(seller_a.company)
    application = case.application
    client = logged_in(reviewer)
    with CaptureQueriesContext(connection) as small:
        _workspace(client, application)
    grantee = case.company.legal_name
    for position in range(3, 9):
        add_link(application, position=position, grantor=grantee, grantee=grantee)
        add_facility(case.company, name=f"Factory {position}", number=f"CQC-{position}")
        add_pdf(application, name=f"report-{position}.pdf")
        add_photo(application, name=f"photo-{position}.png")

    with CaptureQueriesContext(connection) as large:
        page = _workspace(client, application)

    assert page.count('class="chain-link"') == 8
    assert page.count('class="facility"') == 8
    assert page.count('class="evidence-preview"') == 14
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_case_parts_read_in_chinese(seller_a, reviewer):
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    # Category names are data here, written in Chinese as a Chinese catalogue would hold them.
    case = whole_case(seller_a.company, categories=[CategoryFactory(code="lamps", name="灯具")])
    client = chinese_client(reviewer)

    response = client.get(reverse("reviews:workspace", args=[case.application.pk]))
    page = " ".join(page_text(response).split())
    parts = "".join(
        _part(page, part)
        for part in ("case-company", "case-trademark", "case-chain", "case-facilities")
    ) + _part(page, "evidence-previews")
    viewer = page[page.index('<dialog class="viewer"') : page.index("</dialog>")]
    # Labels the workspace showed before it showed the whole case are translated with the rest
    # of the reviewer pages; everything else in these parts must be Chinese.
    for earlier in ("Legal name", "Office and number", "(class 11)", "Control of the trademark"):
        parts = parts.replace(earlier, "")
    found = untranslated_on(SimpleNamespace(content=(parts + viewer).encode()))

    for chinese in (
        "案件各部分",
        "与注册簿记录对照",
        "从登记的权利人 Moonlight Lamps GmbH 到卖家，共 2 级授权。",  # noqa: RUF001
        "第 1 级",
        "工厂与证书",
        "证明材料逐页查看",
        "翻页与缩放",
        "筛查结果",
    ):
        assert chinese in page
    assert found == []
