from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    name = "sellers"
    verbose_name = _("Sellers and applications")

    def ready(self) -> None:
        # Mail and portal notifications follow the workflow's after-commit announcement.
        from sellers import receivers  # noqa: F401
