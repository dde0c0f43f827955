from django import template

from sellers.models import Notification
from sellers.snapshots import changes_since_last_submission

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """Unread inbox entries of the signed-in person, for the header."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return Notification.objects.filter(user=request.user, read_at__isnull=True).count()


@register.simple_tag
def submission_changes(application):
    """What changed between the last two submissions of ``application``, or None."""
    return changes_since_last_submission(application)
