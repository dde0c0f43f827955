"""A Python client generated from /api/schema/ with openapi-python-client, as an integrator
would make one, runs the guide's journey against a live server: the schema's usefulness is
checked on every change. Generation works offline (no formatter hooks, nothing fetched)."""

import importlib
import io
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from sellers.actors import actor_for_user
from sellers.models import Application, Status
from sellers.services.messages import application_message_post
from tests.files import pdf_bytes, upload
from tests.sellers.api.support import application_payload

PACKAGE = "brand_program_client"
FILE_TYPES_AS_BYTES = "content_type_overrides:\n" + "".join(
    f"  {media_type}: application/octet-stream\n"
    for media_type in ("application/pdf", "image/jpeg", "image/png", "image/webp")
)


@pytest.fixture
def generated(client, tmp_path):
    """The generated package, imported; removed from the import system afterwards."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(
        client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    config = tmp_path / "config.yaml"
    # The guide's config: a conversation's file is answered in its own type, which the
    # generator reads as bytes once told so.
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n{FILE_TYPES_AS_BYTES}")
    generator = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [str(generator), "generate", "--path", str(schema), "--config", str(config),
         "--meta", "none", "--output-path", str(tmp_path / PACKAGE)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings name schema parts the generator could not turn into types.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(package, name: str):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_the_generated_client_runs_the_guides_journey(
    generated, live_server, partner, seller_a, reviewer
):
    api = _module(generated, "api.v1")
    models = _module(generated, "models")
    types = _module(generated, "types")
    calls = {
        name: importlib.import_module(f"{api.__name__}.v1_{name}")
        for name in (
            "categories_list", "applications_create", "applications_submit_create",
            "applications_evidence_create", "applications_retrieve",
            "applications_partial_update", "applications_list", "webhooks_list",
            "applications_messages_attachments_retrieve",
        )
    }  # fmt: skip
    client = generated.AuthenticatedClient(base_url=live_server.url, token=partner.raw_key)

    categories = calls["categories_list"].sync(client=client, page_size=100)
    lighting = next(c for c in categories.results if c.code == "lighting-appliances")
    assert [t.name for t in lighting.accepted_file_types] == ["PDF", "JPEG", "PNG", "WebP"]

    created = calls["applications_create"].sync_detailed(
        client=client,
        body=models.ApplicationCreateRequest.from_dict(application_payload(seller_a.company.pk)),
        idempotency_key=str(uuid.uuid4()),
    )
    assert created.status_code == 201
    draft = created.parsed
    assert isinstance(draft, models.Application)
    assert (draft.status, draft.trademark.nice_classes) == (models.SellerStatusEnum.DRAFT, [11])
    assert draft.trademark.id == Application.objects.get(pk=draft.id).trademark_id
    assert draft.links.evidence.endswith(f"/api/v1/applications/{draft.id}/evidence/")

    refused = calls["applications_submit_create"].sync_detailed(
        draft.id, client=client, idempotency_key=str(uuid.uuid4())
    )
    assert isinstance(refused.parsed, models.Problem)
    assert (refused.status_code, refused.parsed.code, refused.parsed.missing_kinds) == (
        400,
        "evidence_missing",
        [],
    )

    attached = calls["applications_evidence_create"].sync_detailed(
        draft.id,
        client=client,
        body=models.EvidenceUploadRequest(
            kind=models.KindEnum.TRADEMARK_CERTIFICATE,
            file=types.File(
                payload=io.BytesIO(pdf_bytes()),
                file_name="certificate.pdf",
                mime_type="application/pdf",
            ),
        ),
        idempotency_key=str(uuid.uuid4()),
    )
    assert (attached.status_code, attached.parsed.kind) == (
        201,
        models.KindEnum.TRADEMARK_CERTIFICATE,
    )

    read = calls["applications_retrieve"].sync_detailed(draft.id, client=client)
    edited = calls["applications_partial_update"].sync_detailed(
        draft.id,
        client=client,
        body=models.PatchedApplicationUpdateRequest.from_dict(
            {"trademark": {"nice_classes": [11, 21]}}
        ),
        if_match=read.headers["etag"],
    )
    assert (edited.status_code, edited.parsed.trademark.nice_classes) == (200, [11, 21])

    submitted = calls["applications_submit_create"].sync_detailed(
        draft.id, client=client, idempotency_key=str(uuid.uuid4())
    )
    assert submitted.parsed.status == models.SellerStatusEnum.UNDER_REVIEW
    listed = calls["applications_list"].sync(
        client=client, status=models.SellerStatusEnum.UNDER_REVIEW
    )
    assert [a.id for a in listed.results] == [draft.id]
    assert Application.objects.get(pk=draft.id).status != Status.DRAFT
    # This key lacks webhooks:manage: the refusal is a typed problem too.
    hooks = calls["webhooks_list"].sync(client=client)
    assert isinstance(hooks, models.Problem)
    assert (hooks.status, hooks.code) == (403, "insufficient_scope")

    # The review team sends a file; once scanned (after its message commits) it downloads.
    message = application_message_post(
        actor=actor_for_user(reviewer),
        application_id=draft.id,
        body="Our checklist.",
        attachments=[upload("checklist.pdf", pdf_bytes(), "application/pdf")],
    )
    attachment = message.attachments.get()
    downloaded = calls["applications_messages_attachments_retrieve"].sync_detailed(
        draft.id, message.pk, attachment.pk, client=client
    )
    assert (downloaded.status_code, downloaded.headers["content-type"]) == (200, "application/pdf")
    assert downloaded.parsed.payload.read() == pdf_bytes()
