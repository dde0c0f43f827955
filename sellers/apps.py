from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    name = "sellers"
    verbose_name = _("Sellers and applications")

    def ready(self) -> None:
        # Imported here, once the models exist: the receivers connect by being imported.
        from brandprogram.celery import tasks_register
        from sellers import receivers  # noqa: F401

        # Every process that publishes tasks knows them all before its first request or job.
        tasks_register()
