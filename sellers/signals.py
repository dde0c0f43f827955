from django.dispatch import Signal

# Sent after the transaction that changed an application's status has committed, with
# application_id, action, from_status and to_status. Reviewer-side work (screening, queues)
# subscribes here so that this app never needs to import it.
application_status_changed = Signal()
