"""Emails the portal sends: rendered while the request runs, sent by the worker after the commit."""

from django.template.loader import render_to_string

from brandprogram.queueing import enqueue_after_commit


def send_after_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    enqueue_after_commit("sellers.tasks.mail_send", to=to, subject=subject, body=body)
