"""The portal's one door: who may open a seller page.

Objects of other companies answer 404, exactly like objects that do not exist, so that nobody
can learn which applications or files exist by trying numbers.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from sellers.actors import actor_for_user


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
