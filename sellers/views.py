"""The seller portal. Views parse input with forms and hand every write to services/workflow.

Objects of other companies answer 404, exactly like objects that do not exist, so that nobody
can learn which applications or files exist by trying numbers.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brandprogram.errors import ApplicationError
from brandprogram.queueing import enqueue_after_commit
from sellers import media_links
from sellers.actors import Actor, actor_for_user, owned_by
from sellers.forms import (
    SELLER_ACTIONS,
    AuthorizationLinkForm,
    BrandStepForm,
    CategoriesStepForm,
    EvidenceForm,
    FacilityForm,
    InviteForm,
    JoinForm,
    NewApplicationForm,
    OwnershipStepForm,
    SellerActionForm,
    SignUpForm,
    TrademarkCodeForm,
    TrademarkStepForm,
)
from sellers.models import (
    Application,
    ApplicationDraft,
    Evidence,
    Facility,
    Membership,
    Notification,
    ReasonCode,
    SellerCompany,
    Status,
    Trademark,
)
from sellers.requirements import evidence_checklist, missing_evidence
from sellers.selectors import decision_time_estimate, suspension_deadline
from sellers.services.applications import application_create
from sellers.services.companies import account_activate, company_register, membership_set_language
from sellers.services.drafts import (
    WIZARD_STEPS,
    AuthorizationLinkInput,
    draft_add_authorization_link,
    draft_add_facility,
    draft_finish_step,
    draft_remove_last_authorization_link,
    draft_save_brand,
    draft_save_categories,
    draft_save_ownership,
    draft_save_trademark,
    uncovered_categories,
)
from sellers.services.evidence import evidence_add
from sellers.services.notifications import notifications_mark_read
from sellers.services.record_control import (
    trademark_code_confirm,
    trademark_code_open,
    trademark_code_send,
    trademark_control_verified,
)
from sellers.services.team import ownership_transfer, staff_invite_check, staff_join, staff_remove
from sellers.tokens import account_confirmation_token, invitation_make, invitation_read
from sellers.workflow.labels import action_readable, labels_for
from sellers.workflow.table import (
    EDITABLE_STATUSES,
    available_actions,
    seller_label,
    seller_status_code,
)
from sellers.workflow.transition import application_transition

# Keyed by sellers.workflow.table's seller-facing status codes, never by internal statuses.
NEXT_STEPS = {
    "draft": _(
        "Your application is saved as a draft. Add your evidence (the trademark certificate, "
        "and an authorization letter if your company is not the owner on record), then submit "
        "it for review."
    ),
    "under_review": _(
        "Our review team is checking your brand, trademark and documents. You do not need to "
        "do anything now; we will show the decision here, or ask you if we need more."
    ),
    "changes_requested": _(
        "The review team needs more from you. Read their message, add or correct your "
        "evidence, then resubmit the application."
    ),
    "admitted": _("Your brand is part of the Thousand-Class Brand Program."),
    "waitlisted": _(
        "Your brand was approved, but every place in the program is taken. It will be admitted "
        "automatically as soon as a place opens."
    ),
    "not_admitted": _(
        "Your brand was not admitted. The reason is in the history below; you can apply again "
        "once it has been addressed."
    ),
    "withdrawn": _("You withdrew this application. You can start a new one at any time."),
    "suspended": _(
        "Your brand's place in the program is suspended. The history below says why and what to do."
    ),
    "revoked": _("Your brand's place in the program was revoked."),
}


def _event_words(event) -> str:
    words = labels_for(event.action).seller_timeline
    if words is not None:
        return str(words)
    # A confirmed or released decision reads as its outcome.
    if event.to_status:
        return seller_label(event.to_status)
    return action_readable(event.action)


def seller_member_required(view):
    """Let in logged-in members of a seller company; everybody else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = actor_for_user(request.user)
        if not actor.company_ids:
            raise Http404
        return view(request, actor, *args, **kwargs)

    return wrapper


def _own_application(actor: Actor, pk: int) -> Application:
    queryset = Application.objects.select_related("brand", "program", "trademark")
    return get_object_or_404(owned_by(queryset, actor), pk=pk)


@login_required
@require_GET
def home(request):
    actor = actor_for_user(request.user)
    if actor.is_reviewer:
        return redirect("reviews:queue")
    if actor.is_manager:
        return redirect("reviews:dashboard")
    if actor.company_ids:
        return redirect("portal:dashboard")
    return render(request, "sellers/no_access.html", status=403)


