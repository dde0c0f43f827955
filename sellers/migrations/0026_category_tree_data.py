"""The ten flat categories become children of five main categories (sellers/data/categories.json);
their codes and rows stay, so applications, queues and requirements keep theirs. A company's
main categories, named among the ten until now, become the main categories above them.

The new names are msgids of the catalogue, like those of migration 0002.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

# Listed so that makemessages finds the names the tree file brings.
NAMES = [
    gettext_noop("Fashion and accessories"),
    gettext_noop("Electronics and appliances"),
    gettext_noop("Home and living"),
    gettext_noop("Beauty and personal care"),
    gettext_noop("Toys, sports and outdoors"),
]


def load(apps, schema_editor):
    # The loader takes the migration's own model, never the current one.
    from sellers.categories import category_tree_load

    Category = apps.get_model("sellers", "Category")
    SellerCompany = apps.get_model("sellers", "SellerCompany")
    category_tree_load(Category)
    for company in SellerCompany.objects.prefetch_related("main_categories"):
        named = list(company.main_categories.all())
        tops = {category.parent_id or category.pk for category in named}
        if tops != {category.pk for category in named}:
            company.main_categories.set(tops)


def unload(apps, schema_editor):
    Category = apps.get_model("sellers", "Category")
    SellerCompany = apps.get_model("sellers", "SellerCompany")
    tops = list(Category.objects.filter(children__isnull=False).distinct().values_list("pk", flat=True))
    for company in SellerCompany.objects.filter(main_categories__in=tops).distinct():
        # Without the tree a company keeps the categories under its main ones it applied in.
        company.main_categories.set(
            Category.objects.filter(
                parent__in=company.main_categories.all(),
                applications__company=company,
            ).distinct()
        )
    Category.objects.update(parent=None)
    Category.objects.filter(pk__in=tops).delete()


class Migration(migrations.Migration):
    dependencies = [("sellers", "0025_category_tree")]

    operations = [migrations.RunPython(load, unload)]
