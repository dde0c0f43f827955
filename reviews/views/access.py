"""Who may open the reviewer pages: the two role checks every view uses. Which companies'
data a page may then show is sellers.access's rule (Door.STAFF), conflicts of interest included.

The rule: anybody who is not platform staff (no reviewer, senior reviewer or manager role) gets
404, so the section does not even admit to existing; staff who lack the role a page needs get
403. Both decorators hand the view the request's Actor.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sellers.actors import actor_for_user


def staff_required(view):
    """Any platform staff member (reviewer, senior reviewer or manager), by the rule above."""
    return _role_required(view, lambda actor: True)


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
