"""Who may open the reviewer pages: the two role checks every view uses, and the rule that
hides applications of companies a reviewer declared a conflict with.

The rule: anybody who is not platform staff (no reviewer, senior reviewer or manager role) gets
404, so the section does not even admit to existing; staff who lack the role a page needs get
403. Both decorators hand the view the request's Actor.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sellers.actors import Actor, actor_for_user
from sellers.models import Application


def reviewer_required(view):
    """Reviewers (senior reviewers included) only, by the rule above."""
    return _role_required(view, lambda actor: actor.is_reviewer)


def manager_required(view):
    """Program managers only, by the rule above."""
    return _role_required(view, lambda actor: actor.is_manager)


def _role_required(view, has_role):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = actor_for_user(request.user)
        if not actor.staff_roles:
            raise Http404
        if not has_role(actor):
            raise PermissionDenied
        # As the API's authentication does: the page's templates read the roles from here.
        request.user.actor = actor
        return view(request, actor, *args, **kwargs)

    return wrapper


def visible_application(actor: Actor, queryset=None, **lookup) -> Application:
    """The application, unless the reviewer declared a conflict with its company: then 404."""
    queryset = Application.objects.all() if queryset is None else queryset
    return get_object_or_404(
        queryset.exclude(company_id__in=actor.conflicted_company_ids), **lookup
    )