@require_GET
@seller_member_required
def dashboard(request, actor: Actor):
    applications = list(
        owned_by(Application.objects.all(), actor)
        .select_related("brand", "program")
        .order_by("-updated_at", "-pk")
    )
    for application in applications:
        application.seller_status = seller_label(application.status)
        application.seller_status_code = seller_status_code(application.status)
    company = SellerCompany.objects.filter(pk__in=actor.company_ids).first()
    unfinished = list(
        owned_by(ApplicationDraft.objects.filter(application__isnull=True), actor)
        .select_related("brand")
        .order_by("-updated_at", "-pk")
    )
    # A seller waiting on a decision wants to know how long the wait usually is.
    waiting_programs = {
        a.program_id: a.program for a in applications if a.seller_status_code == "under_review"
    }
    decision_times = [
        {"program": program, "estimate": decision_time_estimate(program_id=program_id)}
        for program_id, program in sorted(waiting_programs.items())
    ]
    return render(
        request,
        "sellers/dashboard.html",
        {
            "company": company,
            "applications": applications,
            "unfinished": unfinished,
            "decision_times": decision_times,
        },
    )


@require_http_methods(["GET", "POST"])
@seller_member_required
def application_new(request, actor: Actor):
    if request.method != "POST":
        return render(request, "sellers/application_new.html", {"form": NewApplicationForm()})
    form = NewApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application = application_create(
                actor=actor, company_id=min(actor.company_ids), **form.service_arguments()
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, gettext("Draft saved. Check it, add any other evidence, then submit it.")
            )
            return redirect("portal:application_detail", pk=application.pk)
    return render(request, "sellers/application_new.html", {"form": form})


@require_GET
@seller_member_required
def application_detail(request, actor: Actor, pk: int):
    application = _own_application(actor, pk)
    return _render_detail(request, actor, application, EvidenceForm())


def _render_detail(request, actor: Actor, application: Application, evidence_form):
    code = seller_status_code(application.status)
    events = list(application.events.filter(seller_visible=True).order_by("created_at", "pk"))
    reason_labels = dict(ReasonCode.choices)
    for event in events:
        event.words = _event_words(event)
        # "Application started." only repeats the headline.
        event.details = "" if event.action == "created" else event.note
        event.reason_labels = [reason_labels.get(code, code) for code in event.reasons]
    reviewer_message = None
    if application.status in (Status.CHANGES_REQUESTED, Status.SUSPENDED):
        reviewer_message = next(
            (e for e in reversed(events) if e.to_status == application.status), None
        )
    actions = [
        {"action": action, "label": labels_for(action).seller_button}
        for action in available_actions(application, actor)
        if action in SELLER_ACTIONS
    ]
    context = {
        "application": application,
        "status_code": code,
        "status_label": seller_label(application.status),
        "next_steps": NEXT_STEPS[code],
        "categories": list(application.categories.all()),
        "evidence": list(application.evidence.all()),
        "can_add_evidence": application.status in EDITABLE_STATUSES,
        "wizard_draft": ApplicationDraft.objects.filter(application=application).first()
        if application.status in EDITABLE_STATUSES
        else None,
        "checklist": evidence_checklist(application)
        if application.status in EDITABLE_STATUSES
        else [],
        "evidence_form": evidence_form,
        "actions": [a for a in actions if a["action"] != "withdraw"],
        "can_withdraw": any(a["action"] == "withdraw" for a in actions),
        "reviewer_message": reviewer_message,
        "requested_evidence": list(reviewer_message.requested_evidence.all())
        if reviewer_message
        else [],
        "events": events,
        "record_control": trademark_control_verified(application.trademark),
        "under_review": code == "under_review",
        "decision_time": decision_time_estimate(program_id=application.program_id)
        if code == "under_review"
        else None,
        "suspension_deadline": suspension_deadline(application_id=application.pk)
        if application.status == Status.SUSPENDED
        else None,
    }
    return render(request, "sellers/application_detail.html", context)


@require_POST
@seller_member_required
def application_action(request, actor: Actor, pk: int):
    application = _own_application(actor, pk)
    form = SellerActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That action is not available."))
        return redirect("portal:application_detail", pk=application.pk)
    action = form.cleaned_data["action"]
    try:
        application_transition(application_id=application.pk, action=action, actor=actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, labels_for(action).seller_done)
    return redirect("portal:application_detail", pk=application.pk)


