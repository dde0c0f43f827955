from celery import shared_task


@shared_task(ignore_result=False)
def noop() -> None:
    """Nothing: its round trip is the broker's and the worker's own cost."""
