from reviews.models.identity import CompanyVerification
from reviews.models.marks import LogoHash, ReferenceMark, RegistryMark
from reviews.models.queues import QueueItem, QueueMembership, ReviewQueue
from reviews.models.recertification import RecertificationCase, RecertificationRun
from reviews.models.screening import CheckResult, ScreeningRequest, ScreeningRun
from reviews.models.staff import StaffProfile
from reviews.models.verification import RegistryVerification

__all__ = [
    "CheckResult",
    "CompanyVerification",
    "LogoHash",
    "QueueItem",
    "QueueMembership",
    "RecertificationCase",
    "RecertificationRun",
    "ReferenceMark",
    "RegistryMark",
    "RegistryVerification",
    "ReviewQueue",
    "ScreeningRequest",
    "ScreeningRun",
    "StaffProfile",
]