@require_POST
@seller_member_required
def evidence_create(request, actor: Actor, pk: int):
    application = _own_application(actor, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = evidence_add(
                actor=actor,
                application_id=application.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:application_detail", pk=application.pk)
        else:
            messages.success(
                request, gettext("%(name)s was added.") % {"name": evidence.original_name}
            )
            return redirect("portal:application_detail", pk=application.pk)
    return _render_detail(request, actor, application, form)


def _own_trademark(actor: Actor, pk: int) -> Trademark:
    queryset = Trademark.objects.select_related("brand")
    return get_object_or_404(owned_by(queryset, actor, company="brand__company"), pk=pk)


def _render_control(request, mark: Trademark, form: TrademarkCodeForm):
    open_code = trademark_code_open(mark)
    context = {
        "mark": mark,
        "applications": list(
            mark.applications.select_related("brand").order_by("-updated_at", "-pk")
        ),
        "verified": trademark_control_verified(mark),
        "open_code": open_code,
        "attempts_left": settings.TRADEMARK_CODE_MAX_ATTEMPTS - open_code.attempts
        if open_code
        else 0,
        "form": form,
    }
    return render(request, "sellers/trademark_control.html", context)


@require_GET
@seller_member_required
def trademark_control(request, actor: Actor, pk: int):
    return _render_control(request, _own_trademark(actor, pk), TrademarkCodeForm())


@require_POST
@seller_member_required
def trademark_control_send(request, actor: Actor, pk: int):
    mark = _own_trademark(actor, pk)
    try:
        challenge = trademark_code_send(actor=actor, trademark_id=mark.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext(
                "A code was sent to %(address)s, the correspondent on the registry record. "
                "Ask them for it and enter it below."
            )
            % {"address": challenge.masked_sent_to},
        )
    return redirect("portal:trademark_control", pk=mark.pk)


@require_POST
@seller_member_required
def trademark_control_confirm(request, actor: Actor, pk: int):
    mark = _own_trademark(actor, pk)
    form = TrademarkCodeForm(request.POST)
    if form.is_valid():
        try:
            trademark_code_confirm(
                actor=actor, trademark_id=mark.pk, code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, gettext("Control of the trademark record is verified."))
            return redirect("portal:trademark_control", pk=mark.pk)
    return _render_control(request, mark, form)


@require_GET
@login_required
def evidence_download(request, pk: int):
    """The file, as an attachment, for the owning company's members and for reviewers."""
    evidence = get_object_or_404(Evidence.objects.select_related("application"), pk=pk)
    actor = actor_for_user(request.user)
    if not (actor.acts_for(evidence.application.company_id) or actor.is_reviewer):
        raise Http404
    return media_links.evidence_response(evidence, as_attachment=True)


def evidence_file_response(evidence: Evidence, *, as_attachment: bool) -> FileResponse:
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=evidence.original_name,
        content_type=evidence.detected_type,
    )
    # Private documents: never kept by shared caches or the browser's disk cache, and never
    # sniffed into something the browser would render.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _send_after_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    enqueue_after_commit("sellers.tasks.mail_send", to=to, subject=subject, body=body)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """A company registers itself; its owner's login opens once the email is confirmed."""
    form = SignUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                company = company_register(
                    legal_name=data["legal_name"],
                    country=data["country"],
                    registration_number=data["registration_number"],
                    owner_email=data["owner_email"],
                    owner_password=data["password1"],
                    owner_name=data["owner_name"],
                    owner_active=False,
                    business_licence=data["business_licence"],
                )
                owner = company.memberships.get().user
                membership_set_language(user=owner, language=request.LANGUAGE_CODE)
                link = request.build_absolute_uri(
                    reverse(
                        "account_confirm",
                        args=[
                            urlsafe_base64_encode(force_bytes(owner.pk)),
                            account_confirmation_token.make_token(owner),
                        ],
                    )
                )
                _send_after_commit(
                    to=owner.email,
                    subject=gettext("Confirm your email for the Thousand-Class Brand Program"),
                    template="sellers/email/confirm_account.txt",
                    context={"company": company, "link": link},
                )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("sign_up_sent")
    return render(request, "sellers/sign_up.html", {"form": form})


@require_GET
def sign_up_sent(request):
    return render(request, "sellers/sign_up_sent.html")


@require_GET
def account_confirm(request, uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, User.DoesNotExist):
        user = None
    if user is None or not account_confirmation_token.check_token(user, token):
        return render(request, "sellers/account_confirm_failed.html", status=400)
    account_activate(user=user)
    messages.success(request, gettext("Your email is confirmed. You can log in now."))
    return redirect("login")


def _team_context(actor: Actor, invite_form) -> dict:
    members = list(
        owned_by(Membership.objects.all(), actor)
        .select_related("user", "company")
        .order_by("-role", "user__username")
    )
    return {
        "members": members,
        "is_owner": any(m.user_id == actor.user_id and m.role == "owner" for m in members),
        "invite_form": invite_form,
    }


@require_GET
@seller_member_required
def team(request, actor: Actor):
    return render(request, "sellers/team.html", _team_context(actor, InviteForm()))


@require_POST
@seller_member_required
def team_invite(request, actor: Actor):
    form = InviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            company_id = staff_invite_check(actor=actor, email=email)
        except ApplicationError:
            raise Http404 from None
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            link = request.build_absolute_uri(
                reverse("team_join", args=[invitation_make(company_id=company_id, email=email)])
            )
            company = SellerCompany.objects.get(pk=company_id)
            _send_after_commit(
                to=email,
                subject=gettext("%(company)s invites you to the Thousand-Class Brand Program")
                % {"company": company.legal_name},
                template="sellers/email/invitation.txt",
                context={"company": company, "link": link, "inviter": actor.label},
            )
            messages.success(request, gettext("Invitation sent to %(email)s.") % {"email": email})
            return redirect("portal:team")
    return render(request, "sellers/team.html", _team_context(actor, form))


@require_POST
@seller_member_required
def team_remove(request, actor: Actor, pk: int):
    try:
        staff_remove(actor=actor, membership_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, gettext("The staff member was removed."))
    return redirect("portal:team")


@require_POST
@seller_member_required
def team_transfer(request, actor: Actor, pk: int):
    try:
        new_owner = ownership_transfer(actor=actor, membership_id=pk)
    except ApplicationError:
        raise Http404 from None
    messages.success(
        request,
        gettext("%(name)s is now the owner of the company.") % {"name": new_owner.user.username},
    )
    return redirect("portal:team")


@require_http_methods(["GET", "POST"])
def team_join(request, token: str):
    invitation = invitation_read(token)
    if invitation is None:
        return render(request, "sellers/invitation_invalid.html", status=400)
    company = get_object_or_404(SellerCompany, pk=invitation["company"])
    form = JoinForm(request.POST or None, email=invitation["email"])
    if request.method == "POST" and form.is_valid():
        try:
            member = staff_join(
                company_id=company.pk,
                email=invitation["email"],
                password=form.cleaned_data["password1"],
                name=form.cleaned_data["name"],
            )
            membership_set_language(user=member.user, language=request.LANGUAGE_CODE)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, gettext("Your account is ready. Log in to continue."))
            return redirect("login")
    return render(
        request,
        "sellers/invitation_accept.html",
        {"form": form, "company": company, "email": invitation["email"]},
    )


