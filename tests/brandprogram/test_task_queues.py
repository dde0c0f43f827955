"""Tasks are routed by name to the screening, documents, notifications and webhooks queues."""

import pytest

from brandprogram.celery import app as celery_app
from sellers.tasks import mail_send


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("reviews.tasks.run_check", "screening"),
        ("reviews.tasks.screen_application", "screening"),
        ("reviews.tasks.screening_sweep", "screening"),
        ("sellers.tasks.evidence_read", "documents"),
        ("sellers.tasks.company_licence_read", "documents"),
        ("sellers.tasks.authorization_letter_read", "documents"),
        ("sellers.tasks.notification_mail", "notifications"),
        ("sellers.tasks.mail_send", "notifications"),
        ("sellers.tasks.notifications_sweep", "notifications"),
        ("sellers.tasks.idempotency_records_purge", "notifications"),
        ("sellers.tasks.webhook_deliver", "webhooks"),
        ("sellers.tasks.webhook_sweep", "webhooks"),
        ("celery.backend_cleanup", "notifications"),
    ],
)
def test_each_task_goes_to_its_queue(task_name, queue):
    route = celery_app.amqp.router.route({}, task_name)

    assert route["queue"].name == queue
    assert (route["queue"].exchange.name, route["queue"].routing_key) == (queue, queue)


def test_every_registered_task_lands_on_a_declared_queue():
    # The configured queues: a process that sent to another queue (the bench's no-op) has it
    # added to the app's live table, which says nothing about the deployment.
    declared = {queue.name for queue in celery_app.conf.task_queues}
    ours = [name for name in celery_app.tasks if name.startswith(("sellers.", "reviews."))]
    routed = {celery_app.amqp.router.route({}, name)["queue"].name for name in ours}

    assert declared == {"screening", "documents", "notifications", "webhooks"}
    assert routed <= declared
    assert {"screening", "documents", "notifications"} <= routed
    assert len(ours) >= 6


def test_the_embedded_default_still_runs_routed_tasks_in_process(tmp_path, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }

    mail_send.delay(to="owner@example.com", subject="Routed", body="Sent in-process.")

    [message] = tmp_path.iterdir()
    assert "Subject: Routed" in message.read_text()


@pytest.mark.worker
def test_the_test_worker_consumes_every_queue(celery_worker):
    replies = celery_app.control.inspect(timeout=5).active_queues()

    [queues] = replies.values()
    assert sorted(queue["name"] for queue in queues) == [
        "documents",
        "notifications",
        "screening",
        "webhooks",
    ]
    # In Redis, each exchange is bound to its own queue only: a message is delivered once.
    with celery_app.connection_for_read() as connection:
        client = connection.default_channel.client
        bindings = {
            name: {
                b.decode().split("\x06\x16")[-1] for b in client.smembers(f"_kombu.binding.{name}")
            }
            for name in ("screening", "documents", "notifications", "webhooks")
        }
    assert bindings == {name: {name} for name in bindings}
