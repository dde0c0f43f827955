from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    name = "sellers"
    verbose_name = _("Sellers and applications")

    def ready(self) -> None:
        # Connecting the receivers is why the module is imported here, once the models exist.
        from sellers import receivers  # noqa: F401
