"""The goods have a traceable source: the categories' required evidence is attached, the
facilities' certifications are in date, and the declared factories make sense for the company."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Date, Items, Phrase
from reviews.checks.base import MISSING_ESSENTIALS, Finding, country_name
from sellers.models import Certification, Evidence, Facility
from sellers.requirements import evidence_checklist
from sellers.selectors import current_evidence

CODE = "supply_chain"
TITLE = gettext_lazy("Supply chain")
QUICK = True
# A certificate that lapses this soon may be gone before the first order ships.
EXPIRY_WARNING_DAYS = 30
SOURCE = Phrase(_("application evidence and the company's supply-chain records"))


def run(application):
    company = application.company
    today = timezone.localdate()
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    # From the current evidence screening loaded with the application, not another query.
    attached = current_evidence(application)
    checklist = evidence_checklist(application, present={item.kind for item in attached})
    missing = [item.label for item in checklist if item.required and not item.met]
    facilities = list(Facility.objects.filter(company=company).order_by("manufacturer_name", "pk"))
    certifications = list(
        Certification.objects.filter(facility__company=company)
        .select_related("facility")
        .order_by("expires_on", "pk")
    )
    explained = any(item.kind == Evidence.Kind.FACTORY_DOCUMENT for item in attached)
    evidence = {
        "required_evidence": [item.label for item in checklist if item.required],
        "missing_evidence": missing,
        "company_country": company.country.code,
        "facilities": [
            {
                "manufacturer": facility.manufacturer_name,
                "country": facility.country.code,
                "ownership": facility.ownership,
            }
            for facility in facilities
        ],
        "certifications": [
            {
                "facility": cert.facility.manufacturer_name,
                "standard": cert.standard,
                "number": cert.number,
                "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
            }
            for cert in certifications
        ],
        "factory_document_attached": explained,
    }
    failures, warnings = [], []
    if missing:
        failures.append(
            Phrase(
                _("Required evidence is missing: %(kinds)s."),
                kinds=Items(
                    Phrase.label(Evidence.Kind(item.kind).label)
                    for item in checklist
                    if item.required and not item.met
                ),
            )
        )
    for cert in certifications:
        if cert.expires_on is None:
            continue
        named = {
            "standard": cert.standard,
            "number": cert.number,
            "facility": cert.facility.manufacturer_name,
            "day": Date(cert.expires_on),
        }
        if cert.expires_on < today:
            failures.append(
                Phrase(
                    _(
                        "The %(standard)s certificate %(number)s of %(facility)s expired on "
                        "%(day)s."
                    ),
                    **named,
                )
            )
        elif cert.expires_on <= soon:
            warnings.append(
                Phrase(
                    _(
                        "The %(standard)s certificate %(number)s of %(facility)s expires on "
                        "%(day)s, within %(days)s days."
                    ),
                    days=EXPIRY_WARNING_DAYS,
                    **named,
                )
            )
    if not facilities:
        warnings.append(
            Phrase(
                _(
                    "The company lists no facility; add the factory that makes the goods (its "
                    "name, country and whether it is the company's own factory or a contract "
                    "manufacturer)."
                )
            )
        )
    for facility in facilities:
        abroad = facility.country.code != company.country.code
        if facility.ownership == Facility.Ownership.OWN and abroad and not explained:
            warnings.append(
                Phrase(
                    _(
                        "The own factory %(facility)s is in %(country)s, but the company is "
                        "registered in %(home)s; attach a factory ownership document explaining "
                        "it, or declare it as a contract manufacturer."
                    ),
                    facility=facility.manufacturer_name,
                    country=country_name(facility.country.code),
                    home=country_name(company.country.code),
                )
            )
    flags = (MISSING_ESSENTIALS,) if missing or not facilities else ()
    if failures or warnings:
        return Finding(
            "fail" if failures else "warn", failures + warnings, evidence, SOURCE, flags=flags
        )
    return Finding(
        "pass",
        Phrase(
            _(
                "Required evidence attached; %(facilities)s facility(ies) and "
                "%(certifications)s certification(s) on record, all in date."
            ),
            facilities=len(facilities),
            certifications=len(certifications),
        ),
        evidence,
        SOURCE,
    )
