from django.dispatch import Signal

# Sent after the transaction that changed an application's status has committed, with
# application_id, action, from_status and to_status. Reviewer-side work (screening, queues)
# subscribes here so that this app never needs to import it.
application_status_changed = Signal()

# Sent inside the transaction that changes the status, with the same arguments. Receivers
# write rows that must commit or roll back together with the change (an outbox of work to
# publish); they must not do network I/O or anything slow.
application_status_changing = Signal()

# Sent while the seller portal shows a suspended application, with application_id. A receiver
# returns the date by which the seller must resolve the suspension, or None; re-certification
# (in reviews) answers it, so this app never needs to import it.
suspension_deadline_lookup = Signal()
