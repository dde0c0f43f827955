from django import template

from reviews.selectors import staff_unread_count
from sellers.actors import MANAGER_GROUP, actor_for_user

register = template.Library()


@register.filter
def is_program_manager(user) -> bool:
    """For showing managers' links; the views check the role themselves."""
    actor = getattr(user, "actor", None)
    if actor is not None:
        return actor.is_manager
    return user.is_authenticated and user.groups.filter(name=MANAGER_GROUP).exists()


@register.simple_tag(takes_context=True)
def staff_unread_notifications(context) -> int:
    """Unread entries of the signed-in staff member's inbox, for the header: the count a page
    read with its own rows (``staff_unread``), else read here."""
    if "staff_unread" in context:
        return context["staff_unread"]
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    actor = getattr(request.user, "actor", None) or actor_for_user(request.user)
    return staff_unread_count(actor=actor)
