import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def emit(command, payload: dict) -> None:
    command.stdout.write(json.dumps(payload, indent=2, default=str))


def refusal(exc: ValidationError) -> CommandError:
    if hasattr(exc, "error_dict"):
        detail = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    else:
        detail = " ".join(exc.messages)
    return CommandError(detail)
