"""Evidence files: who may download one, and how its bytes reach the browser; and the pictures
of a document's pages that reviewers page through in the workspace and see the read fields
outlined on.

Sellers upload the evidence, so its bytes are untrusted: opened on the portal's own origin, a
crafted file would run with the portal's cookies. With MEDIA_HOST set, the portal's download
and preview views check who is asking and then redirect to the media host with a signed link
valid for MEDIA_LINK_MAX_AGE seconds; the media host serves nothing else. Without MEDIA_HOST the
views serve the file themselves, on the portal's host.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible_or_404
from sellers.actors import Actor, actor_for_user
from sellers.conversation import attachment_check_servable
from sellers.documents.matching import Document
from sellers.documents.pages import UnreadableFile
from sellers.documents.preview import page_png
from sellers.models import (
    AuthorizationLink,
    Certification,
    Evidence,
    MessageAttachment,
    SellerCompany,
)
from sellers.services.evidence import EXTENSIONS

# The salt keeps the name of the module that first signed links, so that links handed out
# before the portal moved to its own package stay valid until they expire.
SALT = "sellers.media_links.evidence"


# Whose evidence a person may open: the owning company's members, and staff who may review
# the company (the reviewers' preview page opens the same files).
EVIDENCE_DOORS = Door.SELLER | Door.STAFF
# Pictures of pages are for reviewers, who see where each field was read.
PAGE_DOORS = Door.STAFF

# The documents whose pages are shown, by the name an address gives them: the rows, the path
# from a row to its company, and the document a row holds. Every evidence file has pictures,
# read or not: reviewers look at a product photo or a stock record without leaving the case,
# and so at a facility's certificate.
PAGE_OWNERS = {
    "evidence": (
        lambda: Evidence.objects.all(),
        "application__company",
        Document.of_evidence,
    ),
    "licence": (
        lambda: SellerCompany.objects.exclude(business_licence=""),
        None,
        Document.of_licence,
    ),
    "letter": (
        lambda: AuthorizationLink.objects.exclude(letter="").select_related(
            "trademark__brand__company"
        ),
        "trademark__brand__company",
        Document.of_letter,
    ),
    "certificate": (
        lambda: Certification.objects.exclude(file=""),
        "facility__company",
        Document.of_certification,
    ),
}
OWNER_NAMES = {
    "evidence": "evidence",
    "company": "licence",
    "authorization_link": "letter",
    "certification": "certificate",
}


def page_owner(document: Document) -> tuple[str, int]:
    """How an address names the document: ("letter", 12)."""
    field_name, pk = document.owner_key
    return OWNER_NAMES[field_name], pk


def page_document_or_404(actor: Actor, owner: str, pk: int) -> Document:
    """The document an address names, if the actor may review its company; else 404."""
    if owner not in PAGE_OWNERS:
        raise Http404
    rows, company, as_document = PAGE_OWNERS[owner]
    return as_document(visible_or_404(rows(), actor, doors=PAGE_DOORS, company=company, pk=pk))


def document_page_response(document: Document, page: int, *, actor: Actor):
    """For an actor already allowed to see ``document``: the page's picture, or a redirect to
    it on the media host."""
    if not settings.MEDIA_HOST:
        return page_file_response(document, page)
    owner, pk = page_owner(document)
    claim = {"owner": owner, "pk": pk, "page": page, "user": actor.user_id}
    path = reverse("evidence_file", kwargs={"token": signing.dumps(claim, salt=SALT)})
    return redirect(f"{settings.MEDIA_HOST_SCHEME}://{settings.MEDIA_HOST}{path}")


def page_file_response(document: Document, page: int) -> FileResponse:
    try:
        path = page_png(
            document.file, sha256=document.sha256, detected_type=document.content_type, page=page
        )
    except (LookupError, UnreadableFile):
        raise Http404 from None
    response = FileResponse(path.open("rb"), content_type="image/png")
    # Rendered here, yet of a private document: kept by no cache, never sniffed.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def evidence_download(request, pk: int):
    """The file, as an attachment, for the owning company's members and for reviewers."""
    actor = actor_for_user(request.user)
    evidence = visible_or_404(
        Evidence.objects.all(), actor, doors=EVIDENCE_DOORS, company="application__company", pk=pk
    )
    return evidence_response(evidence, actor=actor, as_attachment=True)


