"""The base view of every partner API resource: key, scope, idempotent POSTs, ids in URLs."""

from rest_framework import permissions, viewsets

from sellers.api.idempotency import IdempotentMixin
from sellers.api.permissions import HasScope


# A comment, not a docstring: the API description takes each view's docstring as its text.
class PartnerViewSet(IdempotentMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, HasScope]
    lookup_value_regex = r"\d+"
    # No OPTIONS schema: the operations are documented, and every request needs a scope.
    metadata_class = None
    required_scopes: dict[str, str] = {}
    # Views whose answer may come from the cache (see sellers.api.cache).
    cached_actions: frozenset[str] = frozenset()

    def cached_application_id(self) -> int | None:
        """The application whose stored answer this request may be given, if any."""
        if self.action in self.cached_actions:
            return int(self.kwargs["pk"])
        return None
