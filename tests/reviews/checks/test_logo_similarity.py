"""Look-alike logos: copies of well-known or program brands' logos, recoloured, resized or
trimmed, are caught by their difference hash; different logos and the company's own pass."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from reviews.checks import logo_similarity
from reviews.checks.logo_similarity import REFERENCE_LOGOS, difference_hash, hash_hex
from reviews.models import LogoHash
from reviews.tasks import screen_application
from sellers.workflow.transition import application_transition
from tests.conftest import manage_check
from tests.files import truncated_png
from tests.sellers.factories import ApplicationFactory, BrandFactory

RED, BLUE, GREEN = (200, 30, 30), (20, 60, 180), (30, 140, 60)


def _canvas():
    image = Image.new("RGB", (256, 256), "white")
    return image, ImageDraw.Draw(image)


# The synthetic shapes whose hashes reviews/data/well_known_logos.csv ships.
def ring_and_dot(color):
    image, draw = _canvas()
    draw.ellipse((28, 28, 228, 228), outline=color, width=34)
    draw.ellipse((150, 60, 200, 110), fill=color)
    return image


def twin_chevrons(color):
    image, draw = _canvas()
    draw.polygon([(20, 40), (128, 128), (20, 216), (60, 216), (168, 128), (60, 40)], fill=color)
    draw.polygon([(110, 40), (218, 128), (110, 216), (150, 216), (236, 128), (150, 40)], fill=color)
    return image


def quartered_square(color):
    image, draw = _canvas()
    draw.rectangle((28, 28, 228, 228), outline=color, width=12)
    draw.rectangle((28, 28, 128, 128), fill=color)
    draw.rectangle((128, 128, 228, 228), fill=color)
    return image


def crescent(color):
    image, draw = _canvas()
    draw.ellipse((28, 28, 228, 228), fill=color)
    draw.ellipse((90, 10, 250, 170), fill="white")
    return image


def stepped_bars(color):
    image, draw = _canvas()
    for n in range(5):
        draw.rectangle((24 + n * 44, 220 - (n + 1) * 38, 56 + n * 44, 230), fill=color)
    return image


def split_triangle(color):
    image, draw = _canvas()
    draw.polygon([(128, 20), (236, 230), (20, 230)], fill=color)
    draw.rectangle((20, 120, 236, 140), fill="white")
    return image


REFERENCE_SHAPES = {
    "Ring and dot": ring_and_dot,
    "Twin chevrons": twin_chevrons,
    "Quartered square": quartered_square,
    "Crescent": crescent,
    "Stepped bars": stepped_bars,
    "Split triangle": split_triangle,
}


# Program brands' logos.
def star_and_bar(color):
    image = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [
            (150, 10),
            (175, 80),
            (250, 80),
            (190, 125),
            (215, 195),
            (150, 150),
            (85, 195),
            (110, 125),
            (50, 80),
            (125, 80),
        ],
        fill=color,
    )
    draw.rectangle((10, 10, 40, 190), fill=color)
    return image


def dots_and_slash(color):
    image = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(image)
    for n in range(4):
        top = 40 + (n % 2) * 60
        draw.ellipse((10 + n * 70, top, 80 + n * 70, top + 70), fill=color)
    draw.line((10, 190, 290, 10), fill=color, width=14)
    return image


def _altered(image: Image.Image) -> Image.Image:
    """Trimmed at the right and bottom, then shrunk to two thirds."""
    width, height = image.size
    cropped = image.crop((0, 0, width - 12, height - 8))
    return cropped.resize((cropped.width * 2 // 3, cropped.height * 2 // 3))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _application(seller, image: Image.Image | None = None, *, brand_name="LUMENOVA"):
    brand = BrandFactory(company=seller.company, name=brand_name)
    if image is not None:
        brand.logo.save("logo.png", ContentFile(_png(image)))
    return ApplicationFactory(company=seller.company, brand=brand)


def test_the_shipped_reference_hashes_are_those_of_the_drawn_shapes():
    rows = logo_similarity._reference_logos(REFERENCE_LOGOS)[1]

    shipped = {row["name"]: row["hash"] for row in rows}

    assert shipped == {
        name: hash_hex(difference_hash(draw(RED))) for name, draw in REFERENCE_SHAPES.items()
    }


def test_a_brand_without_a_logo_passes(seller_a):
    application = _application(seller_a)

    finding = logo_similarity.run(application)

    assert (finding.outcome, finding.explanation) == ("pass", "The brand has no logo to compare.")
    assert LogoHash.objects.count() == 0


def test_a_recoloured_resized_cropped_copy_of_another_companys_logo_fails(seller_a, seller_b):
    original = _application(seller_b, star_and_bar(RED), brand_name="STELLARIS")
    logo_similarity.run(original)
    copy = _application(seller_a, _altered(star_and_bar(GREEN)), brand_name="STELARIX")

    finding = logo_similarity.run(copy)

    assert finding.outcome == "fail"
    assert finding.evidence["closest"] == [
        {
            "logo": "STELLARIS",
            "kind": "brand in the program",
            "source": seller_b.company.legal_name,
            "distance": finding.evidence["closest"][0]["distance"],
        }
    ]
    assert finding.evidence["closest"][0]["distance"] <= 6
    assert finding.explanation.startswith(
        "The logo of “STELARIX” is a near-identical copy of 1 logo(s) owned by others. "
        f"“STELLARIS” (brand in the program, {seller_b.company.legal_name}): distance "
    )


def test_a_recoloured_copy_of_a_well_known_logo_fails(seller_a):
    application = _application(seller_a, _altered(twin_chevrons(BLUE)))

    finding = logo_similarity.run(application)

    assert finding.outcome == "fail"
    assert [(c["logo"], c["kind"]) for c in finding.evidence["closest"]] == [
        ("Twin chevrons", "well-known logo")
    ]
    assert finding.data_version == "2026.11-synthetic"


def test_a_different_logo_passes(seller_a, seller_b):
    logo_similarity.run(_application(seller_b, star_and_bar(RED), brand_name="STELLARIS"))
    application = _application(seller_a, dots_and_slash(BLUE))

    finding = logo_similarity.run(application)

    assert (finding.outcome, finding.evidence["closest"]) == ("pass", [])
    assert finding.explanation == (
        "The logo of “LUMENOVA” is not close to any of the 7 logos compared (closest "
        "distance allowed: 13 of 64 bits)."
    )


def test_the_companys_own_other_brand_does_not_count(seller_a):
    logo_similarity.run(_application(seller_a, star_and_bar(RED), brand_name="STELLARIS"))
    application = _application(seller_a, star_and_bar(RED), brand_name="STELLARIS HOME")

    finding = logo_similarity.run(application)

    assert (finding.outcome, finding.evidence["closest"]) == ("pass", [])
    assert LogoHash.objects.filter(brand__company=seller_a.company).count() == 2


def test_a_similar_but_not_identical_logo_warns(seller_a, seller_b, settings):
    settings.LOGO_NEAR_IDENTICAL_DISTANCE = 0
    settings.LOGO_SIMILAR_DISTANCE = 12
    logo_similarity.run(_application(seller_b, star_and_bar(RED), brand_name="STELLARIS"))
    application = _application(seller_a, _altered(star_and_bar(GREEN)), brand_name="STELARIX")

    finding = logo_similarity.run(application)

    assert finding.outcome == "warn"
    assert finding.explanation.startswith(
        "The logo of “STELARIX” resembles 1 logo(s) owned by others. “STELLARIS”"
    )


def test_the_hash_is_stored_when_the_brand_is_screened(seller_b):
    application = _application(seller_b, star_and_bar(RED), brand_name="STELLARIS")

    logo_similarity.run(application)

    stored = LogoHash.objects.get(brand=application.brand)
    assert (stored.logo_name, stored.hash) == (
        application.brand.logo.name,
        hash_hex(difference_hash(star_and_bar(RED))),
    )


def test_an_unreadable_logo_warns(seller_a):
    application = _application(seller_a)
    application.brand.logo.save("logo.png", ContentFile(truncated_png().read()))

    finding = logo_similarity.run(application)

    assert finding.outcome == "warn"
    assert finding.explanation.startswith("The logo file could not be read as an image (")
    assert LogoHash.objects.count() == 0


def test_screening_a_submitted_brand_stores_its_logo_hash(seller_a):
    application = _application(seller_a, star_and_bar(RED), brand_name="STELLARIS")
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    screen_application(application_id=application.pk)

    result = application.screening_runs.get().results.get(check_code="logo_similarity")
    assert (result.outcome, result.data_version) == ("pass", "2026.11-synthetic")
    assert LogoHash.objects.get(brand=application.brand).hash == result.evidence["hash"]


def test_a_similar_threshold_below_the_near_identical_one_stops_the_process():
    result = manage_check(LOGO_SIMILAR_DISTANCE="3")

    assert result.returncode == 1
    assert (
        "LOGO_SIMILAR_DISTANCE: must be at least LOGO_NEAR_IDENTICAL_DISTANCE (6), got 3"
        in result.stderr
    )
