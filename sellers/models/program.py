from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sellers.models.application import Evidence


class Category(models.Model):
    """A marketplace category and the Nice classes whose goods it sells (reference data,
    sellers/data/categories.json). Top-level categories are the main categories a company
    focuses on; applications name the categories under them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    nice_classes = models.JSONField(
        _("Nice classes"),
        default=list,
        help_text=_("Classes of the Nice classification (1-45) that cover this category's goods."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        # The stored English name is a msgid of the catalogue (see migration 0002), so the
        # portal shows it in the reader's language.
        return gettext(self.name)


class Program(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=1000, validators=[MinValueValidator(1)]
    )
    stage_decisions = models.BooleanField(
        _("stage decisions"),
        default=False,
        help_text=_(
            "Final decisions take effect (an approval holds a place) but sellers learn of them "
            "only when a program manager releases them."
        ),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="program_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        # Like category names: the program's English name is a msgid of the catalogue.
        return gettext(self.name)


class CategoryRequirement(models.Model):
    """A kind of evidence a category asks for (reference data, kept by program managers)."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    kind = models.CharField(_("evidence kind"), max_length=32, choices=Evidence.Kind.choices)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required documents must be attached before an application is submitted."),
    )

    class Meta:
        ordering = ["category", "-required", "kind"]
        verbose_name = _("category requirement")
        verbose_name_plural = _("category requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "kind"], name="category_requirement_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        need = _("required") if self.required else _("optional")
        return f"{self.category}: {self.get_kind_display()} ({need})"


class NiceClass(models.Model):
    """A class of the Nice classification with its heading, per edition (reference data)."""

    edition = models.CharField(_("edition"), max_length=20)
    number = models.PositiveSmallIntegerField(_("class"))
    # English, as published; also a msgid of the catalogue (see migration 0007).
    heading = models.TextField(_("class heading"))

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("Nice class")
        verbose_name_plural = _("Nice classes")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="nice_class_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.edition})"
