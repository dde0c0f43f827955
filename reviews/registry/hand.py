"""The register read by hand: each office's public search, and a reviewer's verification read
back as the registry record it stands in for (offices we hold no registry data for)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from brandprogram.phrases import Date, Phrase, in_english
from reviews.models import RegistryVerification
from reviews.registry.base import RegistryRecord


@dataclass(frozen=True)
class PublicSearch:
    # In English, for the registry records' sources and the logs.
    name: str
    url: str
    # On the reviewer's pages and in findings, in the reader's language.
    label: str


# Where a reviewer looks a mark up by hand, per office (sellers.Trademark.Office).
PUBLIC_SEARCHES = {
    "CNIPA": PublicSearch(
        "CNIPA public search", "https://sbj.cnipa.gov.cn/sbj/sbcx/", _("CNIPA public search")
    ),
    "WIPO": PublicSearch(
        "WIPO Madrid Monitor",
        "https://www3.wipo.int/madrid/monitor/en/",
        _("WIPO Madrid Monitor"),
    ),
    "JPO": PublicSearch("JPO J-PlatPat", "https://www.j-platpat.inpit.go.jp/", _("JPO J-PlatPat")),
    "KIPO": PublicSearch("KIPO KIPRIS", "http://www.kipris.or.kr/", _("KIPO KIPRIS")),
    "EUIPO": PublicSearch("EUIPO eSearch", "https://euipo.europa.eu/eSearch/", _("EUIPO eSearch")),
    "UKIPO": PublicSearch(
        "UKIPO trade mark search",
        "https://trademarks.ipo.gov.uk/ipo-tmtext",
        _("UKIPO trade mark search"),
    ),
    "USPTO": PublicSearch("USPTO TSDR", "https://tsdr.uspto.gov/", _("USPTO TSDR")),
}


def public_search(office: str) -> PublicSearch:
    """The office's public search, or words for one we have no address for."""
    if office in PUBLIC_SEARCHES:
        return PUBLIC_SEARCHES[office]
    return PublicSearch("office's public register", "", _("office's public register"))


def latest_verification(*, trademark_id: int) -> RegistryVerification | None:
    return (
        RegistryVerification.objects.filter(trademark_id=trademark_id)
        .select_related("verified_by")
        .first()
    )


def applies_to(verification: RegistryVerification, *, office: str, number: str) -> bool:
    """Whether it looked up this office and canonical number; a new number needs a new look."""
    return (verification.office, verification.number) == (office, number)


def is_stale(verification: RegistryVerification, *, now=None) -> bool:
    age = timedelta(days=settings.MANUAL_VERIFICATION_MAX_AGE_DAYS)
    return verification.verified_at < (now or timezone.now()) - age


def verified_by_on(verification: RegistryVerification) -> Phrase:
    """ "Ana Li on Dec. 4, 2026": who looked, and the day in the program's time zone."""
    return Phrase(
        gettext_noop("%(name)s on %(day)s"),
        name=verification.verified_by_name,
        day=Date(timezone.localdate(verification.verified_at)),
    )


def verification_source(verification: RegistryVerification) -> Phrase:
    return Phrase(
        gettext_noop("%(search)s, verified by hand by %(who)s"),
        search=Phrase.label(public_search(verification.office).label),
        who=verified_by_on(verification),
    )


def verification_record(verification: RegistryVerification) -> RegistryRecord:
    """What the reviewer read on the register, in the shape of a registry record."""
    return RegistryRecord(
        office=verification.office,
        serial="",
        number=verification.number,
        # No office code: the reviewer read the status in words, which the state already says.
        status_code="",
        status_state=verification.status,
        # Our words, not the register's: the registry check shows them through the catalogue.
        status_text=gettext_noop("as read on the register"),
        mark_literal=verification.mark_words,
        drawing_type="figurative" if verification.figurative else "",
        nice_classes=tuple(verification.nice_classes),
        owner_name=verification.owner_name,
        expires_on=verification.valid_until,
        data_version=f"verification {verification.pk}",
        source=in_english([verification_source(verification)]),
        source_phrase=verification_source(verification),
    )
