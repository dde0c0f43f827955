"""The trademark's Nice classes cover the categories applied for, and it stays valid long enough."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Date, Items, Phrase
from reviews.checks.base import MISSING_ESSENTIALS, Finding

CODE = "trademark_coverage"
TITLE = gettext_lazy("Class coverage and validity")
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
            Phrase(
                _(
                    "The trademark has no Nice class on the application; add the classes from "
                    "the registration certificate."
                )
            ),
            evidence,
            flags=(MISSING_ESSENTIALS,),
        )
    registered = Items(sorted(classes))
    failures, warnings = [], []
    for category in uncovered:
        failures.append(
            Phrase(
                _(
                    "The mark is not registered for %(category)s (needs class %(needed)s; "
                    "registered in %(classes)s)."
                ),
                category=Phrase(category.name),
                needed=Items(category.nice_classes),
                classes=registered,
            )
        )
    if mark.expires_on is None:
        warnings.append(
            Phrase(_("The expiry date is not known; confirm it on the registry record."))
        )
    elif mark.expires_on < today:
        failures.append(Phrase(_("The mark expired on %(day)s."), day=Date(mark.expires_on)))
    elif mark.expires_on < today + MINIMUM_VALIDITY:
        failures.append(
            Phrase(
                _("The mark expires on %(day)s, less than six months from today; renew it first."),
                day=Date(mark.expires_on),
            )
        )
    if mark.registration_status == "pending":
        warnings.append(
            Phrase(_("The mark is still pending; a pending mark counts for six months only."))
        )
    if failures:
        return Finding("fail", failures + warnings, evidence)
    if warnings:
        return Finding("warn", warnings, evidence)
    return Finding(
        "pass",
        Phrase(
            _(
                "Classes %(classes)s cover every category applied for and the mark is valid "
                "until %(day)s."
            ),
            classes=registered,
            day=Date(mark.expires_on),
        ),
        evidence,
    )
