"""The data set at scale, written with COPY and reused while it has the size asked for.

Rows are generated one at a time and streamed to PostgreSQL, so a million marks never sit in
memory together. A marker row records what was built; a second run with the same size finds it
(and the row counts it promises) and skips the build.
"""

import datetime
import json
import random
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from stdnum.cn import uscc

from bench.names import NameMaker
from reviews.models import QueueItem, QueueMembership, ReferenceMark, ReviewQueue
from reviews.similarity import skeleton, sound_key
from reviews.similarity.marks import well_known_load
from sellers.actors import REVIEWER_GROUP
from sellers.models import Application, Category, Program, SellerCompany, Status

SEED = 20261128
MARKS_SEED = SEED + 1
MARK_SOURCE = "bench: generated mark"
FORMAT_VERSION = 2
EPOCH = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)

# The shape of a mature program: most applications decided, a few thousand waiting.
STATUS_WEIGHTS = (
    (Status.DRAFT, 22),
    (Status.AWAITING_REVIEW, 3),
    (Status.IN_REVIEW, 1),
    (Status.CHANGES_REQUESTED, 8),
    (Status.WAITLISTED, 2),
    (Status.REJECTED, 44),
    (Status.WITHDRAWN, 19),
)
TIERS = (
    (SellerCompany.Tier.STANDARD,) * 6
    + (SellerCompany.Tier.SILVER,) * 3
    + (SellerCompany.Tier.GOLD,)
)


@dataclass(frozen=True)
class Size:
    applications: int
    sellers: int
    marks: int
    version: int = FORMAT_VERSION

    @classmethod
    def at(cls, scale: float) -> "Size":
        return cls(
            applications=max(300, round(100_000 * scale)),
            sellers=max(30, round(10_000 * scale)),
            marks=max(3_000, round(1_000_000 * scale)),
        )


