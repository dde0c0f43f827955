"""The signature check printed in docs/partner-guide.md accepts our messages and nothing else."""

import re
import time
from pathlib import Path

from django.conf import settings

from sellers.webhooks.signing import secret_generate, signed_headers

GUIDE = Path(settings.BASE_DIR) / "docs" / "partner-guide.md"


def _guide_verifier():
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    (code,) = [block for block in blocks if "def verify_webhook" in block]
    namespace: dict = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # noqa: S102 - our own document
    return namespace["verify_webhook"]


def test_the_guides_python_verifies_signed_messages_and_refuses_the_rest():
    verify_webhook = _guide_verifier()
    old, new = secret_generate(), secret_generate()
    body = b'{"type":"application.admitted"}'
    now = int(time.time())
    rotated = signed_headers(secrets=[new, old], event_id="msg_1", timestamp=now, body=body)
    stale = signed_headers(secrets=[new], event_id="msg_1", timestamp=now - 600, body=body)

    assert verify_webhook(new, rotated, body)
    assert verify_webhook(old, rotated, body)
    assert not verify_webhook(secret_generate(), rotated, body)
    assert not verify_webhook(new, rotated, body + b" ")
    assert not verify_webhook(new, {**rotated, "webhook-id": "msg_2"}, body)
    assert not verify_webhook(new, stale, body)
    assert not verify_webhook(new, {"webhook-id": "msg_1"}, body)