# The application wizard: one page per step, each saved as the seller leaves it.

WIZARD_TEMPLATES = {step: f"sellers/wizard/{step}.html" for step in WIZARD_STEPS}


def _own_draft(actor: Actor, pk: int) -> ApplicationDraft:
    queryset = ApplicationDraft.objects.select_related("brand", "trademark", "application")
    return get_object_or_404(owned_by(queryset, actor), pk=pk)


def _wizard_render(request, actor, draft, step: str, **context):
    reached = WIZARD_STEPS.index(draft.step) if draft else 0
    steps = [
        {
            "code": code,
            "label": label,
            "number": number,
            "reachable": draft is not None and number - 1 <= reached,
            "current": code == step,
        }
        for number, (code, label) in enumerate(ApplicationDraft.Step.choices, start=1)
    ]
    context.update({"draft": draft, "step": step, "steps": steps})
    if draft is not None and draft.trademark is not None:
        context.setdefault("links", list(draft.trademark.authorization_links.all()))
    if draft is not None and draft.application is not None:
        application = draft.application
        context.setdefault("checklist", evidence_checklist(application))
        context.setdefault("evidence", list(application.evidence.all()))
        context.setdefault("categories", list(application.categories.all()))
    return render(request, WIZARD_TEMPLATES[step], context)