def dataset_ensure(size: Size, log=print) -> bool:
    """Build the data set unless it is already there at this size; True when it was built."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset "
            "(id int PRIMARY KEY, size jsonb NOT NULL, built_at timestamptz NOT NULL)"
        )
        cursor.execute("SELECT size FROM bench_dataset WHERE id = 1")
        row = cursor.fetchone()
    if row and _as_dict(row[0]) == asdict(size) and _counts_match(size):
        log(f"data set reused: {size}")
        queues_ensure(log=log)
        return False
    log(f"building the data set: {size}")
    _clear()
    program = Program.objects.get_or_create(
        slug="thousand-class",
        defaults={"name": "Thousand-Class Brand Program", "opens_on": datetime.date(2026, 1, 1)},
    )[0]
    category = bench_category()
    _copy_sellers(size)
    log("  sellers written")
    _copy_applications(size, program.pk, category.pk)
    log("  applications written")
    marks_copy(size.marks)
    log("  marks written and indexed")
    queues_ensure(log=log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            "INSERT INTO bench_dataset (id, size, built_at) VALUES (1, %s, now()) "
            "ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, built_at = EXCLUDED.built_at",
            [json.dumps(asdict(size))],
        )
    return True


def bench_category() -> Category:
    """A category without evidence requirements, so generated drafts can be submitted."""
    return Category.objects.get_or_create(
        code="bench-household",
        defaults={"name": "Household goods (benchmark)", "nice_classes": [11, 21]},
    )[0]


# name: (risk level, takes the bench category). Standard-risk applications go to the first
# queue, high-risk ones to the senior queue; the catch-all stays small, as in a real program.
QUEUES = {
    "Bench household": (ReviewQueue.RiskLevel.STANDARD, True),
    "Bench senior": (ReviewQueue.RiskLevel.SENIOR, True),
    "Bench catch-all": (ReviewQueue.RiskLevel.STANDARD, False),
}
SENIOR_RISK = 60


def bench_reviewer():
    user = get_user_model().objects.get_or_create(
        username="bench.reviewer@brand-program.example",
        defaults={"email": "bench.reviewer@brand-program.example"},
    )[0]
    user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    return user


def queues_ensure(log=print) -> None:
    """Review queues, with the bench reviewer as their lead, and an open item for every waiting
    application that has none; added to a data set built before queues existed."""
    reviewer = bench_reviewer()
    category = bench_category()
    for name, (risk_level, categorised) in QUEUES.items():
        queue, created = ReviewQueue.objects.get_or_create(
            name=name, defaults={"risk_level": risk_level}
        )
        if created and categorised:
            queue.categories.add(category)
        QueueMembership.objects.get_or_create(
            queue=queue, reviewer=reviewer, defaults={"is_lead": True}
        )
    by_name = dict(ReviewQueue.objects.filter(name__in=QUEUES).values_list("name", "pk"))
    # Rows derived from rows already in the database: one INSERT … SELECT, no round trips.
    # Due three business days (about five calendar days) after arrival, as the SLA would say.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {QueueItem._meta.db_table} "
            "(queue_id, application_id, assignee_id, priority, entered_at, due_at) "
            "SELECT CASE WHEN a.risk_score >= %s THEN %s WHEN a.id %% 50 = 0 THEN %s ELSE %s END, "
            "a.id, a.assignee_id, (a.id %% 3)::smallint, a.submitted_at, "
            "a.submitted_at + interval '5 days' "
            f"FROM {Application._meta.db_table} a WHERE a.status IN (%s, %s) "
            "AND a.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            f"{QueueItem._meta.db_table} i WHERE i.application_id = a.id "
            "AND i.closed_at IS NULL)",
            [
                SENIOR_RISK,
                by_name["Bench senior"],
                by_name["Bench catch-all"],
                by_name["Bench household"],
                Status.AWAITING_REVIEW,
                Status.IN_REVIEW,
            ],
        )
        added = cursor.rowcount
        # As reviews.queues keeps it when it opens an item.
        cursor.execute(
            f"UPDATE {Application._meta.db_table} a SET in_queue = TRUE "
            f"FROM {QueueItem._meta.db_table} i "
            "WHERE i.application_id = a.id AND i.closed_at IS NULL AND NOT a.in_queue"
        )
    if added:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {QueueItem._meta.db_table}")
        log(f"  {added:,} open queue items added")


def _as_dict(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value


def _counts_match(size: Size) -> bool:
    generated = ReferenceMark.objects.filter(source=MARK_SOURCE).count()
    return (
        SellerCompany.objects.count() == size.sellers
        and Application.objects.count() >= size.applications
        and generated == size.marks
    )


def _clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE sellers_sellercompany, sellers_application, reviews_referencemark, "
            "reviews_screeningrun, reviews_screeningrequest RESTART IDENTITY CASCADE"
        )
    well_known_load(ReferenceMark)


def marks_clear() -> None:
    """Only the reference marks, back to the well-known list."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reviews_referencemark RESTART IDENTITY CASCADE")
    well_known_load(ReferenceMark)


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _registration_number(i: int) -> str:
    body = f"91440300{i:09d}"
    return body + uscc.calc_check_digit(body)


def _copy_sellers(size: Size) -> None:
    rnd = random.Random(SEED)
    maker = NameMaker(SEED)

    def rows():
        for i in range(1, size.sellers + 1):
            city = rnd.choice(("Shenzhen", "Ningbo", "Yiwu", "Guangzhou", "Hangzhou", "Xiamen"))
            yield (
                i,
                f"{city} {maker.invented()} {rnd.choice(('Trading', 'Technology', 'Industrial'))}"
                f" Co., Ltd. {i}",
                "CN",
                _registration_number(i),
                SellerCompany.IdentityStatus.VERIFIED,
                rnd.choice(TIERS),
                round(rnd.random() * 0.02, 4),
                0,
                "",
                "",
                "",
                "",
                "",
                "{}",
                EPOCH - datetime.timedelta(days=rnd.randrange(900)),
            )

    _copy(
        "sellers_sellercompany",
        ("id", "legal_name", "country", "registration_number", "identity_status", "tier",
         "quality_dispute_rate", "infringement_complaints", "identity_note", "business_licence",
         "business_licence_name", "business_licence_sha256", "business_licence_type",
         "indicators_measured_on", "created_at"),
        rows(),
    )  # fmt: skip
    _reset_sequence("sellers_sellercompany")


