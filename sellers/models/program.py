from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A marketplace category and the Nice classes whose goods it sells (reference data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
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
        return self.name


class Program(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=1000, validators=[MinValueValidator(1)]
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
        return self.name
