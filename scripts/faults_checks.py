"""The fault drill's verdict: the database reconciled against the client and the receiver."""

import collections
import time

from faults_load import Drill
from faults_stack import DECISION_READY, SETTLE_TIMEOUT_SECONDS


def reconcile(drill: Drill) -> dict:
    """Compare the database with what the client was told, once the pipeline has settled."""
    from django.db.models import Count

    from reviews.models import CheckResult, ScreeningRequest, ScreeningRun
    from sellers.models import (
        Application,
        ApplicationEvent,
        Evidence,
        Notification,
        WebhookDelivery,
    )

    submitted = {s.application_id for s in drill.submissions if s.submitted}
    problems = []

    def statuses() -> dict[int, str]:
        return dict(Application.objects.filter(pk__in=submitted).values_list("pk", "status"))

    settle_started = time.monotonic()
    deadline = settle_started + SETTLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        pending = [pk for pk, status in statuses().items() if status not in DECISION_READY]
        unmailed = Notification.objects.filter(mailed_at__isnull=True).exists()
        unsent = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).exists()
        if not pending and not unmailed and not unsent:
            break
        time.sleep(0.5)
    settle_s = round(time.monotonic() - settle_started, 1)

    not_ready = sorted(pk for pk, status in statuses().items() if status not in DECISION_READY)
    unknown = sorted(submitted - statuses().keys())
    # Submitters finish the application in hand when the stream stops, so each one counts.
    never_submitted = [s.brand for s in drill.submissions if not s.submitted]
    if never_submitted:
        problems.append(f"never submitted: {never_submitted}")
    problems += [f"submitter failed: {error}" for error in drill.errors]
    if not_ready:
        problems.append(f"not decision-ready: applications {not_ready}")
    if unknown:
        problems.append(f"acknowledged but missing from the database: {unknown}")

    runs = ScreeningRun.objects.filter(application_id__in=submitted)
    runs_per_application = collections.Counter(runs.values_list("application_id", flat=True))
    if doubled := sorted(pk for pk, n in runs_per_application.items() if n > 1):
        problems.append(f"screened more than once: applications {doubled}")
    results = collections.Counter(
        CheckResult.objects.filter(run__in=runs).values_list("run_id", "check_code")
    )
    incomplete_runs = []
    for run_id, codes in runs.values_list("pk", "check_codes"):
        counts = [results[(run_id, code)] for code in codes]
        if counts != [1] * len(codes):
            incomplete_runs.append(run_id)
    if incomplete_runs:
        problems.append(f"runs without exactly one result per check: {incomplete_runs}")

    events = collections.defaultdict(collections.Counter)
    for application_id, action in ApplicationEvent.objects.filter(
        application_id__in=submitted
    ).values_list("application_id", "action"):
        events[application_id][action] += 1
    evidence = dict(
        Evidence.objects.filter(application_id__in=submitted)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    # The client uploaded two files to each application and was told of each exactly once.
    if wrong_evidence := sorted(pk for pk in submitted if evidence.get(pk, 0) != 2):
        problems.append(f"evidence files missing or doubled: applications {wrong_evidence}")
    wrong_events = []
    for pk in submitted:
        seen = events[pk]
        finished = seen["finish_screening"] + seen["return_incomplete"]
        expected = (1, 1, 1, 1, evidence.get(pk, 0))
        actual = (
            seen["created"],
            seen["submit"],
            seen["start_screening"],
            finished,
            seen["evidence_added"],
        )
        if actual != expected:
            wrong_events.append({"application": pk, "events": dict(seen)})
    if wrong_events:
        problems.append(f"events missing or doubled: {wrong_events}")

    unhandled = ScreeningRequest.objects.filter(handled_at__isnull=True).count()
    if unhandled:
        problems.append(f"{unhandled} screening requests never handled")
    notifications = Notification.objects.filter(application_id__in=submitted)
    unmailed = notifications.filter(mailed_at__isnull=True).count()
    if unmailed:
        problems.append(f"{unmailed} notifications never mailed")
    # The file backend appends messages sent in the same second to one file: count headers.
    mails = sum(
        line.startswith("Message-ID:")
        for path in (drill.stack.work / "data" / "mail").glob("*")
        for line in path.read_text(errors="replace").splitlines()
    )
    if mails < notifications.count():
        problems.append(f"{mails} mails for {notifications.count()} notifications")

    webhooks = _reconcile_webhooks(drill, problems)

    answers = collections.Counter(a.kind for a in drill.answers)
    for fault in drill.faults:
        window = [a for a in drill.answers if fault.started <= a.at]
        during = [a for a in window if a.at <= fault.ended + 1]
        fault.answers = collections.Counter(a.kind for a in during)
        first_success = next((a.at for a in window if 200 <= a.status < 300), None)
        if first_success is not None:
            fault.recovered_after_s = round(max(0.0, first_success - fault.ended), 2)
    bad = [a for a in drill.answers if a.status >= 500 and a.status != 503]
    if bad:
        problems.append(f"{len(bad)} answers were 5xx other than 503")
    # Each write is sent once with its own Idempotency-Key and retried with it, so a retry after
    # a write that committed gets that write's answer back, never a refusal of a second write.
    second_writes = answers["409 duplicate_application"] + answers["409 transition_not_allowed"]
    if second_writes:
        problems.append(f"{second_writes} retries were refused as second writes, not replayed")
    # gunicorn itself never stops in the drill: a dropped connection is a crashed request.
    if dropped := answers["no answer"]:
        problems.append(f"{dropped} requests got no answer at all")
    unannounced = [a for a in drill.answers if a.status == 503 and not (a.retry_after and a.code)]
    if unannounced:
        problems.append(f"{len(unannounced)} 503 answers without Retry-After or problem details")
    # Redis holds only what the API can do without for a while (rate counters, cached answers,
    # idempotency claims) and queued tasks, which wait in the outboxes: its restart is no outage.
    redis_restart = next(f for f in drill.faults if f.name == "redis_restart")
    if refused := redis_restart.answers["503 service_unavailable"]:
        problems.append(f"{refused} requests were answered 503 during the Redis restart")
    postgres = next(f for f in drill.faults if f.name == "postgres_restart")
    if not postgres.answers["503 service_unavailable"]:
        problems.append("no request met the PostgreSQL restart: the drill proved nothing there")
    if postgres.recovered_after_s is None:
        problems.append("the API did not recover after the PostgreSQL restart")

    return {
        "ok": not problems,
        "problems": problems,
        "applications": {
            "started": len(drill.submissions),
            "submitted": len(submitted),
            "decision_ready": len(submitted) - len(not_ready) - len(unknown),
        },
        "screening": {
            "runs": runs.count(),
            "check_results": sum(results.values()),
            "runs_without_one_result_per_check": len(incomplete_runs),
            "unhandled_requests": unhandled,
        },
        "events": {
            "applications_checked": len(submitted),
            "missing_or_doubled": len(wrong_events),
        },
        "evidence_files": {"stored": sum(evidence.values()), "uploaded": 2 * len(submitted)},
        "notifications": {
            "created": notifications.count(),
            "marked_mailed": notifications.count() - unmailed,
            # At least once: a worker killed between sending and marking sends again.
            "mails_sent": mails,
        },
        "webhooks": webhooks,
        # Not a loss in itself; what the exit left unfinished is reconciled like the rest.
        "worker_exits_restarted": drill.stack.worker_restarts,
        "requests": dict(sorted(answers.items())),
        "faults": [
            {
                "fault": f.name,
                "at_s": round(f.started, 1),
                "down_s": round(f.ended - f.started, 1),
                "answers_until_1s_after": dict(sorted(f.answers.items())),
                "api_first_2xx_after_back_s": f.recovered_after_s,
            }
            for f in drill.faults
        ],
        "settle_s": settle_s,
    }


def _reconcile_webhooks(drill: Drill, problems: list[str]) -> dict:
    """One delivery per seller-visible change, each delivered, each id seen by the receiver."""
    from sellers.models import ApplicationEvent, WebhookDelivery, WebhookEndpoint
    from sellers.workflow.table import TRANSITIONS, seller_status_code

    receiver = drill.stack.receiver
    visible = [action for action, transition in TRANSITIONS.items() if transition.seller_visible]
    changes = collections.Counter(
        (application_id, f"application.{seller_status_code(to_status)}")
        for application_id, to_status in ApplicationEvent.objects.filter(
            application__company_id=drill.seller_id, action__in=visible
        ).values_list("application_id", "to_status")
    )
    # Redeliveries are asked for by people; the drill asks for none, so every row is an event's.
    deliveries = WebhookDelivery.objects.filter(endpoint_id=drill.webhook_endpoint_id)
    per_change = collections.Counter(deliveries.values_list("application_id", "event_type"))
    wrong = sorted(
        key for key in changes.keys() | per_change.keys() if changes[key] != per_change[key]
    )
    if wrong:
        problems.append(
            "webhook deliveries missing or doubled (application, event, changes, deliveries): "
            f"{[(pk, event, changes[pk, event], per_change[pk, event]) for pk, event in wrong]}"
        )
    statuses = collections.Counter(deliveries.values_list("status", flat=True))
    if unsent := deliveries.exclude(status=WebhookDelivery.Status.SUCCEEDED).count():
        problems.append(f"{unsent} webhook deliveries did not succeed: {dict(statuses)}")
    endpoint = WebhookEndpoint.objects.get(pk=drill.webhook_endpoint_id)
    if not endpoint.is_active:
        problems.append(f"the webhook endpoint was disabled: {endpoint.disabled_reason}")
    event_ids = set(deliveries.values_list("event_id", flat=True))
    if missing := sorted(event_ids - receiver.receipts.keys()):
        problems.append(f"{len(missing)} webhook events never reached the receiver: {missing}")
    if strays := sorted(receiver.receipts.keys() - event_ids):
        problems.append(f"the receiver got {len(strays)} events with no delivery row: {strays}")
    if receiver.bad_signatures:
        problems.append(f"{receiver.bad_signatures} webhook messages failed the signature check")
    attempts = list(deliveries.values_list("attempts", flat=True))
    return {
        "seller_visible_changes": sum(changes.values()),
        "deliveries": len(attempts),
        "missing_or_doubled": len(wrong),
        "succeeded": statuses[WebhookDelivery.Status.SUCCEEDED],
        "attempts": sum(attempts),
        "retried": sum(n > 1 for n in attempts),
        "endpoint_active": endpoint.is_active,
        "receiver": {
            "events_received": len(receiver.receipts),
            "missing": len(missing),
            # At least once: an answer lost with a killed worker or the database is sent again.
            "duplicate_receipts": sum(n - 1 for n in receiver.receipts.values()),
            "refused_on_purpose": len(receiver.refused),
            "bad_signatures": receiver.bad_signatures,
        },
    }
