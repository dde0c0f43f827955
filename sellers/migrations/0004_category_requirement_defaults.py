"""Default evidence requirements per category; program managers adjust them in the admin."""

from django.db import migrations

# Every category: the registration certificate and a photo of the brand on the goods.
COMMON = {"trademark_certificate": True, "product_photo": True}
# Categories where regulated safety or quality marks matter (CCC, CE, EN 71, FCC), and a
# factory document where counterfeits usually come from unnamed workshops.
EXTRA = {
    "electronics": {"quality_certificate": True, "test_report": False},
    "toys-sports": {"quality_certificate": True, "test_report": True},
    "lighting-appliances": {"quality_certificate": False, "test_report": False},
    "beauty": {"test_report": True, "factory_document": False},
    "kitchenware": {"test_report": False},
    "jewellery-watches": {"factory_document": False},
    "apparel": {"factory_document": False},
}


def load(apps, schema_editor):
    Category = apps.get_model("sellers", "Category")
    CategoryRequirement = apps.get_model("sellers", "CategoryRequirement")
    for category in Category.objects.all():
        for kind, required in {**COMMON, **EXTRA.get(category.code, {})}.items():
            CategoryRequirement.objects.get_or_create(
                category=category, kind=kind, defaults={"required": required}
            )


class Migration(migrations.Migration):
    dependencies = [("sellers", "0003_category_requirements")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
