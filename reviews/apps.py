from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews and screening")

    def ready(self) -> None:
        from reviews import receivers
        from sellers.signals import application_status_changed

        application_status_changed.connect(
            receivers.start_screening_on_submit, dispatch_uid="reviews.start_screening"
        )
