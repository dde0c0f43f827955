"""The one way the seller side composes mail: a subject and a body template per message,
rendered in the active language and published to ``sellers.tasks.mail_send`` after commit.

Templates are ``sellers/email/<name>_subject.txt`` and ``sellers/email/<name>.txt``.
"""

from django.template.loader import render_to_string

from brandprogram.queueing import enqueue_after_commit


def mail_render(name: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and body of the message ``name``."""
    subject = render_to_string(f"sellers/email/{name}_subject.txt", context).strip()
    return subject, render_to_string(f"sellers/email/{name}.txt", context)


def mail_after_commit(*, to: str, template: str, context: dict) -> None:
    """Mail ``to`` once the current transaction commits; a rolled-back change mails nobody."""
    subject, body = mail_render(template, context)
    enqueue_after_commit("sellers.tasks.mail_send", to=to, subject=subject, body=body)
