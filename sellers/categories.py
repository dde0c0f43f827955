"""The category tree and a company's focus on one or two main categories.

A main category is a top-level category of the tree (sellers/data/categories.json); an
application names categories under them. A company's focus is the main categories it names in
its profile together with those of every application it has open or admitted; the program
takes specialists, so the focus may span two main categories at most.
"""

import json
from pathlib import Path

from django.utils.translation import gettext

from sellers.models import Application, Category, SellerCompany
from sellers.models.application import CLOSED_STATUSES

TREE_FILE = Path(__file__).resolve().parent / "data" / "categories.json"
MAX_MAIN_CATEGORIES = 2


def category_tree_load(category_model=Category, path: Path = TREE_FILE) -> None:
    """Create or update the categories of the tree file (codes stay, names, classes and
    parents follow the file). Takes the model so a data migration can pass its own."""
    tree = json.loads(path.read_text(encoding="utf-8"))
    for main in tree["main_categories"]:
        children = main["children"]
        top, _ = category_model.objects.update_or_create(
            code=main["code"],
            defaults={
                "name": main["name"],
                "parent": None,
                "nice_classes": sorted({n for child in children for n in child["nice_classes"]}),
            },
        )
        for child in children:
            category_model.objects.update_or_create(
                code=child["code"],
                defaults={
                    "name": child["name"],
                    "parent": top,
                    "nice_classes": child["nice_classes"],
                },
            )


def main_category(category: Category) -> Category:
    """The top-level category a category belongs to (itself when it has no parent)."""
    return category.parent if category.parent_id else category


def main_categories_of(categories) -> list[Category]:
    """The distinct main categories of some categories, in name order."""
    tops = {top.pk: top for top in map(main_category, categories)}
    return sorted(tops.values(), key=str)


def company_focus(
    company: SellerCompany, *, declared=None, exclude_application_id: int | None = None
) -> list[Category]:
    """The company's main categories: those it declared (or ``declared`` instead) and those
    of its open and admitted applications, but for the one excluded."""
    if declared is None:
        declared = company.main_categories.select_related("parent")
    applications = Application.objects.filter(company=company).exclude(status__in=CLOSED_STATUSES)
    if exclude_application_id is not None:
        applications = applications.exclude(pk=exclude_application_id)
    applied = Category.objects.filter(applications__in=applications).select_related("parent")
    return main_categories_of([*declared, *applied])


def focus_problem(focus: list[Category]) -> str | None:
    """Why a focus breaks the one-or-two rule, or None."""
    if len(focus) <= MAX_MAIN_CATEGORIES:
        return None
    return gettext(
        "That makes %(count)s main categories (%(names)s); the program takes companies "
        "focused on one or two. Withdraw the applications in another main category, or stay "
        "within your main categories."
    ) % {"count": len(focus), "names": ", ".join(str(top) for top in focus)}


def focus_checked(
    company: SellerCompany,
    categories,
    errors: dict,
    *,
    exclude_application_id: int | None = None,
    field: str = "categories",
) -> None:
    """Add to ``errors`` when an application in ``categories`` would take the company past
    two main categories."""
    focus = company_focus(company, exclude_application_id=exclude_application_id)
    problem = focus_problem(main_categories_of([*focus, *categories]))
    if problem:
        errors.setdefault(field, []).append(problem)
