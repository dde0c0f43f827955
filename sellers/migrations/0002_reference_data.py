"""Marketplace categories with the Nice classes (NCL 13-2026) that cover them, and the program."""

import datetime

from django.db import migrations

CATEGORIES = [
    ("apparel", "Clothing, footwear and headwear", [25]),
    ("electronics", "Electronics and phone accessories", [9]),
    ("jewellery-watches", "Jewellery and watches", [14]),
    ("bags-luggage", "Bags and luggage", [18]),
    ("beauty", "Cosmetics and personal care", [3]),
    ("lighting-appliances", "Lighting and household appliances", [11]),
    ("furniture", "Furniture", [20]),
    ("kitchenware", "Kitchenware", [21]),
    ("home-textiles", "Home textiles", [24]),
    ("toys-sports", "Toys and sports goods", [28]),
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
