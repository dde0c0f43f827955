"""The one way mail is composed: a subject and a body template per message, rendered in the
active language and published to ``sellers.tasks.mail_send`` after commit.

A message ``<app>/email/<name>`` is the templates ``<app>/email/<name>_subject.txt`` and
``<app>/email/<name>.txt``; the reviewer side's mails use this path too.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string

from brandprogram.queueing import enqueue_after_commit

# Control characters and the Unicode line and paragraph separators: none belongs in a header.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def mail_render(name: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and body of the message ``name``."""
    subject = mail_subject(render_to_string(f"{name}_subject.txt", context))
    return subject, render_to_string(f"{name}.txt", context)


def portal_link(path: str) -> str:
    """The portal address of ``path`` for a message: from PORTAL_URL, never from the request's
    Host header (anyone may send one) nor from a task's (there is none)."""
    return settings.PORTAL_URL.rstrip("/") + path


def mail_subject(text: str) -> str:
    """``text`` as one line, fit for a Subject header.

    Names stored before they were checked for line breaks can still hold one, and Django
    refuses to send a header with a line break (BadHeaderError): the message would fail at
    every retry and never go out. Each run of line breaks or other control characters
    becomes a space instead.
    """
    return _NOT_ONE_LINE.sub(" ", text).strip()


def mail_after_commit(*, to: str, template: str, context: dict) -> None:
    """Mail ``to`` once the current transaction commits; a rolled-back change mails nobody."""
    subject, body = mail_render(template, context)
    enqueue_after_commit("sellers.tasks.mail_send", to=to, subject=subject, body=body)
