"""What evidence an application still lacks, from the requirements of its categories."""

from dataclasses import dataclass

from brandprogram.db import CompiledOnce
from sellers.models import Application, Category, CategoryRequirement, Evidence


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    required: bool
    met: bool


def _requirements(application_id: int):
    # As application.categories reads them, in the categories' order.
    return Category.objects.filter(applications__id=application_id).values_list(
        "code", "requirements__kind", "requirements__required"
    )


# Read at every submission: compiling the read took longer than running it.
_REQUIREMENTS = CompiledOnce(_requirements, application_id=-2_102_938_470)


def requirements_by_category(application: Application) -> dict[str, list[tuple[str, bool]]]:
    """The application's categories by code, each with its evidence requirements as
    ``(kind, required)``: one read that serves a submission's check and its snapshot."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for code, kind, required in _REQUIREMENTS.rows(application_id=application.pk):
        pairs = found.setdefault(code, [])
        if kind is not None:
            pairs.append((kind, required))
    return found


def evidence_present(application: Application) -> set[str]:
    """The kinds of current evidence attached to the application; empty when none is."""
    return set(application.evidence.current().values_list("kind", flat=True).distinct())


def evidence_checklist(
    application: Application,
    present: set[str] | None = None,
    categories: dict[str, list[tuple[str, bool]]] | None = None,
) -> list[ChecklistItem]:
    """One line per evidence kind the application's categories ask for, required ones first.

    A kind required by any of the categories is required for the application. ``present``
    is ``evidence_present(application)`` and ``categories`` is
    ``requirements_by_category(application)`` when the caller has read them already.
    """
    if categories is None:
        requirements = CategoryRequirement.objects.filter(
            category__in=application.categories.all()
        ).values_list("kind", "required")
    else:
        requirements = [pair for pairs in categories.values() for pair in pairs]
    required_by_kind: dict[str, bool] = {}
    for kind, required in requirements:
        required_by_kind[kind] = required_by_kind.get(kind, False) or required
    if present is None:
        present = evidence_present(application)
    items = [
        ChecklistItem(
            kind=kind,
            label=str(Evidence.Kind(kind).label),
            required=required,
            met=kind in present,
        )
        for kind, required in required_by_kind.items()
    ]
    order = list(Evidence.Kind.values)
    return sorted(items, key=lambda item: (not item.required, order.index(item.kind)))


def missing_evidence(
    application: Application,
    present: set[str] | None = None,
    categories: dict[str, list[tuple[str, bool]]] | None = None,
) -> list[ChecklistItem]:
    """The required documents not attached yet, in the checklist's order."""
    return [
        item
        for item in evidence_checklist(application, present, categories)
        if item.required and not item.met
    ]
