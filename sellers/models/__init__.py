from sellers.models.application import (
    Application,
    ApplicationEvent,
    ApplicationSnapshot,
    Evidence,
    ReasonCode,
    RequestedEvidence,
    Status,
)
from sellers.models.brand import AuthorizationLink, Brand, Trademark
from sellers.models.company import ConflictOfInterest, Membership, SellerCompany, StaffInvitation
from sellers.models.draft import ApplicationDraft
from sellers.models.indicators import IndicatorUpdate
from sellers.models.message import ApplicationMessage, MessageAttachment
from sellers.models.notification import ExpiryWarning, Notification
from sellers.models.partner import ApiKey, IdempotencyRecord, PartnerGrant, PartnerOrganization
from sellers.models.program import Category, CategoryRequirement, NiceClass, Program
from sellers.models.reading import DocumentReading
from sellers.models.record_control import TrademarkVerificationCode
from sellers.models.supply import Certification, Facility
from sellers.models.tiers import TierAssessment, TierChange, TieringRun
from sellers.models.webhook import WebhookDelivery, WebhookEndpoint, WebhookSecret

__all__ = [
    "ApiKey",
    "Application",
    "ApplicationDraft",
    "ApplicationEvent",
    "ApplicationMessage",
    "ApplicationSnapshot",
    "AuthorizationLink",
    "Brand",
    "Category",
    "CategoryRequirement",
    "Certification",
    "ConflictOfInterest",
    "DocumentReading",
    "Evidence",
    "ExpiryWarning",
    "Facility",
    "IdempotencyRecord",
    "IndicatorUpdate",
    "Membership",
    "MessageAttachment",
    "NiceClass",
    "Notification",
    "PartnerGrant",
    "PartnerOrganization",
    "Program",
    "ReasonCode",
    "RequestedEvidence",
    "SellerCompany",
    "StaffInvitation",
    "Status",
    "TierAssessment",
    "TierChange",
    "TieringRun",
    "Trademark",
    "TrademarkVerificationCode",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookSecret",
]
