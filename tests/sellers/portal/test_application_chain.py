"""The seller's application page shows, read-only, the authorization chain link by link and the
facilities with their certificates, as they were entered."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages import logged_in, page_text
from tests.reviews.views.case_support import DISTRIBUTOR, OWNER, add_facility, add_link
from tests.sellers.factories import ApplicationFactory


def _detail(client, application) -> str:
    response = client.get(reverse("portal:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return " ".join(page_text(response).split())


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_after_submitting_the_seller_reads_the_chain_and_the_facilities(seller_a):
    company = seller_a.company
    application = ApplicationFactory(
        company=company, awaiting_review=True, trademark__owner_name=OWNER
    )
    add_link(application, position=1, grantor=OWNER, grantee=DISTRIBUTOR)
    add_link(application, position=2, grantor=DISTRIBUTOR, grantee=company.legal_name)
    add_facility(company, name="Zhongshan Bright Lamp Factory", number="CQC-2026-0042")

    page = _detail(logged_in(seller_a.owner), application)
    chain = _section(page, "application-chain")
    facilities = _section(page, "application-facilities")

    assert (
        '<h3 class="chain-title"> Link 1: <span class="chain-parties">Moonlight Lamps GmbH '
        '<span aria-hidden="true">→</span><span class="visually-hidden">to</span> '
        f"{DISTRIBUTOR}</span> </h3>"
    ) in chain
    assert f'Link 2: <span class="chain-parties">{DISTRIBUTOR} ' in chain
    assert chain.count("<dt>Signed letter</dt> <dd>letter-") == 2
    assert "<dd>LED lamps and lighting fixtures</dd>" in chain
    assert '<h3 class="facility-name">Zhongshan Bright Lamp Factory</h3>' in facilities
    assert "<strong>ISO 9001</strong> <code>CQC-2026-0042</code> · CQC" in facilities
    # Read-only: nothing on these parts changes them.
    assert "<form" not in chain + facilities
    assert "<button" not in chain + facilities


def test_a_seller_owning_the_mark_is_told_there_is_no_chain(seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    page = _detail(logged_in(seller_a.owner), application)

    assert "Your company applies as the owner on record: no authorization chain." in page
    assert "No facility given yet." in page


def test_the_page_needs_the_same_queries_however_long_the_chain(seller_a):
    company = seller_a.company
    application = ApplicationFactory(company=company, awaiting_review=True)
    client = logged_in(seller_a.owner)
    add_link(application, position=1, grantor=OWNER, grantee=company.legal_name)
    add_facility(company, name="Factory 1", number="CQC-1")
    with CaptureQueriesContext(connection) as short:
        _detail(client, application)
    for position in range(2, 8):
        add_link(application, position=position, grantor=OWNER, grantee=company.legal_name)
        add_facility(company, name=f"Factory {position}", number=f"CQC-{position}")

    with CaptureQueriesContext(connection) as long:
        page = _detail(client, application)

    assert page.count('class="chain-link"') == 7
    assert page.count('class="facility"') == 7
    assert len(long.captured_queries) == len(short.captured_queries)
