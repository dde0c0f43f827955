"""docs/partner-guide.md holds true: its signature check accepts our messages and nothing
else, and its journey runs on the demo data with the demo key."""

import io
import json
import re
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sellers.webhooks.signing import secret_generate, signed_headers
from tests.files import jpeg_bytes, pdf_upload
from tests.sellers.api.support import client_with_key

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


def _section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"### {title}\n")
    return text[start : text.index("\n### ", start + 1)]


def _sent_body(section: str, call: str) -> dict:
    """The JSON a curl command of the section sends with -d."""
    (body,) = re.findall(re.escape(call) + r".*?-d '(\{.*?\})'\n", section, re.DOTALL)
    return json.loads(body)


def _keys(value) -> object:
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in value.items()}
    return type(value).__name__ if value is not None else "null"


def test_the_guides_journey_runs_on_the_demo_data(django_capture_on_commit_callbacks):
    """Steps 1 to 4 of the guide, with the demo key `make run` prints and the bodies printed
    in the guide, so that neither the examples nor the demo data can drift apart."""
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    demo = json.loads(out.getvalue())["partner_api_key"]
    client = client_with_key(demo["key"])
    start = _section("1. Start a draft")
    body = _sent_body(start, "curl -s -X POST $API/applications/")
    (documented,) = re.findall(r"```json\n(.*?)```", start, re.DOTALL)

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/applications/",
            {**body, "seller": demo["acts_for_company_id"]},
            format="json",
        )
    assert created.status_code == 201, created.json()
    application = created.json()
    # Every field the guide shows is answered, of the same kind, and nothing it does not show.
    shown = _keys(json.loads(documented))
    answered = _keys(application)
    for volatile in ("submitted_at", "decided_at"):
        shown.pop(volatile), answered.pop(volatile)
    assert answered == shown

    url = f"/api/v1/applications/{application['id']}/"
    categories = client.get("/api/v1/categories/?page_size=100").json()["results"]
    wanted = {"trademark_certificate", "product_photo"} | {
        requirement["kind"]
        for category in categories
        if category["code"] in application["categories"]
        for requirement in category["required_evidence"]
        if requirement["required"]
    }
    for kind in sorted(wanted):
        upload = (
            SimpleUploadedFile("lamp.jpg", jpeg_bytes(), content_type="image/jpeg")
            if kind == "product_photo"
            else pdf_upload()
        )
        attached = client.post(
            f"{url}evidence/", {"kind": kind, "file": upload}, format="multipart"
        )
        assert attached.status_code == 201, attached.json()

    edit = _sent_body(_section("3. Correct the draft"), "curl -s -X PATCH $API/applications/42/")
    etag = client.get(url)["ETag"]
    edited = client.patch(url, edit, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200, edited.json()

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"{url}submit/")

    assert (submitted.status_code, submitted.json()["status"]) == (200, "under_review")
    assert submitted.json()["trademark"]["nice_classes"] == edit["trademark"]["nice_classes"]
    assert client.get("/api/v1/webhooks/").json()["results"] == []
