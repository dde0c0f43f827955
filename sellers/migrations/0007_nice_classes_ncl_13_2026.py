"""Nice classification class headings, edition NCL 13-2026 (in force 1 January 2026), abridged."""

from django.db import migrations

EDITION = "NCL 13-2026"
HEADINGS = {
    1: "Chemicals for industry, science and agriculture; fertilisers; adhesives for industry",
    2: "Paints, varnishes, lacquers; colorants; raw natural resins; metals in foil and powder form",
    3: "Non-medicated cosmetics and toiletries; perfumery; cleaning and polishing preparations",
    4: "Industrial oils and greases; lubricants; fuels; candles and wicks for lighting",
    5: "Pharmaceuticals; medical and veterinary preparations; dietary supplements; disinfectants",
    6: "Common metals and their alloys; metal building materials; small items of metal hardware",
    7: "Machines, machine tools, power-operated tools; motors and engines except for land vehicles",
    8: "Hand tools and implements, hand-operated; cutlery; side arms; razors",
    9: "Scientific, audiovisual, measuring and data-processing apparatus; computers; software",
    10: "Surgical, medical, dental and veterinary apparatus and instruments",
    11: "Apparatus for lighting, heating, cooling, cooking, drying, ventilating and water supply",
    12: "Vehicles; apparatus for locomotion by land, air or water",
    13: "Firearms; ammunition and projectiles; explosives; fireworks",
    14: "Precious metals and their alloys; jewellery, precious stones; horological instruments",
    15: "Musical instruments; music stands; conductors' batons",
    16: "Paper and cardboard; printed matter; stationery; office requisites; packaging of plastics",
    17: "Unprocessed and semi-processed rubber and plastics; packing and insulating materials",
    18: "Leather and imitations of leather; luggage and carrying bags; umbrellas; saddlery",
    19: "Non-metallic building materials; non-metallic rigid pipes; asphalt; monuments",
    20: "Furniture, mirrors, picture frames; containers, not of metal, for storage or transport",
    21: "Household or kitchen utensils and containers; cookware and tableware; glassware",
    22: "Ropes and string; nets; tents and tarpaulins; sails; bags for transporting bulk goods",
    23: "Yarns and threads for textile use",
    24: "Textiles and substitutes for textiles; household linen; curtains of textile or plastic",
    25: "Clothing, footwear, headwear",
    26: "Lace, braid and embroidery; buttons, hooks and eyes, pins and needles; artificial flowers",
    27: "Carpets, rugs, mats and matting, linoleum; wall hangings, not of textile",
    28: "Games, toys and playthings; video game apparatus; gymnastic and sporting articles",
    29: "Meat, fish, poultry and game; preserved fruits and vegetables; dairy products; oils",
    30: "Coffee, tea, cocoa; rice, pasta; bread, pastries and confectionery; sugar; spices",
    31: "Raw and unprocessed agricultural, aquacultural and forestry products; live animals",
    32: "Beers; non-alcoholic beverages; mineral and aerated waters; fruit beverages",
    33: "Alcoholic beverages, except beers",
    34: "Tobacco and tobacco substitutes; cigarettes and cigars; electronic cigarettes",
    35: "Advertising; business management and administration; office functions; retail services",
    36: "Financial, monetary and banking services; insurance services; real estate affairs",
    37: "Construction services; installation and repair services; mining extraction",
    38: "Telecommunications services",
    39: "Transport; packaging and storage of goods; travel arrangement",
    40: "Treatment of materials; recycling of waste; custom manufacturing",
    41: "Education; providing of training; entertainment; sporting and cultural activities",
    42: "Scientific and technological services; design and development of computer software",
    43: "Services for providing food and drink; temporary accommodation",
    44: "Medical services; veterinary services; hygienic and beauty care; agriculture services",
    45: "Legal services; security services; personal and social services",
}


def load(apps, schema_editor):
    NiceClass = apps.get_model("sellers", "NiceClass")
    for number, heading in HEADINGS.items():
        NiceClass.objects.update_or_create(
            edition=EDITION, number=number, defaults={"heading": heading}
        )


class Migration(migrations.Migration):
    dependencies = [("sellers", "0006_application_wizard")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