def _copy_applications(size: Size, program_id: int, category_id: int) -> None:
    """One brand, one trademark and one application per row number, and its category."""
    rnd = random.Random(SEED + 2)
    maker = NameMaker(SEED + 3)
    statuses = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
    plan = []
    approved_left = 1000
    for i in range(1, size.applications + 1):
        company_id = rnd.randrange(1, size.sellers + 1)
        status = rnd.choice(statuses)
        if status == Status.REJECTED and approved_left and rnd.random() < 0.03:
            status, approved_left = Status.APPROVED, approved_left - 1
        created = EPOCH - datetime.timedelta(minutes=rnd.randrange(60 * 24 * 700))
        submitted = None if status == Status.DRAFT else created + datetime.timedelta(days=2)
        if status in (Status.AWAITING_REVIEW, Status.IN_REVIEW):
            created = EPOCH - datetime.timedelta(minutes=rnd.randrange(60 * 24 * 20))
            submitted = created + datetime.timedelta(hours=rnd.randrange(1, 48))
        plan.append((i, company_id, status, created, submitted, rnd.randrange(0, 90)))

    def brands():
        for i, company_id, _, created, _, _ in plan:
            # The row number keeps names unique within a company, as the constraint asks.
            yield i, company_id, f"{maker.name()} {i}", "", "", created

    _copy("sellers_brand", ("id", "company_id", "name", "native_name", "logo", "created_at"),
          brands())  # fmt: skip

    def trademarks():
        for i, _, _, created, _, _ in plan:
            yield (
                i, i, "USPTO", str(88_000_000 + i), "registered", "word", "[11, 21]",
                f"Owner of brand {i}", (created + datetime.timedelta(days=3650)).date(), "", "",
            )  # fmt: skip

    _copy(
        "sellers_trademark",
        ("id", "brand_id", "office", "number", "registration_status", "mark_type",
         "nice_classes", "owner_name", "expires_on", "correspondent_email", "certificate"),
        trademarks(),
    )  # fmt: skip

    def applications():
        for i, company_id, status, created, submitted, risk in plan:
            decided = submitted + datetime.timedelta(days=9) if status in DECIDED else None
            yield (
                i, company_id, program_id, i, i, status, risk if submitted else None,
                submitted, decided, created, decided or submitted or created, "[]", "",
            )  # fmt: skip

    _copy(
        "sellers_application",
        ("id", "company_id", "program_id", "brand_id", "trademark_id", "status", "risk_score",
         "submitted_at", "decided_at", "created_at", "updated_at", "brand_score_parts",
         "proposed_decision"),
        applications(),
    )  # fmt: skip
    _copy(
        "sellers_application_categories",
        ("application_id", "category_id"),
        ((i, category_id) for i, *_ in plan),
    )
    for table in ("sellers_brand", "sellers_trademark", "sellers_application"):
        _reset_sequence(table)


DECIDED = {Status.APPROVED, Status.WAITLISTED, Status.REJECTED}


def marks_copy(count: int) -> None:
    """The marks names are compared with; their indexes are built after the rows are in."""
    maker = NameMaker(MARKS_SEED)
    indexes = _drop_indexes("reviews_referencemark")

    def rows():
        for i in range(count):
            name = maker.name()
            yield (
                ReferenceMark.Kind.PROGRAM_BRAND, name, f"Holder {i}", MARK_SOURCE, "bench",
                skeleton(name), sound_key(name),
            )  # fmt: skip

    _copy(
        "reviews_referencemark",
        ("kind", "name", "owner", "source", "list_version", "skeleton", "sound_key"),
        rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


def _drop_indexes(table: str) -> list[str]:
    """Drop the table's plain indexes (not those behind constraints); returns their DDL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )
