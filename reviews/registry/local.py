"""The registry as imported into the database (``manage.py import_registry``)."""

from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext_noop

from brandprogram.phrases import Phrase, in_english
from reviews.models import RegistryMark
from reviews.registry.base import NoRegistryData, RegistryRecord

MADRID = "WIPO"


def local_source(office: str) -> Phrase:
    return Phrase(gettext_noop("%(office)s bulk data (local copy)"), office=office)


class LocalRegistry:
    def __init__(self, office: str):
        self.office = office
        self.source_phrase = local_source(office)
        self.source = in_english([self.source_phrase])

    def lookup(self, number: str) -> RegistryRecord | None:
        marks = RegistryMark.objects.filter(office=self.office)
        designations = RegistryMark.objects.none()
        if self.office == MADRID:
            designations = RegistryMark.objects.exclude(office=MADRID).exclude(
                international_registration_number=""
            )
        if not marks.exists() and not designations.exists():
            raise NoRegistryData(f"No {self.office} registry data has been imported.")
        # The seller gives the registration number, or the application number while pending.
        mark = marks.filter(Q(number=number) | Q(serial=number)).order_by("-status_date").first()
        if mark is None:
            mark = self._designation(designations.filter(international_registration_number=number))
        return None if mark is None else self._record(mark)

    @staticmethod
    def _designation(marks) -> RegistryMark | None:
        """An international registration is verified on an office that holds it: a designation
        (a USPTO serial starting 79) before the registration it is based on, a live record
        before a pending one, and a pending one before a dead one."""
        return (
            marks.annotate(
                designated=Case(
                    When(office="USPTO", serial__startswith="79", then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                rank=Case(
                    When(status_state=RegistryMark.State.REGISTERED, then=Value(0)),
                    When(status_state=RegistryMark.State.PENDING, then=Value(1)),
                    When(status_state=RegistryMark.State.UNKNOWN, then=Value(2)),
                    default=Value(3),
                    output_field=IntegerField(),
                ),
            )
            .order_by("designated", "rank", "-status_date", "office")
            .first()
        )

    def _record(self, mark: RegistryMark) -> RegistryRecord:
        return RegistryRecord(
            office=mark.office,
            serial=mark.serial,
            number=mark.number,
            status_code=mark.status_code,
            status_state=mark.status_state,
            status_date=mark.status_date,
            status_text=mark.status_text,
            mark_literal=mark.mark_literal,
            drawing_type=mark.drawing_type,
            nice_classes=tuple(mark.nice_classes),
            owner_name=mark.owner_name,
            owner_entity_type=mark.owner_entity_type,
            owner_nationality=mark.owner_nationality,
            goods_services=mark.goods_services,
            international_registration_number=mark.international_registration_number,
            events=tuple(mark.events),
            correspondent_email=mark.correspondent_email,
            correspondent_email_changed_on=mark.correspondent_email_changed_on,
            filing_date=mark.filing_date,
            registration_date=mark.registration_date,
            expires_on=mark.expires_on,
            data_version=mark.data_version,
            source=in_english([local_source(mark.office)]),
            source_phrase=local_source(mark.office),
        )

    def data_version(self) -> str:
        marks = RegistryMark.objects.filter(office=self.office)
        if self.office == MADRID:
            marks = RegistryMark.objects.filter(
                Q(office=MADRID) | ~Q(international_registration_number="")
            )
        return marks.aggregate(latest=Max("data_version"))["latest"] or ""
