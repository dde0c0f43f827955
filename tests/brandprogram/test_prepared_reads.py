"""What every signed-in page reads first (its session, its user, the person's roles) is read by
statements compiled once and planned once per database connection, with the same results as
Django's own reads."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.urls import reverse

from brandprogram.db import CompiledOnce
from brandprogram.sessions import SessionStore
from sellers.actors import actor_for_user
from sellers.models import Brand
from sellers.portal.login_lockout import LockoutModelBackend
from tests.pages import logged_in
from tests.reviews.factories import ReviewQueueFactory
from tests.sellers.factories import ApplicationFactory


def _prepared(*beginnings: str) -> dict[str, int]:
    """How many statements prepared on the connection begin with each of ``beginnings``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    return {start: sum(s.startswith(start) for s in statements) for start in beginnings}


def test_a_signed_in_page_reads_its_session_user_and_roles_prepared(db, reviewer):
    ReviewQueueFactory(members=[reviewer])
    client = logged_in(reviewer)

    pages = [client.get(reverse("reviews:queue")).status_code for _ in range(2)]

    assert pages == [200, 200]
    session, user, roles = 'SELECT "django_session".', 'SELECT "auth_user".', "(SELECT 'group'"
    assert _prepared(session, user, roles) == {session: 1, user: 1, roles: 1}


def test_the_session_store_reads_what_djangos_own_reads(db, reviewer):
    stored = DjangoSessionStore()
    stored[SESSION_KEY] = str(reviewer.pk)
    stored.create()

    ours, theirs = SessionStore(stored.session_key), DjangoSessionStore(stored.session_key)
    missing = SessionStore("no-such-session-key-at-all")

    assert ours.load() == theirs.load() == {SESSION_KEY: str(reviewer.pk)}
    assert (missing.load(), missing.session_key) == ({}, None)


def test_the_login_backend_loads_the_user_as_django_does(db, reviewer):
    reviewer.is_active = False
    reviewer.save()
    backend = LockoutModelBackend()

    loaded = backend.get_user(reviewer.pk)
    reviewer.is_active = True
    reviewer.save()
    active = backend.get_user(reviewer.pk)

    assert loaded is None
    assert backend.get_user(reviewer.pk + 1000) is None
    assert [(f.attname, getattr(active, f.attname)) for f in active._meta.concrete_fields] == [
        (f.attname, getattr(reviewer, f.attname)) for f in reviewer._meta.concrete_fields
    ]
    assert actor_for_user(active).is_reviewer


def _brands_with_company(pk: int):
    return Brand.objects.select_related("company").filter(pk=pk)


def test_compiled_objects_are_the_instances_the_queryset_makes(db, django_assert_num_queries):
    application = ApplicationFactory()
    brands = CompiledOnce(_brands_with_company, pk=-2_102_938_400)

    with django_assert_num_queries(1):
        [ours] = brands.objects(pk=application.brand_id)
        company_name = ours.company.legal_name
    [theirs] = _brands_with_company(application.brand_id)

    assert brands.objects(pk=application.brand_id + 1000) == []
    assert [(f.attname, getattr(ours, f.attname)) for f in Brand._meta.concrete_fields] == [
        (f.attname, getattr(theirs, f.attname)) for f in Brand._meta.concrete_fields
    ]
    assert company_name == theirs.company.legal_name == application.company.legal_name
    assert not ours._state.adding
    assert _prepared('SELECT "sellers_brand".') == {'SELECT "sellers_brand".': 1}
