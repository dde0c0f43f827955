from django import template

from sellers.actors import MANAGER_GROUP

register = template.Library()


@register.filter
def is_program_manager(user) -> bool:
    """For showing managers' links; the views check the role themselves."""
    actor = getattr(user, "actor", None)
    if actor is not None:
        return actor.is_manager
    return user.is_authenticated and user.groups.filter(name=MANAGER_GROUP).exists()
