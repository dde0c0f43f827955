"""Who may call what in the partner API: the scopes an operation needs, and marketplace systems."""

from rest_framework import permissions

from sellers.api.context import partner_call
from sellers.models import PartnerOrganization
from sellers.models.partner import Scope

READ = Scope.APPLICATIONS_READ.value
WRITE = Scope.APPLICATIONS_WRITE.value
EVIDENCE_WRITE = Scope.EVIDENCE_WRITE.value
MANAGE = Scope.WEBHOOKS_MANAGE.value
INDICATORS = Scope.INDICATORS_WRITE.value
ROSTER = Scope.ROSTER_READ.value


class HasScope(permissions.BasePermission):
    """The key must carry the scope that the view's ``required_scopes`` gives the action."""

    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        scope = view.required_scopes.get(view.action)
        if scope is None:
            self.message = "This operation is not available through the API."
            return False
        if scope in partner_call(request).actor.scopes:
            return True
        self.message = f"This API key does not have the {scope} scope."
        return False


class IsMarketplaceSystem(permissions.BasePermission):
    code = "insufficient_scope"
    message = "Only marketplace systems may read or update seller indicators."

    def has_permission(self, request, view) -> bool:
        return PartnerOrganization.objects.filter(
            pk=partner_call(request).actor.partner_id, is_marketplace_system=True
        ).exists()
