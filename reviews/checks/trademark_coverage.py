"""The trademark's Nice classes cover the categories applied for, and it stays valid long enough."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from reviews.checks.base import MISSING_ESSENTIALS, Finding

CODE = "trademark_coverage"
TITLE = "Class coverage and validity"
QUICK = True
MINIMUM_VALIDITY = relativedelta(months=6)


def run(application):
    mark = application.trademark
    classes = set(mark.nice_classes)
    uncovered = [
        category
        for category in application.categories.all()
        if category.nice_classes and not classes & set(category.nice_classes)
    ]
    today = timezone.localdate()
    evidence = {
        "trademark_classes": sorted(classes),
        "categories": {c.code: c.nice_classes for c in application.categories.all()},
        "expires_on": mark.expires_on.isoformat() if mark.expires_on else None,
        "registration_status": mark.registration_status,
    }
    if not classes:
        return Finding(
            "fail",
            "The trademark has no Nice class on the application; add the classes from the "
            "registration certificate.",
            evidence,
            flags=(MISSING_ESSENTIALS,),
        )
    failures, warnings = [], []
    for category in uncovered:
        needed = ", ".join(str(n) for n in category.nice_classes)
        failures.append(
            f"The mark is not registered for {category.name} (needs class {needed}; "
            f"registered in {', '.join(map(str, sorted(classes))) or 'no class'})."
        )
    if mark.expires_on is None:
        warnings.append("The expiry date is not known; confirm it on the registry record.")
    elif mark.expires_on < today:
        failures.append(f"The mark expired on {mark.expires_on:%Y-%m-%d}.")
    elif mark.expires_on < today + MINIMUM_VALIDITY:
        failures.append(
            f"The mark expires on {mark.expires_on:%Y-%m-%d}, less than six months from today; "
            "renew it first."
        )
    if mark.registration_status == "pending":
        warnings.append("The mark is still pending; a pending mark counts for six months only.")
    if failures:
        return Finding("fail", " ".join(failures + warnings), evidence)
    if warnings:
        return Finding("warn", " ".join(warnings), evidence)
    return Finding(
        "pass",
        f"Classes {', '.join(map(str, sorted(classes)))} cover every category applied for and the "
        f"mark is valid until {mark.expires_on:%Y-%m-%d}.",
        evidence,
    )
