from sellers.models.application import (
    Application,
    ApplicationEvent,
    ApplicationSnapshot,
    Evidence,
    RequestedEvidence,
    Status,
)
from sellers.models.brand import AuthorizationLink, Brand, Trademark
from sellers.models.company import ConflictOfInterest, Membership, SellerCompany
from sellers.models.draft import ApplicationDraft
from sellers.models.notification import Notification
from sellers.models.partner import ApiKey, PartnerGrant, PartnerOrganization
from sellers.models.program import Category, CategoryRequirement, NiceClass, Program
from sellers.models.supply import Certification, Facility

__all__ = [
    "ApiKey",
    "Application",
    "ApplicationDraft",
    "ApplicationEvent",
    "ApplicationSnapshot",
    "AuthorizationLink",
    "Brand",
    "Category",
    "CategoryRequirement",
    "Certification",
    "ConflictOfInterest",
    "Evidence",
    "Facility",
    "Membership",
    "NiceClass",
    "Notification",
    "PartnerGrant",
    "PartnerOrganization",
    "Program",
    "RequestedEvidence",
    "SellerCompany",
    "Status",
    "Trademark",
]
