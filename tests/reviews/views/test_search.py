"""The reviewers' search page: by company, brand, trademark, registration and reference number,
with filters, behind the conflict-of-interest wall, with one query for the page's rows; and the
reference number that sellers and reviewers quote."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import ReviewQueue
from reviews.search import RESULTS_PER_PAGE, _name_match_postgresql
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Application, Category, SellerCompany
from tests.pages import logged_in, page_text
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, CategoryFactory, CompanyFactory

SEARCH = reverse("reviews:search")
QILIN = "Qilin Lantern Works Co., Ltd."
HARBOR = "Ningbo Harbor Housewares Co., Ltd."


def _found(response) -> list[str]:
    return [application.reference for application in response.context["page"].object_list]


def _reference(application: Application) -> str:
    return f"TCB-{application.created_at.year}-{application.pk:06d}"


def _workspace(application: Application) -> str:
    return reverse("reviews:workspace", args=[application.pk])


@pytest.fixture
def catalogue(db) -> dict[str, Application]:
    """Two companies: Qilin with two brands (one with its name in Chinese), Harbor with one."""
    qilin = CompanyFactory(legal_name=QILIN, tier=SellerCompany.Tier.GOLD)
    harbor = CompanyFactory(legal_name=HARBOR)
    return {
        "lantern": ApplicationFactory(
            company=qilin, brand__name="ZEPHYRLAMP", brand__native_name="明灯照明",
            trademark__number="90817263", awaiting_review=True, risk_score=60,
        ),
        "kiln": ApplicationFactory(
            company=qilin, brand__name="KILNGLOW", trademark__number="90817264"
        ),
        "harbor": ApplicationFactory(
            company=harbor, brand__name="HARBORHOME", trademark__number="4012345",
            approved=True, risk_score=5,
        ),
    }  # fmt: skip


def test_a_company_name_with_a_typo_finds_its_applications_closest_first(catalogue, reviewer):
    # A company whose name is close too, and one whose name shares a word only.
    other = ApplicationFactory(company__legal_name="Qilin Lamp Works Co., Ltd.", brand__name="QLW")
    ApplicationFactory(company__legal_name="Qilin Trading Co., Ltd.", brand__name="QTR")

    response = logged_in(reviewer).get(SEARCH, {"q": "Qilin Lantren Works"})

    found = _found(response)
    assert sorted(found[:2]) == sorted(_reference(catalogue[k]) for k in ("lantern", "kiln"))
    assert found[2:] == [_reference(other)]
    assert response.context["page"].paginator.count == 3


def test_the_words_of_a_company_name_in_any_order_find_it(catalogue, reviewer):
    response = logged_in(reviewer).get(SEARCH, {"q": "works qilin"})

    assert sorted(_found(response)) == sorted(_reference(catalogue[k]) for k in ("lantern", "kiln"))


@pytest.mark.parametrize("typed", ["明灯", "明灯照明", "照明"])
def test_a_brand_is_found_by_its_chinese_name(catalogue, reviewer, typed):
    response = logged_in(reviewer).get(SEARCH, {"q": typed})

    assert _found(response) == [_reference(catalogue["lantern"])]
    assert "明灯照明" in page_text(response)


def test_a_brand_name_with_a_typo_finds_it(catalogue, reviewer):
    response = logged_in(reviewer).get(SEARCH, {"q": "harborhme"})

    assert _found(response) == [_reference(catalogue["harbor"])]


@pytest.mark.parametrize("typed", ["90817263", "90,817,263", " 90817263 "])
def test_a_trademark_number_typed_whole_opens_its_application(catalogue, reviewer, typed):
    response = logged_in(reviewer).get(SEARCH, {"q": typed})

    assert response.status_code == 302
    assert response["Location"] == _workspace(catalogue["lantern"])


def test_a_uscc_of_a_company_with_one_application_opens_it(catalogue, reviewer):
    harbor = catalogue["harbor"]

    response = logged_in(reviewer).get(SEARCH, {"q": harbor.company.registration_number.lower()})

    assert (response.status_code, response["Location"]) == (302, _workspace(harbor))


def test_a_uscc_naming_several_applications_lists_them_as_exact_matches(catalogue, reviewer):
    uscc = catalogue["lantern"].company.registration_number

    response = logged_in(reviewer).get(SEARCH, {"q": uscc})

    rows = response.context["page"].object_list
    assert sorted((row.reference, row.exact) for row in rows) == sorted(
        (_reference(catalogue[k]), True) for k in ("lantern", "kiln")
    )
    assert page_text(response).count("exact match</span>") == 2


@pytest.mark.parametrize("spelled", ["as_shown", "spaced", "lower_case", "without_dashes"])
def test_a_reference_opens_its_application_however_it_is_typed(catalogue, reviewer, spelled):
    kiln = catalogue["kiln"]
    reference = _reference(kiln)
    typed = {
        "as_shown": reference,
        "spaced": f" {reference} ",
        "lower_case": reference.lower(),
        "without_dashes": reference.replace("-", ""),
    }[spelled]

    response = logged_in(reviewer).get(SEARCH, {"q": typed})

    assert (response.status_code, response["Location"]) == (302, _workspace(kiln))


def test_a_reference_of_another_year_names_nothing(catalogue, reviewer):
    kiln = catalogue["kiln"]
    wrong_year = f"TCB-{kiln.created_at.year - 1}-{kiln.pk:06d}"

    response = logged_in(reviewer).get(SEARCH, {"q": wrong_year})

    assert response.status_code == 200
    assert _found(response) == []
    assert "No application you may see matches." in page_text(response)


def test_without_a_query_every_application_is_listed_newest_first(catalogue, reviewer):
    response = logged_in(reviewer).get(SEARCH)

    assert _found(response) == [_reference(catalogue[k]) for k in ("harbor", "kiln", "lantern")]


@pytest.fixture
def queued(db) -> dict[str, Application]:
    """Applications in two queues of two categories, of companies of two tiers."""
    lamps, toys = CategoryFactory(code="lamps"), CategoryFactory(code="toys")
    ReviewQueueFactory(name="Lighting", categories=[lamps])
    ReviewQueueFactory(name="Toys", categories=[toys])
    made = {
        "lamp": screened(categories=[lamps], company__tier="gold"),
        "toy": screened(categories=[toys]),
        "draft": ApplicationFactory(categories=[toys]),
    }
    # As screening records them on the application.
    Application.objects.filter(pk=made["lamp"].pk).update(risk_score=70)
    Application.objects.filter(pk=made["toy"].pk).update(risk_score=20)
    return made


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"status": "awaiting_review"}, {"lamp", "toy"}),
        ({"status": "draft"}, {"draft"}),
        ({"queue": "Lighting"}, {"lamp"}),
        ({"queue": "Toys"}, {"toy"}),
        ({"tier": "gold"}, {"lamp"}),
        ({"category": "toys"}, {"toy", "draft"}),
        ({"risk": "high"}, {"lamp"}),
        ({"risk": "medium"}, {"toy"}),
        ({"risk": "none"}, {"draft"}),
        ({"risk": "low"}, set()),
        ({"category": "toys", "status": "awaiting_review"}, {"toy"}),
    ],
)
def test_filters_narrow_the_results(queued, reviewer, chosen, expected):
    query = dict(chosen)
    if "queue" in query:
        query["queue"] = ReviewQueue.objects.get(name=query["queue"]).pk
    if "category" in query:
        query["category"] = Category.objects.get(code=query["category"]).pk

    response = logged_in(reviewer).get(SEARCH, query)

    assert sorted(_found(response)) == sorted(_reference(queued[k]) for k in expected)


def test_the_queue_an_application_waits_in_is_shown(queued, reviewer):
    response = logged_in(reviewer).get(SEARCH)

    queues = {row.reference: row.queue_name for row in response.context["page"].object_list}
    assert queues == {
        _reference(queued["lamp"]): "Lighting",
        _reference(queued["toy"]): "Toys",
        _reference(queued["draft"]): None,
    }


def test_a_filter_naming_nothing_known_is_refused_with_the_text_kept(catalogue, reviewer):
    response = logged_in(reviewer).get(SEARCH, {"q": "Qilin", "status": "lost", "queue": "x"})

    form = response.context["form"]
    assert response.status_code == 200
    assert response.context["page"] is None
    assert sorted(form.errors) == ["queue", "status"]
    assert form["q"].value() == "Qilin"
    assert 'value="Qilin"' in page_text(response)


def test_a_conflicted_reviewer_never_finds_the_company_or_counts_it(catalogue, reviewer):
    lantern, harbor = catalogue["lantern"], catalogue["harbor"]
    conflict_declare(actor=actor_for_user(reviewer), company=lantern.company, reason="Cousin")
    client = logged_in(reviewer)

    typed = [
        "Qilin Lantren",
        "明灯",
        "ZEPHYRLAMP",
        lantern.company.registration_number,
        lantern.trademark.number,
        _reference(lantern),
    ]
    answers = {text: client.get(SEARCH, {"q": text}) for text in typed}
    everything = client.get(SEARCH)

    assert {text: (r.status_code, _found(r)) for text, r in answers.items()} == dict.fromkeys(
        typed, (200, [])
    )
    assert _found(everything) == [_reference(harbor)]
    assert everything.context["page"].paginator.count == 1
    assert [QILIN in page_text(r) for r in (*answers.values(), everything)] == [False] * 7


def test_a_manager_without_a_conflict_finds_what_the_conflicted_reviewer_does_not(
    catalogue, reviewer, manager
):
    lantern = catalogue["lantern"]
    conflict_declare(actor=actor_for_user(reviewer), company=lantern.company, reason="Cousin")

    response = logged_in(manager).get(SEARCH, {"q": _reference(lantern)})

    assert response["Location"] == _workspace(lantern)


def test_sellers_and_outsiders_get_no_search(catalogue, seller_a, outsider):
    answers = [logged_in(user).get(SEARCH, {"q": "Qilin"}) for user in (seller_a.owner, outsider)]

    assert [r.status_code for r in answers] == [404, 404]
    assert [QILIN in page_text(r) for r in answers] == [False, False]


def test_results_are_paged(db, reviewer):
    company = CompanyFactory(legal_name=QILIN)
    made = [ApplicationFactory(company=company) for _ in range(RESULTS_PER_PAGE + 1)]
    client = logged_in(reviewer)

    first = client.get(SEARCH, {"q": "qilin lantern"})
    second = client.get(SEARCH, {"q": "qilin lantern", "page": "2"})
    beyond = client.get(SEARCH, {"q": "qilin lantern", "page": "9"})

    assert len(_found(first)) == RESULTS_PER_PAGE
    assert _found(second) == _found(beyond) == [_reference(made[0])]
    assert "q=qilin+lantern&amp;page=2" in page_text(first)


@pytest.mark.parametrize("query", [{"q": "qilin lantern"}, {"tier": "gold", "risk": "high"}, {}])
def test_the_page_takes_the_same_queries_for_1_and_25_results(
    db, reviewer, django_assert_num_queries, query
):
    CategoryFactory()
    ReviewQueueFactory()
    company = CompanyFactory(legal_name=QILIN, tier=SellerCompany.Tier.GOLD)
    ApplicationFactory(company=company, risk_score=80)
    client = logged_in(reviewer)
    with CaptureQueriesContext(connection) as one:
        single = client.get(SEARCH, query)
    for _ in range(RESULTS_PER_PAGE - 1):
        ApplicationFactory(company=company, risk_score=80, awaiting_review=True)

    with django_assert_num_queries(len(one.captured_queries)):
        many = client.get(SEARCH, query)

    assert (len(_found(single)), len(_found(many))) == (1, RESULTS_PER_PAGE)


def test_the_search_indexes_serve_the_name_lookups(catalogue):
    """The plans use the indexes of sellers' migration 0023 (with sequential scans off, as on a
    table too large to scan): the full-text index matches the expression Django writes."""
    query = Application.objects.filter(_name_match_postgresql("qilin lantren")).values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    used = [
        name
        for name in (
            "company_legal_name_trgm",
            "company_legal_name_words",
            "brand_name_trgm",
            "brand_native_name_trgm",
        )
        if name in plan
    ]
    assert used == [
        "company_legal_name_trgm",
        "company_legal_name_words",
        "brand_name_trgm",
        "brand_native_name_trgm",
    ]


def test_the_reference_is_shown_to_the_seller_and_the_reviewers(seller_a, reviewer):
    lamps = CategoryFactory()
    queue = ReviewQueueFactory(name="Lighting", members=[reviewer], categories=[lamps])
    application = screened(company=seller_a.company, categories=[lamps])
    shown = f'<code class="reference">{_reference(application)}</code>'
    staff = logged_in(reviewer)

    pages = {
        "seller": logged_in(seller_a.owner).get(
            reverse("portal:application_detail", args=[application.pk])
        ),
        "queue": staff.get(reverse("reviews:queue"), {"queue": queue.pk}),
        "workspace": staff.get(_workspace(application)),
    }

    assert application.reference == _reference(application)
    assert {name: shown in page_text(page) for name, page in pages.items()} == dict.fromkeys(
        pages, True
    )


def test_the_search_page_speaks_chinese(catalogue, reviewer):
    client = logged_in(reviewer)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    response = client.get(SEARCH, {"q": "明灯"})

    text = page_text(response)
    assert [word in text for word in ("搜索申请", "任意状态", "1 份申请", "编号")] == [True] * 4
    assert _found(response) == [_reference(catalogue["lantern"])]
