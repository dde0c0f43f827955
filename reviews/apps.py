from celery.signals import worker_init
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews and screening")

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules load models. reviews.tasks is
        # among them because screening_dispatch looks run_check up by its registered name (to
        # set time limits per call) and nothing else imports the module in a web process.
        from reviews import metrics, receivers, tasks  # noqa: F401
        from reviews.models import ScreeningRun
        from sellers.signals import (
            application_message_posted,
            application_status_changing,
            company_verification_requested,
            suspension_deadline_lookup,
            trademark_registry_lookup,
        )

        _check_the_checks()
        application_status_changing.connect(
            receivers.request_screening_on_submit, dispatch_uid="reviews.request_screening"
        )
        application_status_changing.connect(
            receivers.follow_in_queues, dispatch_uid="reviews.follow_in_queues"
        )
        application_status_changing.connect(
            receivers.tell_of_proposals, dispatch_uid="reviews.tell_of_proposals"
        )
        application_message_posted.connect(
            receivers.tell_of_seller_message, dispatch_uid="reviews.tell_of_seller_message"
        )
        application_message_posted.connect(
            receivers.scan_message_files, dispatch_uid="reviews.scan_message_files"
        )
        suspension_deadline_lookup.connect(
            receivers.suspension_deadline, dispatch_uid="reviews.suspension_deadline"
        )
        trademark_registry_lookup.connect(
            receivers.registry_hint, dispatch_uid="reviews.registry_hint"
        )
        company_verification_requested.connect(
            receivers.open_company_verification, dispatch_uid="reviews.company_verification"
        )
        post_save.connect(
            metrics.record_run_duration, sender=ScreeningRun, dispatch_uid="reviews.run_metrics"
        )
        user_logged_in.connect(
            receivers.remember_staff_language, dispatch_uid="reviews.remember_staff_language"
        )
        # Sent once Django is set up, before the pool starts.
        worker_init.connect(receivers.prepare_worker, dispatch_uid="reviews.prepare_worker")


def _check_the_checks() -> None:
    """Refuse to start with a SCREENING_CHECKS entry that is not a check, rather than fail on
    the first submission."""
    # Called from ready(): the check modules may load models.
    from reviews.checks import enabled_checks

    try:
        checks = enabled_checks()
    except ImportError as exc:
        raise ImproperlyConfigured(f"SCREENING_CHECKS: {exc}") from exc
    codes = []
    for check in checks:
        if not all(hasattr(check, name) for name in ("CODE", "TITLE", "run")):
            raise ImproperlyConfigured(
                f"SCREENING_CHECKS: {check.__name__} lacks CODE, TITLE or run()"
            )
        codes.append(check.CODE)
    if len(set(codes)) != len(codes):
        raise ImproperlyConfigured(f"SCREENING_CHECKS: two checks share a code ({codes})")
