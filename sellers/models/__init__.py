from sellers.models.application import Application, ApplicationEvent, Evidence, Status
from sellers.models.brand import AuthorizationLink, Brand, Trademark
from sellers.models.company import Membership, SellerCompany
from sellers.models.partner import ApiKey, PartnerGrant, PartnerOrganization
from sellers.models.program import Category, Program
from sellers.models.supply import Certification, Facility

__all__ = [
    "ApiKey",
    "Application",
    "ApplicationEvent",
    "AuthorizationLink",
    "Brand",
    "Category",
    "Certification",
    "Evidence",
    "Facility",
    "Membership",
    "PartnerGrant",
    "PartnerOrganization",
    "Program",
    "SellerCompany",
    "Status",
    "Trademark",
]
