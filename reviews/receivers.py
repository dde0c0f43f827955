from reviews import tasks
from sellers.models import Status


def start_screening_on_submit(*, application_id: int, to_status: str, **kwargs) -> None:
    """Every move into "submitted" (submit, resubmit, a reviewer's re-screen) starts screening."""
    if to_status == Status.SUBMITTED:
        tasks.screen_application.delay(application_id=application_id)
