"""Marketplace categories with the Nice classes (NCL 13-2026) that cover them, and the program.

Category names are stored in English and are msgids of the catalogue: the portal translates
them when it shows them.
"""

import datetime

from django.db import migrations
from django.utils.translation import gettext_noop

CATEGORIES = [
    ("apparel", gettext_noop("Clothing, footwear and headwear"), [25]),
    ("electronics", gettext_noop("Electronics and phone accessories"), [9]),
    ("jewellery-watches", gettext_noop("Jewellery and watches"), [14]),
    ("bags-luggage", gettext_noop("Bags and luggage"), [18]),
    ("beauty", gettext_noop("Cosmetics and personal care"), [3]),
    ("lighting-appliances", gettext_noop("Lighting and household appliances"), [11]),
    ("furniture", gettext_noop("Furniture"), [20]),
    ("kitchenware", gettext_noop("Kitchenware"), [21]),
    ("home-textiles", gettext_noop("Home textiles"), [24]),
    ("toys-sports", gettext_noop("Toys and sports goods"), [28]),
]


def load(apps, schema_editor):
    Category = apps.get_model("sellers", "Category")
    Program = apps.get_model("sellers", "Program")
    for code, name, classes in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"name": name, "nice_classes": classes})
    Program.objects.get_or_create(
        slug="thousand-class",
        defaults={
            "name": "Thousand-Class Brand Program",
            "capacity": 1000,
            "opens_on": datetime.date(2026, 1, 1),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("sellers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
