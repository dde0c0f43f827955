"""Record control: the seller proves control of a trademark's registry record with a code sent
to the correspondent on record."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from brandprogram.errors import ApplicationError
from sellers.access import Door, visible_or_404
from sellers.actors import Actor
from sellers.models import Trademark
from sellers.portal.access import seller_member_required
from sellers.portal.forms import TrademarkCodeForm
from sellers.services.record_control import (
    trademark_code_confirm,
    trademark_code_open,
    trademark_code_send,
    trademark_control_verified,
)


def _own_trademark(actor: Actor, pk: int) -> Trademark:
    queryset = Trademark.objects.select_related("brand")
    return visible_or_404(queryset, actor, doors=Door.SELLER, company="brand__company", pk=pk)


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
