"""The category tree (sellers/data/categories.json) and the migration that put the ten flat
categories under main ones."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sellers.categories import category_tree_load, main_categories_of
from sellers.models import Application, Category
from tests.sellers.factories import BrandFactory, ProgramFactory, TrademarkFactory

OLD_CODES = [
    "apparel",
    "bags-luggage",
    "beauty",
    "electronics",
    "furniture",
    "home-textiles",
    "jewellery-watches",
    "kitchenware",
    "lighting-appliances",
    "toys-sports",
]


def test_the_old_codes_sit_under_five_main_categories(db):
    main = Category.objects.filter(parent=None)

    assert sorted(main.values_list("code", flat=True)) == [
        "beauty-personal-care",
        "electronics-appliances",
        "fashion",
        "home-living",
        "toys-sports-outdoors",
    ]
    assert sorted(Category.objects.exclude(parent=None).values_list("code", flat=True)) == (
        OLD_CODES
    )


def test_loading_the_tree_again_changes_nothing(db):
    before = list(Category.objects.values_list("pk", "code", "parent__code", "nice_classes"))

    category_tree_load()

    after = list(Category.objects.values_list("pk", "code", "parent__code", "nice_classes"))
    assert sorted(after) == sorted(before)


def test_the_migration_maps_old_main_categories_and_keeps_applications(seller_a):
    # Inside the test's transaction: PostgreSQL rolls the steps back with the rows.
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("sellers")
    step = ("sellers", "0025_category_tree")
    executor.migrate([step])
    flat = Category.objects.filter(parent=None).count()
    company = seller_a.company
    company.main_categories.set(
        Category.objects.filter(code__in=["apparel", "bags-luggage", "kitchenware"])
    )
    # The application as the model was at this step: its table's later columns do not exist.
    then = executor.loader.project_state(step).apps.get_model("sellers", "Application")
    brand = BrandFactory(company=company)
    written = then.objects.create(
        company_id=company.pk,
        program_id=ProgramFactory().pk,
        brand_id=brand.pk,
        trademark_id=TrademarkFactory(brand=brand).pk,
    )
    written.categories.set(Category.objects.filter(code="apparel").values_list("pk", flat=True))

    # Its foreign keys are checked now, not at the commit: a later step alters the table, which
    # PostgreSQL refuses while checks are pending.
    connection.check_constraints()
    MigrationExecutor(connection).migrate(latest)
    application = Application.objects.get(pk=written.pk)

    assert flat == 10
    assert sorted(company.main_categories.values_list("code", flat=True)) == [
        "fashion",
        "home-living",
    ]
    assert list(application.categories.values_list("code", flat=True)) == ["apparel"]
    assert [str(c) for c in main_categories_of(application.categories.all())] == [
        "Fashion and accessories"
    ]
