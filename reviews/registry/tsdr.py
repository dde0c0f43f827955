"""USPTO TSDR case status over HTTP, read from its ST.96 XML by reviews.registry.st96.

A case is fetched by serial number (8 digits) or registration number (7 digits). Server
errors, rate limiting and timeouts are retried here a few times with growing pauses; if the
registry still fails, RegistryUnavailable lets the check task retry later.
"""

import logging
import time
import urllib.error
import urllib.request

from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from brandprogram.phrases import Phrase
from reviews.registry.base import RegistryError, RegistryRecord, RegistryUnavailable
from reviews.registry.st96 import St96FormatError, local_name, trademark_fields

logger = logging.getLogger(__name__)

TRANSIENT_STATUSES = {408, 429, 500, 502, 503, 504}


class TsdrRegistry:
    source = "USPTO TSDR case status"
    source_phrase = Phrase(gettext_noop("USPTO TSDR case status"))

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
        trademark = next((e for e in root.iter() if local_name(e.tag) == "Trademark"), None)
        if trademark is None:
            raise RegistryError("TSDR answered without a Trademark")
        try:
            fields = trademark_fields(trademark, office="USPTO")
        except St96FormatError as exc:
            raise RegistryError(f"TSDR answered with an unreadable case: {exc}") from None
        return RegistryRecord(
            **fields
            | {"nice_classes": tuple(fields["nice_classes"]), "events": tuple(fields["events"])},
            data_version=self.data_version(),
            source=self.source,
            source_phrase=self.source_phrase,
        )
