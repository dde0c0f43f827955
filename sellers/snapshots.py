"""Submission snapshots: what an application said each time it was sent for review."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from brandprogram.db import CompiledOnce
from sellers.models import Application, ApplicationSnapshot, Evidence

FIELD_LABELS = {
    "brand.name": _("Brand name"),
    "brand.native_name": _("Native-script name"),
    "trademark.office": _("Trademark office"),
    "trademark.number": _("Trademark number"),
    "trademark.registration_status": _("Registration status"),
    "trademark.mark_type": _("Mark type"),
    "trademark.nice_classes": _("Nice classes"),
    "trademark.owner_name": _("Owner on record"),
    "trademark.expires_on": _("Expiry date"),
    "categories": _("Categories"),
}


def _files(application_id: int):
    return (
        Evidence.objects.filter(application_id=application_id)
        .current()
        .order_by("pk")
        .values_list("kind", "original_name", "sha256")
    )


# Read at every submission: compiling the read took longer than running it.
_FILES = CompiledOnce(_files, application_id=-2_102_938_471)


def evidence_files(application: Application) -> list[dict]:
    """The application's current files as a snapshot lists them, in the order they came."""
    return [
        {"kind": kind, "name": name, "sha256": sha256}
        for kind, name, sha256 in _FILES.rows(application_id=application.pk)
    ]


def snapshot_data(
    application: Application,
    files: list[dict] | None = None,
    category_codes: Iterable[str] | None = None,
) -> dict:
    """``files`` are ``evidence_files(application)`` and ``category_codes`` the codes of its
    categories when the caller has read them already."""
    if category_codes is None:
        category_codes = application.categories.values_list("code", flat=True)
    brand, mark = application.brand, application.trademark
    return {
        "brand": {"name": brand.name, "native_name": brand.native_name},
        "trademark": {
            "office": mark.office,
            "number": mark.number,
            "registration_status": mark.registration_status,
            "mark_type": mark.mark_type,
            "nice_classes": list(mark.nice_classes),
            "owner_name": mark.owner_name,
            "expires_on": mark.expires_on.isoformat() if mark.expires_on else None,
        },
        "categories": sorted(category_codes),
        "evidence": evidence_files(application) if files is None else files,
    }


def snapshot_take(
    *,
    application: Application,
    action: str,
    files: list[dict] | None = None,
    category_codes: Iterable[str] | None = None,
) -> ApplicationSnapshot:
    """``application`` as the transition locked it, with its brand and trademark."""
    return ApplicationSnapshot.objects.create(
        application=application,
        action=action,
        data=snapshot_data(application, files, category_codes),
    )


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _flat(data: dict) -> dict[str, str]:
    flat = {
        f"{group}.{key}": value
        for group in ("brand", "trademark")
        for key, value in data[group].items()
    }
    flat["categories"] = data["categories"]
    return {
        key: ", ".join(map(str, value))
        if isinstance(value, list)
        else ("" if value is None else str(value))
        for key, value in flat.items()
    }


def snapshot_changes(previous: dict, current: dict) -> tuple[list[Change], list[dict], list[dict]]:
    """Changed fields, evidence files added and removed (by content), between two snapshots."""
    before, after = _flat(previous), _flat(current)
    changes = [
        Change(str(FIELD_LABELS[key]), before.get(key, ""), after[key])
        for key in FIELD_LABELS
        if before.get(key, "") != after.get(key, "")
    ]
    old_files = {item["sha256"]: item for item in previous["evidence"]}
    new_files = {item["sha256"]: item for item in current["evidence"]}
    added = [item for sha, item in new_files.items() if sha not in old_files]
    removed = [item for sha, item in old_files.items() if sha not in new_files]
    return changes, added, removed


def changes_since_last_submission(application: Application) -> dict | None:
    """The difference between the two latest snapshots, or None before a resubmission."""
    latest = list(application.snapshots.order_by("-created_at", "-pk")[:2])
    if len(latest) < 2:
        return None
    current, previous = latest
    changes, added, removed = snapshot_changes(previous.data, current.data)
    return {
        "previous": previous,
        "current": current,
        "changes": changes,
        "added": added,
        "removed": removed,
    }
