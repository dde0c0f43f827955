"""The well-known marks list 2026.12: brands from the product groups that lead customs
seizures of counterfeits (reviews/data/well_known_marks.csv says which)."""

from django.db import migrations

from reviews.similarity.marks import well_known_load

PREVIOUS_VERSION = "2026.11"
# The marks 2026.12 added; it changed no earlier row, so taking them out restores 2026.11.
ADDED = (
    "Michael Kors",
    "MAC",
    "Yves Saint Laurent",
    "YSL",
    "OtterBox",
    "LifeProof",
    "Lululemon",
    "Arc'teryx",
    "Supreme",
    "Off-White",
    "Benefit",
    "Urban Decay",
    "NARS",
    "Olaplex",
    "SanDisk",
    "Kingston",
    "Seagate",
    "Western Digital",
    "Skullcandy",
    "Belkin",
    "Spigen",
    "iPad",
    "MacBook",
    "Apple Watch",
    "Coach",
    "Kate Spade",
    "Tory Burch",
    "Christian Louboutin",
    "Chloé",
    "Dolce & Gabbana",
    "Salvatore Ferragamo",
    "Jimmy Choo",
    "Miu Miu",
    "Goyard",
    "Alexander McQueen",
    "Golden Goose",
    "Stone Island",
    "Moschino",
    "Bvlgari",
    "Van Cleef & Arpels",
    "Chrome Hearts",
    "Patek Philippe",
    "Audemars Piguet",
    "Breitling",
    "Hublot",
    "Longines",
    "Tudor",
    "Guess",
    "Fossil",
    "Daniel Wellington",
    "Diesel",
    "Air Jordan",
    "A Bathing Ape",
    "Stussy",
    "Carhartt",
    "Fenty Beauty",
    "Charlotte Tilbury",
    "Too Faced",
    "Anastasia Beverly Hills",
    "Bobbi Brown",
    "La Mer",
    "CeraVe",
    "Kérastase",
    "Moroccanoil",
    "ghd",
    "Hoka",
    "Salomon",
    "Helly Hansen",
    "Herschel Supply",
    "Osprey",
    "Hydro Flask",
    "Coleman",
    "Speedo",
    "Titleist",
    "TaylorMade",
    "Callaway",
    "Yonex",
    "Mizuno",
    "Sanrio",
    "Squishmallows",
    "Jellycat",
    "Funko",
    "Paw Patrol",
    "Minecraft",
    "Cricut",
)


def load(apps, schema_editor):
    well_known_load(apps.get_model("reviews", "ReferenceMark"))


def unload(apps, schema_editor):
    marks = apps.get_model("reviews", "ReferenceMark").objects.filter(kind="well_known")
    marks.filter(name__in=ADDED).delete()
    marks.update(list_version=PREVIOUS_VERSION)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0011_registry_mark_details")]

    operations = [migrations.RunPython(load, unload)]