def _next_step_redirect(draft: ApplicationDraft, done: str):
    following = WIZARD_STEPS[min(WIZARD_STEPS.index(done) + 1, len(WIZARD_STEPS) - 1)]
    return redirect("portal:wizard_step", pk=draft.pk, step=following)


@require_http_methods(["GET", "POST"])
@seller_member_required
def wizard_start(request, actor: Actor):
    form = BrandStepForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = draft_save_brand(
                actor=actor,
                company_id=min(actor.company_ids),
                name=form.cleaned_data["name"],
                native_name=form.cleaned_data["native_name"],
                logo=form.cleaned_data["logo"],
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_service_error(exc)
        else:
            return _next_step_redirect(draft, "brand")
    return _wizard_render(request, actor, None, "brand", form=form)


@require_GET
@seller_member_required
def wizard_resume(request, actor: Actor, pk: int):
    draft = _own_draft(actor, pk)
    return redirect("portal:wizard_step", pk=draft.pk, step=draft.step)


@require_http_methods(["GET", "POST"])
@seller_member_required
def wizard_step(request, actor: Actor, pk: int, step: str):
    draft = _own_draft(actor, pk)
    if step not in WIZARD_STEPS:
        raise Http404
    if WIZARD_STEPS.index(step) > WIZARD_STEPS.index(draft.step):
        return redirect("portal:wizard_step", pk=draft.pk, step=draft.step)
    if draft.application is not None and draft.application.status not in EDITABLE_STATUSES:
        return redirect("portal:application_detail", pk=draft.application.pk)
    handler = WIZARD_HANDLERS[step]
    try:
        return handler(request, actor, draft)
    except ApplicationError as exc:
        if exc.code == "no_draft":
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("portal:wizard_step", pk=draft.pk, step=step)


def _save_step(request, actor, draft, step, form, save):
    """Validate ``form``; on success call ``save`` and go on, else show the errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            draft.refresh_from_db()
            return _next_step_redirect(draft, step)
    return _wizard_render(request, actor, draft, step, form=form)


def _brand_step(request, actor, draft):
    brand = draft.brand
    form = BrandStepForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": brand.name, "native_name": brand.native_name},
    )
    return _save_step(
        request,
        actor,
        draft,
        "brand",
        form,
        lambda data: draft_save_brand(
            actor=actor,
            company_id=draft.company_id,
            draft_id=draft.pk,
            name=data["name"],
            native_name=data["native_name"],
            logo=data["logo"],
        ),
    )


def _trademark_step(request, actor, draft):
    mark = draft.trademark
    initial = {"registration_status": "registered", "owner_name": draft.company.legal_name}
    if mark is not None:
        initial = {
            "office": mark.office,
            "number": mark.number,
            "registration_status": mark.registration_status,
            "mark_type": mark.mark_type,
            "nice_classes": mark.nice_classes,
            "owner_name": mark.owner_name,
            "expires_on": mark.expires_on,
        }
    form = TrademarkStepForm(request.POST or None, request.FILES or None, initial=initial)
    return _save_step(
        request,
        actor,
        draft,
        "trademark",
        form,
        lambda data: draft_save_trademark(
            actor=actor,
            draft_id=draft.pk,
            trademark=form.trademark_input(),
            certificate=data["certificate"],
        ),
    )


def _ownership_step(request, actor, draft):
    link_form = AuthorizationLinkForm(prefix="link")
    if request.method == "POST" and "add_link" in request.POST:
        link_form = AuthorizationLinkForm(request.POST, request.FILES, prefix="link")
        if link_form.is_valid():
            try:
                draft_add_authorization_link(
                    actor=actor,
                    draft_id=draft.pk,
                    link=AuthorizationLinkInput(**link_form.cleaned_data),
                )
            except ValidationError as exc:
                link_form.add_service_error(exc)
            else:
                messages.success(request, gettext("The authorization link was added."))
                return redirect("portal:wizard_step", pk=draft.pk, step="ownership")
        form = OwnershipStepForm(initial={"owns": "no"})
        return _wizard_render(request, actor, draft, "ownership", form=form, link_form=link_form)
    if request.method == "POST" and "remove_link" in request.POST:
        draft_remove_last_authorization_link(actor=actor, draft_id=draft.pk)
        return redirect("portal:wizard_step", pk=draft.pk, step="ownership")
    initial = {}
    if draft.owns_trademark is not None:
        initial["owns"] = "yes" if draft.owns_trademark else "no"
    form = OwnershipStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft_save_ownership(actor=actor, draft_id=draft.pk, owns=form.cleaned_data["owns"])
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return _next_step_redirect(draft, "ownership")
    return _wizard_render(request, actor, draft, "ownership", form=form, link_form=link_form)


def _categories_step(request, actor, draft):
    initial = {}
    if draft.application is not None:
        initial["categories"] = list(draft.application.categories.all())
        initial["program"] = draft.application.program
    form = CategoriesStepForm(request.POST or None, initial=initial)
    if draft.application is not None:
        form.fields["program"].disabled = True
    result = _save_step(
        request,
        actor,
        draft,
        "categories",
        form,
        lambda data: draft_save_categories(
            actor=actor,
            draft_id=draft.pk,
            program_id=data["program"].pk,
            category_ids=[c.pk for c in data["categories"]],
        ),
    )
    if request.method == "POST" and result.status_code == 302 and draft.trademark is not None:
        uncovered = uncovered_categories(draft.trademark, form.cleaned_data["categories"])
        if uncovered:
            messages.warning(
                request,
                gettext(
                    "Your trademark's Nice classes do not cover %(categories)s. Reviewers will "
                    "ask why; a trademark registered in the matching class avoids that."
                )
                % {"categories": ", ".join(str(c) for c in uncovered)},
            )
    return result


def _supply_step(request, actor, draft):
    form = FacilityForm(prefix="facility")
    if request.method == "POST" and "add_facility" in request.POST:
        form = FacilityForm(request.POST, request.FILES, prefix="facility")
        if form.is_valid():
            try:
                draft_add_facility(
                    actor=actor,
                    draft_id=draft.pk,
                    facility=form.facility_input(),
                    certification=form.certification_input(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, gettext("The facility was added."))
                return redirect("portal:wizard_step", pk=draft.pk, step="supply")
    elif request.method == "POST":
        try:
            draft_finish_step(actor=actor, draft_id=draft.pk, step="supply")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return _next_step_redirect(draft, "supply")
    facilities = list(
        Facility.objects.filter(company_id=draft.company_id).prefetch_related("certifications")
    )
    return _wizard_render(request, actor, draft, "supply", form=form, facilities=facilities)


def _evidence_step(request, actor, draft):
    form = EvidenceForm()
    if request.method == "POST" and "upload" in request.POST:
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                evidence = evidence_add(
                    actor=actor,
                    application_id=draft.application.pk,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request, gettext("%(name)s was added.") % {"name": evidence.original_name}
                )
                return redirect("portal:wizard_step", pk=draft.pk, step="evidence")
    elif request.method == "POST":
        draft_finish_step(actor=actor, draft_id=draft.pk, step="evidence")
        return _next_step_redirect(draft, "evidence")
    return _wizard_render(request, actor, draft, "evidence", form=form)


def _review_step(request, actor, draft):
    application = draft.application
    action = "resubmit" if application.status == Status.CHANGES_REQUESTED else "submit"
    if request.method == "POST":
        try:
            application_transition(application_id=application.pk, action=action, actor=actor)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, labels_for(action).seller_done)
            return redirect("portal:application_detail", pk=application.pk)
    return _wizard_render(
        request,
        actor,
        draft,
        "review",
        action=action,
        action_label=labels_for(action).seller_button,
        facilities=list(Facility.objects.filter(company_id=draft.company_id)),
        missing=missing_evidence(application),
    )


WIZARD_HANDLERS = {
    "brand": _brand_step,
    "trademark": _trademark_step,
    "ownership": _ownership_step,
    "categories": _categories_step,
    "supply": _supply_step,
    "evidence": _evidence_step,
    "review": _review_step,
}


@require_http_methods(["GET", "POST"])
@seller_member_required
def notifications(request, actor: Actor):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("portal:notifications")
    items = list(
        Notification.objects.filter(user=request.user)
        .select_related("application__brand")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(request, "sellers/notifications.html", {"notifications": items})
