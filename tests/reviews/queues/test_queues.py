"""Review queues: routing on entry, order, claim-next, assignment, release and leaving."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from brandprogram.errors import ApplicationError
from brandprogram.phrases import explained
from reviews import queues
from reviews.models import QueueItem, QueueMembership, ReviewQueue, ScreeningRun
from reviews.screening.runs import screening_check
from reviews.sla import add_business_days
from sellers.actors import SYSTEM, actor_for_user
from sellers.models import (
    Application,
    ApplicationEvent,
    ConflictOfInterest,
    SellerCompany,
    Status,
)
from sellers.workflow.transition import application_transition
from tests.pages import logged_in
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import (
    ApplicationFactory,
    CategoryFactory,
    CompanyFactory,
    ReviewerFactory,
)

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday afternoon + 3 business days: the weekend does not count.
        (datetime.datetime(2026, 11, 27, 15, 0), 3, datetime.datetime(2026, 12, 2, 15, 0)),
        # Monday + 5: the next Monday, same time.
        (datetime.datetime(2026, 11, 23, 9, 30), 5, datetime.datetime(2026, 11, 30, 9, 30)),
        # Arriving on Saturday: the clock starts on Monday at midnight.
        (datetime.datetime(2026, 11, 28, 10, 0), 1, datetime.datetime(2026, 12, 1, 0, 0)),
        (datetime.datetime(2026, 11, 29, 23, 0), 2, datetime.datetime(2026, 12, 2, 0, 0)),
    ],
)
def test_add_business_days_skips_weekends(start, days, due):
    assert add_business_days(start.replace(tzinfo=UTC), days) == due.replace(tzinfo=UTC)


def test_screened_application_enters_the_queue_of_its_category_and_route(db, reviewer):
    lighting = CategoryFactory(code="lighting-appliances")
    toys = CategoryFactory(code="toys", name="Toys", nice_classes=[28])
    ReviewQueueFactory(name="Toys", categories=[toys])
    lighting_queue = ReviewQueueFactory(name="Lighting", categories=[lighting], sla_business_days=2)
    senior_queue = ReviewQueueFactory(
        name="Lighting senior", categories=[lighting], risk_level=ReviewQueue.RiskLevel.SENIOR
    )
    catch_all = ReviewQueueFactory(name="Everything else", categories=[])

    standard = screened(categories=[lighting])
    senior = screened(categories=[lighting], route=ScreeningRun.Route.SENIOR, risk_score=70)
    other = screened(categories=[CategoryFactory(code="bags", name="Bags", nice_classes=[18])])

    items = {item.application_id: item for item in QueueItem.objects.all()}
    assert {app: items[app.pk].queue for app in (standard, senior, other)} == {
        standard: lighting_queue,
        senior: senior_queue,
        other: catch_all,
    }
    item = items[standard.pk]
    assert abs((item.entered_at - timezone.now()).total_seconds()) < 60
    assert item.due_at == add_business_days(item.entered_at, 2)
    assert (item.assignee, item.closed_at, item.priority) == (None, None, 0)


def test_priority_favours_gold_and_silver_sellers_and_resubmissions(db):
    ReviewQueueFactory()
    gold = screened(company=CompanyFactory(tier=SellerCompany.Tier.GOLD))
    silver = screened(company=CompanyFactory(tier=SellerCompany.Tier.SILVER))
    resubmitted = screened(company=CompanyFactory())
    ApplicationEvent.objects.create(
        application=resubmitted, actor_label="seller", action="resubmit", seller_visible=True
    )
    QueueItem.objects.filter(application=resubmitted).delete()
    queues.queue_item_open(application_id=resubmitted.pk)

    priorities = dict(QueueItem.objects.values_list("application_id", "priority"))
    assert priorities == {
        gold.pk: queues.PRIORITY_GOLD,
        silver.pk: queues.PRIORITY_SILVER,
        resubmitted.pk: queues.PRIORITY_RESUBMISSION,
    }


def test_claim_next_takes_items_by_due_time_then_priority_then_age(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    now = timezone.now()
    arrivals = {
        "LATE-DUE": (now + datetime.timedelta(days=3), 50, now - datetime.timedelta(hours=9)),
        "OLD-LOW": (now + datetime.timedelta(days=1), 0, now - datetime.timedelta(hours=8)),
        "NEW-HIGH": (now + datetime.timedelta(days=1), 20, now - datetime.timedelta(hours=1)),
        "OLDER-HIGH": (now + datetime.timedelta(days=1), 20, now - datetime.timedelta(hours=2)),
        "FIRST-DUE": (now + datetime.timedelta(hours=2), 0, now),
    }
    for brand, (due, priority, entered) in arrivals.items():
        item = QueueItem.objects.get(application=screened(brand__name=brand))
        QueueItem.objects.filter(pk=item.pk).update(
            due_at=due, priority=priority, entered_at=entered
        )
    actor = actor_for_user(reviewer)

    order = []
    while (application := queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)) is not None:
        order.append(application.brand.name)

    assert order == ["FIRST-DUE", "OLDER-HIGH", "NEW-HIGH", "OLD-LOW", "LATE-DUE"]
    assert set(QueueItem.objects.values_list("assignee", flat=True)) == {reviewer.pk}
    assert (
        list(ApplicationEvent.objects.filter(action="claim").values_list("actor", flat=True))
        == [reviewer.pk] * 5
    )


def test_claim_next_is_refused_to_non_members_and_in_assigned_queues(db, reviewer, other_reviewer):
    claimable = ReviewQueueFactory(members=[reviewer])
    manual = ReviewQueueFactory(
        name="Manual",
        categories=[CategoryFactory(code="toys", name="Toys")],
        members=[reviewer],
        assignment_mode=ReviewQueue.AssignmentMode.MANUAL,
    )
    senior_only = ReviewQueueFactory(
        name="Senior", risk_level=ReviewQueue.RiskLevel.SENIOR, members=[reviewer], categories=[]
    )
    application = screened()

    refusals = {}
    for queue, who in ((claimable, other_reviewer), (manual, reviewer), (senior_only, reviewer)):
        with pytest.raises(ApplicationError) as refused:
            queues.queue_item_claim_next(queue_id=queue.pk, actor=actor_for_user(who))
        refusals[queue.name] = (refused.value.code, refused.value.message)

    assert refusals == {
        "Lighting": ("not_a_member", "You are not a member of the queue “Lighting”."),
        "Manual": ("not_claimable", "Items of “Manual” are assigned, not claimed."),
        "Senior": ("senior_only", "Only senior reviewers work the queue “Senior”."),
    }
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
    assert QueueItem.objects.get().assignee is None


def test_claim_next_on_an_empty_queue_returns_nothing(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    assert queues.queue_item_claim_next(queue_id=queue.pk, actor=actor_for_user(reviewer)) is None


def test_release_puts_the_item_back_and_a_decision_closes_it(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    application = screened()
    actor = actor_for_user(reviewer)
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
    item = QueueItem.objects.get()
    assert (item.assignee, item.assigned_at is not None) == (reviewer, True)

    application_transition(application_id=application.pk, action="release", actor=actor)
    item.refresh_from_db()
    assert (item.assignee, item.assigned_at, item.closed_at) == (None, None, None)

    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)
    application_transition(application_id=application.pk, action="approve", actor=actor)
    item.refresh_from_db()
    assert item.closed_at is not None
    assert QueueItem.objects.open().count() == 0


def test_withdrawal_takes_the_item_out_of_the_queue(db, seller_a):
    ReviewQueueFactory()
    application = screened(company=seller_a.company)

    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)

    assert QueueItem.objects.open().count() == 0
    assert QueueItem.objects.get().closed_at is not None


def test_lead_assigns_and_reassigns_through_the_workflow(db, reviewer, other_reviewer):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    queue = ReviewQueueFactory(
        members=[reviewer, other_reviewer],
        leads=[lead],
        assignment_mode=ReviewQueue.AssignmentMode.MANUAL,
    )
    application = screened()
    item = QueueItem.objects.get()
    lead_actor = actor_for_user(lead)

    queues.queue_item_assign(item_id=item.pk, assignee=reviewer, actor=lead_actor)
    queues.queue_item_assign(item_id=item.pk, assignee=other_reviewer, actor=lead_actor)

    application.refresh_from_db()
    item.refresh_from_db()
    assert (application.status, application.assignee, item.assignee) == (
        Status.IN_REVIEW,
        other_reviewer,
        other_reviewer,
    )
    events = ApplicationEvent.objects.filter(
        application=application, action__in=["assign", "reassign"]
    )
    assert [(e.action, e.actor, e.note) for e in events] == [
        ("assign", lead, f"Assigned to {reviewer.username}."),
        ("reassign", lead, f"Assigned to {other_reviewer.username}."),
    ]
    assert queue.items.count() == 1


def test_assignment_by_a_non_lead_or_to_a_non_member_is_refused(db, reviewer, other_reviewer):
    lead = ReviewerFactory(username="lea.lead@brand-program.example")
    ReviewQueueFactory(
        members=[reviewer], leads=[lead], assignment_mode=ReviewQueue.AssignmentMode.MANUAL
    )
    application = screened()
    item = QueueItem.objects.get()

    with pytest.raises(ApplicationError) as not_lead:
        queues.queue_item_assign(item_id=item.pk, assignee=reviewer, actor=actor_for_user(reviewer))
    with pytest.raises(ApplicationError) as not_member:
        queues.queue_item_assign(
            item_id=item.pk, assignee=other_reviewer, actor=actor_for_user(lead)
        )

    assert (not_lead.value.code, not_member.value.code) == ("not_a_lead", "not_a_member")
    assert not_member.value.message == "Choose a member of “Lighting”."
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
    assert not ApplicationEvent.objects.filter(action__in=["assign", "reassign"]).exists()


def test_a_manager_assigns_in_any_queue(db, reviewer, manager):
    ReviewQueueFactory(members=[reviewer], assignment_mode=ReviewQueue.AssignmentMode.MANUAL)
    application = screened()

    queues.queue_item_assign(
        item_id=QueueItem.objects.get().pk, assignee=reviewer, actor=actor_for_user(manager)
    )

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)


def test_automatic_queue_assigns_the_least_loaded_member_round_robin_on_ties(
    db, django_capture_on_commit_callbacks
):
    ana, bo, cy = (
        ReviewerFactory(username=f"{name}@brand-program.example") for name in ("ana", "bo", "cy")
    )
    queue = ReviewQueueFactory(
        members=[ana, bo, cy], assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC
    )
    # Cy already has two applications on the desk.
    ApplicationFactory.create_batch(2, status=Status.IN_REVIEW, assignee=cy)

    assignees = []
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            application = screened()
        application.refresh_from_db()
        assignees.append(application.assignee.username.split("@")[0])

    # Ana and Bo tie at 0, 1 and 2; Cy joins the rotation once it has no more than they do.
    assert assignees == ["ana", "bo", "ana", "bo", "cy"]
    assert QueueItem.objects.filter(queue=queue, assignee__isnull=True).count() == 0
    assert set(
        ApplicationEvent.objects.filter(action="assign").values_list("actor_label", flat=True)
    ) == {"Automatic assignment"}
    assert QueueMembership.objects.get(queue=queue, reviewer=cy).last_assigned_at is not None


def test_automatic_assignment_of_a_senior_queue_skips_standard_reviewers(
    db, reviewer, senior_reviewer, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(
        members=[reviewer, senior_reviewer],
        risk_level=ReviewQueue.RiskLevel.SENIOR,
        assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC,
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = screened(route=ScreeningRun.Route.SENIOR)
    with django_capture_on_commit_callbacks(execute=True):
        second = screened(route=ScreeningRun.Route.SENIOR)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.assignee, second.assignee) == (senior_reviewer, senior_reviewer)


def test_automatic_queue_without_an_eligible_member_leaves_the_item_waiting(
    db, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC)

    with django_capture_on_commit_callbacks(execute=True):
        application = screened()

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.AWAITING_REVIEW, None)
    assert QueueItem.objects.get().assignee is None


def test_screening_again_closes_the_item_and_the_next_screening_opens_a_new_one(db, reviewer):
    queue = ReviewQueueFactory(members=[reviewer])
    application = screened()
    actor = actor_for_user(reviewer)
    queues.queue_item_claim_next(queue_id=queue.pk, actor=actor)

    application_transition(application_id=application.pk, action="rescreen", actor=actor)
    closed = QueueItem.objects.get()
    Application.objects.filter(pk=application.pk).update(status=Status.SCREENING)
    application_transition(
        application_id=application.pk, action="finish_screening", actor=SYSTEM, note=""
    )

    assert closed.closed_at is not None
    reopened = QueueItem.objects.open().get()
    assert (reopened.application_id, reopened.assignee, reopened.pk != closed.pk) == (
        application.pk,
        None,
        True,
    )


def test_a_rerun_that_changes_the_route_moves_the_item_to_the_queue_that_takes_it(
    db, settings, reviewer
):
    lighting = CategoryFactory(code="lighting-appliances")
    standard_queue = ReviewQueueFactory(name="Lighting", categories=[lighting], sla_business_days=5)
    senior_queue = ReviewQueueFactory(
        name="Lighting senior",
        categories=[lighting],
        risk_level=ReviewQueue.RiskLevel.SENIOR,
        sla_business_days=2,
    )
    application = screened(categories=[lighting], risk_score=10)
    item = QueueItem.objects.get(application=application)
    run = ScreeningRun.objects.get(application=application)
    # Any score is senior now: the re-run check routes the case to a senior reviewer.
    settings.SCREENING_SENIOR_RISK = 0

    screening_check(
        run_id=run.pk, check_code="registration_numbers", last_attempt=True, rerun_by_id=reviewer.pk
    )

    item.refresh_from_db()
    run.refresh_from_db()
    assert (run.route, item.queue) == (ScreeningRun.Route.SENIOR, senior_queue)
    assert item.due_at == add_business_days(item.entered_at, 2)
    assert QueueItem.objects.filter(application=application).count() == 1
    moved = ApplicationEvent.objects.get(application=application, action="queue_moved")
    assert moved.seller_visible is False
    assert (standard_queue.name in moved.note, senior_queue.name in moved.note) == (True, True)


def test_a_rerun_that_keeps_the_route_leaves_the_item_where_it_is(db, reviewer):
    lighting = CategoryFactory(code="lighting-appliances")
    standard_queue = ReviewQueueFactory(name="Lighting", categories=[lighting])
    ReviewQueueFactory(
        name="Lighting senior", categories=[lighting], risk_level=ReviewQueue.RiskLevel.SENIOR
    )
    application = screened(categories=[lighting], risk_score=10)
    run = ScreeningRun.objects.get(application=application)

    screening_check(
        run_id=run.pk, check_code="registration_numbers", last_attempt=True, rerun_by_id=reviewer.pk
    )

    assert QueueItem.objects.get(application=application).queue == standard_queue
    assert not ApplicationEvent.objects.filter(action="queue_moved").exists()


def _changes_requested(reviewer, seller, django_capture_on_commit_callbacks):
    """The reviewer takes the application from the queue and requests changes."""
    with django_capture_on_commit_callbacks(execute=True):
        application = screened(company=seller.company)
    application.refresh_from_db()
    if application.assignee_id is None:
        application_transition(
            application_id=application.pk, action="claim", actor=actor_for_user(reviewer)
        )
        application.refresh_from_db()
    application_transition(
        application_id=application.pk,
        action="request_changes",
        actor=actor_for_user(application.assignee),
        note="Please upload the licence again.",
    )
    return application


def _resubmitted(application, seller, django_capture_on_commit_callbacks):
    """The seller resubmits and the new screening brings the application back to a queue."""
    application_transition(application_id=application.pk, action="resubmit", actor=seller.actor)
    application_transition(application_id=application.pk, action="start_screening", actor=SYSTEM)
    ScreeningRun.objects.create(
        application=application,
        state=ScreeningRun.State.COMPLETED,
        risk_score=10,
        route=ScreeningRun.Route.STANDARD,
        finished_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="finish_screening", actor=SYSTEM, note=""
        )
    application.refresh_from_db()
    return application


def test_a_resubmission_goes_back_to_the_reviewer_who_requested_the_changes(
    db, reviewer, other_reviewer, seller_a, django_capture_on_commit_callbacks
):
    queue = ReviewQueueFactory(members=[reviewer, other_reviewer])
    application = _changes_requested(reviewer, seller_a, django_capture_on_commit_callbacks)

    application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)
    item = QueueItem.objects.open().get(application=application)
    assert (item.queue, item.assignee) == (queue, reviewer)
    assign = ApplicationEvent.objects.filter(application=application, action="assign").get()
    assert (assign.actor_label, assign.note) == (
        "Automatic assignment",
        f"Back to {reviewer.username}, who requested the changes.",
    )


def test_the_note_back_to_the_reviewer_reads_in_each_readers_language(
    db, reviewer, seller_a, django_capture_on_commit_callbacks
):
    """Resubmitted from a Chinese page, the service's note is not kept in Chinese for English
    reviewers: it is a phrase, written out in the language of whoever reads it."""
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    ReviewQueueFactory(members=[reviewer])
    application = _changes_requested(reviewer, seller_a, django_capture_on_commit_callbacks)

    with translation.override("zh-hans"):
        application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    assign = ApplicationEvent.objects.get(application=application, action="assign")
    english = f"Back to {reviewer.username}, who requested the changes."
    with translation.override("zh-hans"):
        assert explained(assign.note_phrases, assign.note) == (
            f"退回给提出修改要求的 {reviewer.username}。"
        )
    assert explained(assign.note_phrases, assign.note) == assign.note == english


def test_an_automatic_queue_also_returns_a_resubmission_to_its_reviewer(
    db, seller_a, django_capture_on_commit_callbacks
):
    ana, bo = (ReviewerFactory(username=f"{name}@brand-program.example") for name in ("ana", "bo"))
    ReviewQueueFactory(members=[ana, bo], assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC)
    application = _changes_requested(None, seller_a, django_capture_on_commit_callbacks)
    first = application.assignee
    # The rotation would pick the other member next.
    assert first == ana

    application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    assert (application.status, application.assignee) == (Status.IN_REVIEW, ana)


def test_a_resubmission_waits_in_the_queue_when_its_reviewer_left_the_queue(
    db, reviewer, other_reviewer, seller_a, django_capture_on_commit_callbacks
):
    queue = ReviewQueueFactory(members=[reviewer, other_reviewer])
    application = _changes_requested(reviewer, seller_a, django_capture_on_commit_callbacks)
    QueueMembership.objects.filter(queue=queue, reviewer=reviewer).delete()

    application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    assert application.status == Status.AWAITING_REVIEW
    assert QueueItem.objects.open().get(application=application).assignee is None
    assert not ApplicationEvent.objects.filter(application=application, action="assign").exists()


def test_a_resubmission_skips_a_reviewer_who_declared_a_conflict_or_left(
    db, reviewer, other_reviewer, seller_a, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(
        members=[reviewer, other_reviewer], assignment_mode=ReviewQueue.AssignmentMode.AUTOMATIC
    )
    application = _changes_requested(reviewer, seller_a, django_capture_on_commit_callbacks)
    requester = application.assignee
    ConflictOfInterest.objects.create(
        reviewer=requester, company=seller_a.company, reason="Former employer"
    )

    application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    # The queue's rotation takes it, and it cannot be the conflicted reviewer.
    assert application.status == Status.IN_REVIEW
    assert application.assignee not in {requester, None}
    assert not ApplicationEvent.objects.filter(
        application=application, note__startswith="Back to"
    ).exists()


def test_a_resubmission_goes_to_the_queue_when_its_reviewer_is_no_longer_active(
    db, reviewer, seller_a, django_capture_on_commit_callbacks
):
    ReviewQueueFactory(members=[reviewer])
    application = _changes_requested(reviewer, seller_a, django_capture_on_commit_callbacks)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])

    application = _resubmitted(application, seller_a, django_capture_on_commit_callbacks)

    assert application.status == Status.AWAITING_REVIEW
    assert QueueItem.objects.open().get(application=application).assignee is None
    assert not ApplicationEvent.objects.filter(application=application, action="assign").exists()


def test_a_proposal_sent_back_is_in_its_queue_again_with_its_deadline(
    db, settings, senior_reviewer
):
    settings.SCREENING_SENIOR_RISK = 50
    queue = ReviewQueueFactory(
        name="Senior", categories=[], risk_level=ReviewQueue.RiskLevel.SENIOR
    )
    application = screened(route=ScreeningRun.Route.SENIOR, risk_score=80)
    # High risk: an approval needs a second reviewer's confirmation.
    Application.objects.filter(pk=application.pk).update(risk_score=80)
    proposer, confirmer = (
        actor_for_user(senior_reviewer),
        actor_for_user(ReviewerFactory(senior=True)),
    )
    application_transition(application_id=application.pk, action="claim", actor=proposer)
    item = QueueItem.objects.get(application=application)
    application_transition(
        application_id=application.pk, action="approve", actor=proposer, note="Welcome."
    )
    assert Application.objects.get(pk=application.pk).status == Status.PROPOSED
    item.refresh_from_db()
    assert item.closed_at is not None

    application_transition(
        application_id=application.pk,
        action="send_back",
        actor=confirmer,
        note="The licence expired; check it again.",
    )

    # The same item, open again in its queue, held by the proposer, due when it was due.
    reopened = QueueItem.objects.get(application=application, closed_at__isnull=True)
    assert (reopened.pk, reopened.queue, reopened.assignee) == (item.pk, queue, senior_reviewer)
    assert (reopened.entered_at, reopened.due_at) == (item.entered_at, item.due_at)
    assert QueueItem.objects.filter(application=application).count() == 1


def test_in_queue_follows_the_open_item_through_every_stay(db, settings, senior_reviewer):
    """The flag the queue page finds the applications no queue took by, step by step."""
    settings.SCREENING_SENIOR_RISK = 50
    ReviewQueueFactory(name="Senior", categories=[], risk_level=ReviewQueue.RiskLevel.SENIOR)
    application = screened(route=ScreeningRun.Route.SENIOR, risk_score=80)
    Application.objects.filter(pk=application.pk).update(risk_score=80)
    proposer = actor_for_user(senior_reviewer)
    confirmer = actor_for_user(ReviewerFactory(senior=True))

    def flag_and_item() -> tuple[bool, bool]:
        flag = Application.objects.values_list("in_queue", flat=True).get(pk=application.pk)
        return flag, QueueItem.objects.open().filter(application=application).exists()

    seen = [flag_and_item()]
    for action, actor in [
        ("claim", proposer),
        ("release", proposer),
        ("claim", proposer),
        ("approve", proposer),  # a proposal: the item closes until it is confirmed
        ("send_back", confirmer),  # the same item opens again
        ("reject", proposer),
    ]:
        application_transition(
            application_id=application.pk, action=action, actor=actor, note="Checked."
        )
        seen.append(flag_and_item())

    assert seen == [
        (True, True),
        (True, True),
        (True, True),
        (True, True),
        (False, False),
        (True, True),
        (False, False),
    ]


def test_an_application_no_queue_takes_is_not_in_queue_until_a_queue_takes_it(db, reviewer):
    unrouted = screened()
    waiting = Application.objects.filter(status=Status.AWAITING_REVIEW, in_queue=False)
    assert list(waiting) == [unrouted]

    ReviewQueueFactory(members=[reviewer])
    application_transition(
        application_id=unrouted.pk, action="claim", actor=actor_for_user(reviewer)
    )
    application_transition(
        application_id=unrouted.pk, action="release", actor=actor_for_user(reviewer)
    )
    screened_again = screened()

    # Claimed and released outside any queue, it stays in none; the next arrival is routed.
    assert list(waiting) == [unrouted]
    assert Application.objects.get(pk=screened_again.pk).in_queue is True


def test_the_admin_shows_in_queue_and_cannot_change_it(db):
    admin_user = ReviewerFactory(
        username="root@brand-program.example", is_staff=True, is_superuser=True
    )
    application = ApplicationFactory(awaiting_review=True)
    url = reverse("admin:sellers_application_change", args=[application.pk])

    page = logged_in(admin_user).get(url)

    assert "in_queue" in page.context["adminform"].readonly_fields
    assert "in_queue" not in page.context["adminform"].form.fields
