"""The one way mail is composed: a subject and a body template per message, rendered in the
active language and published to ``sellers.tasks.mail_send`` after commit.

A message ``<app>/email/<name>`` is the templates ``<app>/email/<name>_subject.txt`` and
``<app>/email/<name>.txt``; the reviewer side's mails use this path too.
"""

from django.template.loader import render_to_string

from brandprogram.queueing import enqueue_after_commit


def mail_render(name: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and body of the message ``name``."""
    subject = render_to_string(f"{name}_subject.txt", context).strip()
    return subject, render_to_string(f"{name}.txt", context)


def mail_after_commit(*, to: str, template: str, context: dict) -> None:
    """Mail ``to`` once the current transaction commits; a rolled-back change mails nobody."""
    subject, body = mail_render(template, context)
    enqueue_after_commit("sellers.tasks.mail_send", to=to, subject=subject, body=body)
