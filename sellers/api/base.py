"""The base view of every partner API resource: key, scope, idempotent POSTs, ids in URLs."""

from rest_framework import exceptions, permissions, viewsets

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
    # Lists whose pages may come from the cache.
    cached_list_actions: frozenset[str] = frozenset()

    @property
    def allowed_methods(self) -> list[str]:
        """The methods this address offers: those routed to an operation (OPTIONS is not)."""
        routed = getattr(self, "action_map", None)
        if routed is None:
            return super().allowed_methods
        return [method.upper() for method in self.http_method_names if method in routed]

    def check_permissions(self, request) -> None:
        # DRF checks scopes before it looks for the method, so a method no operation offers
        # was refused as a missing scope. A caller with a valid key learns it is the method
        # (405, with Allow); one without a key is still told to authenticate first (401).
        offered = [method.lower() for method in self.allowed_methods]
        if request.successful_authenticator is not None and request.method.lower() not in offered:
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)

    def caches_list(self) -> bool:
        """Whether this request's page may come from the cache."""
        return self.action in self.cached_list_actions

    def cached_application_id(self) -> int | None:
        """The application whose stored answer this request may be given, if any."""
        if self.action in self.cached_actions:
            return int(self.kwargs["pk"])
        return None