@require_GET
@login_required
def message_attachment_download(request, pk: int):
    """A file sent in an application's conversation, as an attachment, for the same people
    as the evidence: the company's members and the reviewers who may see it; once the malware
    scan found it clean."""
    actor = actor_for_user(request.user)
    attachment = visible_or_404(
        MessageAttachment.objects.all(),
        actor,
        doors=EVIDENCE_DOORS,
        company="message__application__company",
        pk=pk,
    )
    # Asked before any redirect, and again on the media host: a link may outlive the answer.
    refusal = attachment_refusal_page(request, attachment)
    if refusal is not None:
        return refusal
    if not settings.MEDIA_HOST:
        return message_attachment_response(attachment)
    claim = {"message_attachment": attachment.pk, "user": actor.user_id}
    path = reverse("evidence_file", kwargs={"token": signing.dumps(claim, salt=SALT)})
    return redirect(f"{settings.MEDIA_HOST_SCHEME}://{settings.MEDIA_HOST}{path}")


def message_attachment_response(attachment: MessageAttachment) -> FileResponse:
    return private_file_response(
        attachment.file,
        name=attachment.original_name,
        content_type=attachment.detected_type,
        as_attachment=True,
    )


def attachment_refusal_page(request, attachment: MessageAttachment):
    """A page saying why the file is not handed out (still being checked, or malware found),
    or None when it may be."""
    try:
        attachment_check_servable(attachment)
    except ApplicationError as refusal:
        return render(
            request,
            "sellers/file_refused.html",
            {"name": attachment.original_name, "reason": refusal.message},
            status=409,
        )
    return None


def evidence_response(evidence: Evidence, *, actor: Actor, as_attachment: bool):
    """For an actor already allowed to see ``evidence``: the file, or a redirect to it."""
    if not settings.MEDIA_HOST:
        return evidence_file_response(evidence, as_attachment=as_attachment)
    claim = {"evidence": evidence.pk, "attachment": as_attachment, "user": actor.user_id}
    path = reverse("evidence_file", kwargs={"token": signing.dumps(claim, salt=SALT)})
    return redirect(f"{settings.MEDIA_HOST_SCHEME}://{settings.MEDIA_HOST}{path}")


@require_GET
def evidence_file(request, token: str):
    """The media host's only page: the file (or the picture of a document's page, or a file
    sent in a conversation) a signed link names, while the link is fresh and the person it was
    given to may still see the company's evidence (a conflict declared or a membership ended
    after the link was handed out closes it)."""
    if not settings.MEDIA_HOST or request.get_host().lower() != settings.MEDIA_HOST:
        raise Http404
    try:
        claim = signing.loads(token, salt=SALT, max_age=settings.MEDIA_LINK_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    person = get_user_model().objects.filter(pk=claim.get("user"), is_active=True).first()
    if person is None:
        raise Http404
    if "page" in claim:
        document = page_document_or_404(actor_for_user(person), claim["owner"], claim["pk"])
        return page_file_response(document, claim["page"])
    if "message_attachment" in claim:
        attachment = visible_or_404(
            MessageAttachment.objects.all(),
            actor_for_user(person),
            doors=EVIDENCE_DOORS,
            company="message__application__company",
            pk=claim["message_attachment"],
        )
        return attachment_refusal_page(request, attachment) or message_attachment_response(
            attachment
        )
    evidence = visible_or_404(
        Evidence.objects.all(),
        actor_for_user(person),
        doors=EVIDENCE_DOORS,
        company="application__company",
        pk=claim["evidence"],
    )
    return evidence_file_response(evidence, as_attachment=bool(claim["attachment"]))


def evidence_file_response(evidence: Evidence, *, as_attachment: bool) -> FileResponse:
    return private_file_response(
        evidence.file,
        name=evidence.original_name,
        content_type=evidence.detected_type,
        as_attachment=as_attachment,
    )


def private_file_response(
    field: FieldFile, *, name: str, content_type: str, as_attachment: bool
) -> FileResponse:
    """Every download of an uploaded file: named for what it is, never cached or sniffed."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=download_name(name, content_type),
        content_type=content_type,
    )
    # Private documents: never kept by shared caches or the browser's disk cache, and never
    # sniffed into something the browser would render.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_name(name: str, content_type: str) -> str:
    """The uploader's file name with the extension of the type its bytes were found to be.

    An uploaded ``photo.pdf`` that is a PNG is saved as ``photo.png``: a name that disagrees
    with the content would open the file in the wrong program, or pass a check by its name.
    """
    base, _ = os.path.splitext(name)
    return f"{base}.{EXTENSIONS[content_type]}"
