"""Helpers shared by the registry tests."""

import io
import json

from django.core.management import call_command


def check_trademark(*args: str) -> dict:
    """``manage.py check_trademark --json`` with these arguments, its document parsed."""
    out = io.StringIO()
    call_command("check_trademark", "--json", *args, stdout=out)
    return json.loads(out.getvalue())
