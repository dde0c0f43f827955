"""Trademark registries behind one interface: ``registry_for(office).lookup(number)``.

``lookup`` returns a RegistryRecord, or None when the registry has no such mark; it raises
NoRegistryData for an office we hold nothing for, RegistryUnavailable for a fault worth
retrying and RegistryError for one that is not.
"""

from django.conf import settings

from reviews.registry.local import LocalRegistry
from reviews.registry.tsdr import TsdrRegistry


def registry_for(office: str, *, waiting_person: bool = False) -> LocalRegistry | TsdrRegistry:
    """``waiting_person``: the lookup runs inside a web request, so a live registry is asked
    once, without the retries and pauses a background check can afford."""
    if office == "USPTO" and settings.TSDR_BASE_URL:
        return TsdrRegistry.from_settings(attempts=1 if waiting_person else None)
    return LocalRegistry(office)
