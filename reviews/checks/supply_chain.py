"""The goods have a traceable source: the categories' required evidence is attached, the
facilities' certifications are in date, and the declared factories make sense for the company."""

from datetime import timedelta

from django.utils import timezone

from reviews.checks.base import MISSING_ESSENTIALS, Finding
from sellers.models import Certification, Evidence, Facility
from sellers.requirements import evidence_checklist
from sellers.selectors import current_evidence

CODE = "supply_chain"
TITLE = "Supply chain"
QUICK = True
# A certificate that lapses this soon may be gone before the first order ships.
EXPIRY_WARNING_DAYS = 30


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
        failures.append(f"Required evidence is missing: {', '.join(missing)}.")
    for cert in certifications:
        if cert.expires_on is None:
            continue
        named = f"{cert.standard} certificate {cert.number} of {cert.facility.manufacturer_name}"
        if cert.expires_on < today:
            failures.append(f"The {named} expired on {cert.expires_on.isoformat()}.")
        elif cert.expires_on <= soon:
            warnings.append(
                f"The {named} expires on {cert.expires_on.isoformat()}, within "
                f"{EXPIRY_WARNING_DAYS} days."
            )
    if not facilities:
        warnings.append(
            "The company lists no facility; add the factory that makes the goods (its name, "
            "country and whether it is the company's own factory or a contract manufacturer)."
        )
    for facility in facilities:
        abroad = facility.country.code != company.country.code
        if facility.ownership == Facility.Ownership.OWN and abroad and not explained:
            warnings.append(
                f"The own factory {facility.manufacturer_name} is in {facility.country.name}, "
                f"but the company is registered in {company.country.name}; attach a factory "
                "ownership document explaining it, or declare it as a contract manufacturer."
            )
    flags = (MISSING_ESSENTIALS,) if missing or not facilities else ()
    source = "application evidence and the company's supply-chain records"
    if failures or warnings:
        return Finding(
            "fail" if failures else "warn",
            " ".join(failures + warnings),
            evidence,
            source,
            flags=flags,
        )
    return Finding(
        "pass",
        f"Required evidence attached; {len(facilities)} facility(ies) and "
        f"{len(certifications)} certification(s) on record, all in date.",
        evidence,
        source,
    )
