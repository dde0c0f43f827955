"""The registry as imported into the database (``manage.py import_registry``)."""

from django.db.models import Max, Q

from reviews.models import RegistryMark
from reviews.registry.base import NoRegistryData, RegistryRecord


class LocalRegistry:
    def __init__(self, office: str):
        self.office = office
        self.source = f"{office} bulk data (local copy)"

    def lookup(self, number: str) -> RegistryRecord | None:
        marks = RegistryMark.objects.filter(office=self.office)
        if not marks.exists():
            raise NoRegistryData(f"No {self.office} registry data has been imported.")
        # The seller gives the registration number, or the application number while pending.
        mark = marks.filter(Q(number=number) | Q(serial=number)).order_by("-status_date").first()
        if mark is None:
            return None
        return RegistryRecord(
            office=mark.office,
            serial=mark.serial,
            number=mark.number,
            status_code=mark.status_code,
            status_state=mark.status_state,
            status_date=mark.status_date,
            mark_literal=mark.mark_literal,
            drawing_type=mark.drawing_type,
            nice_classes=tuple(mark.nice_classes),
            owner_name=mark.owner_name,
            correspondent_email=mark.correspondent_email,
            correspondent_email_changed_on=mark.correspondent_email_changed_on,
            filing_date=mark.filing_date,
            registration_date=mark.registration_date,
            expires_on=mark.expires_on,
            data_version=mark.data_version,
            source=self.source,
        )

    def data_version(self) -> str:
        marks = RegistryMark.objects.filter(office=self.office)
        return marks.aggregate(latest=Max("data_version"))["latest"] or ""
