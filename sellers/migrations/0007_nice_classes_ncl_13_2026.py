"""Nice classification class headings, edition NCL 13-2026 (in force 1 January 2026), abridged.

Headings are stored in English and are msgids of the catalogue: the portal translates them
when it shows them.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

EDITION = "NCL 13-2026"
HEADINGS = {
    1: gettext_noop("Chemicals for industry, science and agriculture; fertilisers; adhesives for industry"),
    2: gettext_noop("Paints, varnishes, lacquers; colorants; raw natural resins; metals in foil and powder form"),
    3: gettext_noop("Non-medicated cosmetics and toiletries; perfumery; cleaning and polishing preparations"),
    4: gettext_noop("Industrial oils and greases; lubricants; fuels; candles and wicks for lighting"),
    5: gettext_noop("Pharmaceuticals; medical and veterinary preparations; dietary supplements; disinfectants"),
    6: gettext_noop("Common metals and their alloys; metal building materials; small items of metal hardware"),
    7: gettext_noop("Machines, machine tools, power-operated tools; motors and engines except for land vehicles"),
    8: gettext_noop("Hand tools and implements, hand-operated; cutlery; side arms; razors"),
    9: gettext_noop("Scientific, audiovisual, measuring and data-processing apparatus; computers; software"),
    10: gettext_noop("Surgical, medical, dental and veterinary apparatus and instruments"),
    11: gettext_noop("Apparatus for lighting, heating, cooling, cooking, drying, ventilating and water supply"),
    12: gettext_noop("Vehicles; apparatus for locomotion by land, air or water"),
    13: gettext_noop("Firearms; ammunition and projectiles; explosives; fireworks"),
    14: gettext_noop("Precious metals and their alloys; jewellery, precious stones; horological instruments"),
    15: gettext_noop("Musical instruments; music stands; conductors' batons"),
    16: gettext_noop("Paper and cardboard; printed matter; stationery; office requisites; packaging of plastics"),
    17: gettext_noop("Unprocessed and semi-processed rubber and plastics; packing and insulating materials"),
    18: gettext_noop("Leather and imitations of leather; luggage and carrying bags; umbrellas; saddlery"),
    19: gettext_noop("Non-metallic building materials; non-metallic rigid pipes; asphalt; monuments"),
    20: gettext_noop("Furniture, mirrors, picture frames; containers, not of metal, for storage or transport"),
    21: gettext_noop("Household or kitchen utensils and containers; cookware and tableware; glassware"),
    22: gettext_noop("Ropes and string; nets; tents and tarpaulins; sails; bags for transporting bulk goods"),
    23: gettext_noop("Yarns and threads for textile use"),
    24: gettext_noop("Textiles and substitutes for textiles; household linen; curtains of textile or plastic"),
    25: gettext_noop("Clothing, footwear, headwear"),
    26: gettext_noop("Lace, braid and embroidery; buttons, hooks and eyes, pins and needles; artificial flowers"),
    27: gettext_noop("Carpets, rugs, mats and matting, linoleum; wall hangings, not of textile"),
    28: gettext_noop("Games, toys and playthings; video game apparatus; gymnastic and sporting articles"),
    29: gettext_noop("Meat, fish, poultry and game; preserved fruits and vegetables; dairy products; oils"),
    30: gettext_noop("Coffee, tea, cocoa; rice, pasta; bread, pastries and confectionery; sugar; spices"),
    31: gettext_noop("Raw and unprocessed agricultural, aquacultural and forestry products; live animals"),
    32: gettext_noop("Beers; non-alcoholic beverages; mineral and aerated waters; fruit beverages"),
    33: gettext_noop("Alcoholic beverages, except beers"),
    34: gettext_noop("Tobacco and tobacco substitutes; cigarettes and cigars; electronic cigarettes"),
    35: gettext_noop("Advertising; business management and administration; office functions; retail services"),
    36: gettext_noop("Financial, monetary and banking services; insurance services; real estate affairs"),
    37: gettext_noop("Construction services; installation and repair services; mining extraction"),
    38: gettext_noop("Telecommunications services"),
    39: gettext_noop("Transport; packaging and storage of goods; travel arrangement"),
    40: gettext_noop("Treatment of materials; recycling of waste; custom manufacturing"),
    41: gettext_noop("Education; providing of training; entertainment; sporting and cultural activities"),
    42: gettext_noop("Scientific and technological services; design and development of computer software"),
    43: gettext_noop("Services for providing food and drink; temporary accommodation"),
    44: gettext_noop("Medical services; veterinary services; hygienic and beauty care; agriculture services"),
    45: gettext_noop("Legal services; security services; personal and social services"),
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
