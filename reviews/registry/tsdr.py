"""USPTO TSDR case status over HTTP, read from its ST.96 XML.

A case is fetched by serial number (8 digits) or registration number (7 digits). Server
errors, rate limiting and timeouts are retried here a few times with growing pauses; if the
registry still fails, RegistryUnavailable lets the check task retry later.
"""

import logging
import time
import urllib.error
import urllib.request
from datetime import date

from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.utils import timezone

from reviews.registry.base import RegistryError, RegistryRecord, RegistryUnavailable
from reviews.registry.status import uspto_state, uspto_term_end

logger = logging.getLogger(__name__)

TRANSIENT_STATUSES = {408, 429, 500, 502, 503, 504}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _st96_date(text: str) -> date | None:
    # ST.96 dates may carry a zone offset: "2022-05-10-04:00".
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


class TsdrRegistry:
    source = "USPTO TSDR case status"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        key_header: str,
        timeout: float,
        attempts: int,
        backoff: float,
    ):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"the TSDR base URL must be http(s), got {base_url!r}")
        self.base_url, self.api_key, self.key_header = base_url, api_key, key_header
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff

    @classmethod
    def from_settings(cls, *, attempts: int | None = None) -> "TsdrRegistry":
        return cls(
            base_url=settings.TSDR_BASE_URL,
            api_key=settings.TSDR_API_KEY,
            key_header=settings.TSDR_API_KEY_HEADER,
            timeout=settings.TSDR_TIMEOUT_SECONDS,
            attempts=attempts or settings.TSDR_ATTEMPTS,
            backoff=settings.TSDR_BACKOFF_SECONDS,
        )

    def data_version(self) -> str:
        return f"live {timezone.localdate():%Y-%m-%d}"

    def lookup(self, number: str) -> RegistryRecord | None:
        kind = "sn" if len(number) == 8 else "rn"
        body = self._fetch(f"{self.base_url}/{kind}{number}/info.xml")
        return None if body is None else self.parse(body)

    def _fetch(self, url: str) -> bytes | None:
        headers = {"Accept": "application/xml"}
        if self.api_key:
            headers[self.key_header] = self.api_key
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                # The scheme is fixed to http(s) by __init__.
                request = urllib.request.Request(url, headers=headers)  # noqa: S310
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return None
                if exc.code not in TRANSIENT_STATUSES:
                    raise RegistryError(f"TSDR refused the request: HTTP {exc.code}") from exc
                problem = f"HTTP {exc.code}"
            except (urllib.error.URLError, TimeoutError) as exc:
                problem = str(getattr(exc, "reason", exc))
            logger.info("TSDR attempt %s for %s failed: %s", attempt + 1, url, problem)
        raise RegistryUnavailable(f"TSDR did not answer after {self.attempts} attempts ({problem})")

    def parse(self, body: bytes) -> RegistryRecord:
        root = fromstring(body)
        first: dict[str, str] = {}
        classes: list[int] = []
        email, email_changed = "", None
        for element in root.iter():
            name, text = _local(element.tag), (element.text or "").strip()
            if text and name not in first:
                first[name] = text
            if name == "ClassDescription":
                kind = next(
                    (
                        (child.text or "").strip()
                        for child in element
                        if _local(child.tag) == "ClassificationKindCode"
                    ),
                    "Nice",
                )
                number = next(
                    ((c.text or "").strip() for c in element if _local(c.tag) == "ClassNumber"),
                    "",
                )
                if kind == "Nice" and number.isdigit() and 1 <= int(number) <= 45:
                    classes.append(int(number))
            elif name.startswith("NationalCorrespondent") or name == "Correspondence":
                email = email or next(
                    (
                        (e.text or "").strip()
                        for e in element.iter()
                        if _local(e.tag) == "EmailAddressText"
                    ),
                    "",
                )
            elif name == "MarkEvent":
                event = {_local(c.tag): (c.text or "").strip() for c in element}
                if "CORRESPONDEN" in event.get("MarkEventDescriptionText", "").upper():
                    changed = _st96_date(event.get("MarkEventDate", ""))
                    if changed and (email_changed is None or changed > email_changed):
                        email_changed = changed
        if "ApplicationNumberText" not in first:
            raise RegistryError("TSDR answered without an ApplicationNumberText")
        status_code = first.get("MarkCurrentStatusCode", "")
        state = uspto_state(status_code)
        registration_date = _st96_date(first.get("RegistrationDate", ""))
        status_date = _st96_date(first.get("MarkCurrentStatusDate", ""))
        return RegistryRecord(
            office="USPTO",
            serial=first["ApplicationNumberText"],
            number=first.get("RegistrationNumber", "").lstrip("0"),
            status_code=status_code,
            status_state=state,
            status_date=status_date,
            mark_literal=first.get("MarkVerbalElementText", ""),
            drawing_type=first.get("MarkFeatureCategory", ""),
            nice_classes=tuple(sorted(set(classes))),
            owner_name=first.get("LegalEntityName", ""),
            correspondent_email=email or first.get("EmailAddressText", ""),
            correspondent_email_changed_on=email_changed,
            filing_date=_st96_date(first.get("ApplicationDate", "")),
            registration_date=registration_date,
            expires_on=uspto_term_end(
                registration_date=registration_date,
                renewal_date=_st96_date(first.get("RenewalDate", "")),
                state=state,
            ),
            data_version=self.data_version(),
            source=self.source,
        )
