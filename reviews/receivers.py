from reviews import recertification, screening
from sellers.models import Status


def request_screening_on_submit(*, application_id: int, to_status: str, **kwargs) -> None:
    """Every move into "submitted" (submit, resubmit, a reviewer's re-screen) owes a screening.

    Runs inside the transition's transaction, so the request is stored if and only if the
    move is.
    """
    if to_status == Status.SUBMITTED:
        screening.screening_request_record(application_id=application_id)


def suspension_deadline(*, application_id: int, **kwargs):
    return recertification.recertification_suspension_deadline(application_id=application_id)
