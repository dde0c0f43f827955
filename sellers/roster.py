"""The program's roster: the brands admitted now, as partners and the storefront read them.

One shape for an entry, used by the roster API and by the ``brand.*`` webhook events.
"""

from django.db.models import OuterRef, QuerySet, Subquery

from sellers.models import Application, ApplicationEvent, Status
from sellers.workflow.table import seller_status_code

# A suspended brand stays on the roster, marked so, until it is reinstated or revoked.
ROSTER_STATUSES = (Status.APPROVED, Status.SUSPENDED)


def roster_base() -> QuerySet[Application]:
    """Applications with what an entry shows, whatever their status."""
    first_admission = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=Status.APPROVED)
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return (
        Application.objects.select_related("brand", "company")
        .prefetch_related("categories")
        .annotate(admitted_since=Subquery(first_admission))
    )


def roster() -> QuerySet[Application]:
    return roster_base().filter(status__in=ROSTER_STATUSES)


def roster_entry(application: Application) -> dict:
    brand, company = application.brand, application.company
    admitted = application.admitted_since
    return {
        "id": application.pk,
        "brand": {"id": brand.pk, "name": brand.name, "native_name": brand.native_name},
        "company": {
            "id": company.pk,
            "legal_name": company.legal_name,
            "country": str(company.country),
        },
        "categories": sorted(category.code for category in application.categories.all()),
        "tier": company.tier,
        "admitted_since": admitted.isoformat() if admitted else None,
        "status": seller_status_code(application.status),
    }
