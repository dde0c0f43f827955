"""Markup the reviewer pages repeat for every row, built in Python.

The queue page shows 50 items; each row's dozen template nodes (an include, a URL, two date
filters, translations) took longer to render than all of the page's queries, so the rows are
built here with the markup, formats and translations the template used.
"""

import datetime
import functools
import html

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timesince import MONTHS_DAYS, TIME_STRINGS, timesince
from django.utils.timezone import is_aware
from django.utils.translation import get_language, gettext

from sellers.models.application import application_reference
from sellers.text import is_hidden

register = template.Library()

# Risk scores from these up are shown as high or medium risk; lower ones as low.
RISK_HIGH = 50
RISK_MEDIUM = 15


@register.filter
def risk_badge(score: int | None) -> SafeString:
    if score is None:
        return format_html('<span class="risk risk-none">{}</span>', gettext("not scored"))
    level = "high" if score >= RISK_HIGH else "medium" if score >= RISK_MEDIUM else "low"
    return format_html('<span class="risk risk-{}">{}</span>', level, localize(score))


@functools.lru_cache(maxsize=4096)
def visible_text(text: str) -> str:
    """The text with each character that does not show written as a marker, "⟨U+202E⟩".

    Names typed in the portal cannot hold them (sellers.validators), but imported and older
    rows may: a direction override would make a reviewer read "EKIN" as "NIKE", a zero-width
    space would hide that a name differs from the one it looks like. Remembered: the queue
    pages show the same names over and over, and each is read character by character.
    """
    if not any(map(is_hidden, text)):
        return text
    return "".join(f"⟨U+{ord(c):04X}⟩" if is_hidden(c) else c for c in text)


@register.filter
def show_hidden(text) -> SafeString:
    return conditional_escape(visible_text(str(text or "")))


# The row's values are escaped one by one and put in with str.format: format_html's escaping
# machinery cost more than everything else in a row. The row is made once for each item (and
# language): only whether it is overdue and how long it has waited change from one request to
# the next, and they go between the head and the tail.
ITEM_ROW_HEAD = (
    "<tr>{tick_box}"
    '<td><a class="strong-link" href="{link}">{brand}</a></td>'
    "<td>{company}</td>"
    '<td><code class="reference">{reference}</code></td>'
    '<td class="num">{risk}</td>'
    '<td class="num">{priority}</td>'
    '<td><time datetime="{due_iso}">{due}</time>'
)
ITEM_ROW_MIDDLE = "</td><td>"
ITEM_ROW_TAIL = "</td><td>{reviewer}</td></tr>"
ROWS_KEPT = 4096
# Shorter than any month by more than a clock change: timesince counts no month in it.
MONTHLESS = datetime.timedelta(days=27)
WEEK_SECONDS = 7 * 24 * 3600
TICK_BOX_CELL = (
    '<td><input type="checkbox" name="items" value="{}" id="item-{}" aria-label="{}"></td>'
)
# Stands for the application's id while the workspace link is reversed, once a page.
LINK_PLACEHOLDER = 987654321987654321


def _escaped(value) -> str:
    """conditional_escape's result as a plain string: markup as it is, anything else escaped."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


@register.simple_tag
def queue_item_rows(items, *, selectable: bool, now) -> SafeString:
    """One row per queue item (a row of ``reviews.queue_page``): a tick box for a lead, then
    brand (linked to the workspace), company, reference, risk, priority, due time, time waited
    and reviewer."""
    overdue = _escaped(format_html(' <span class="tag">{}</span>', gettext("overdue")))
    # What the rows are made with besides their own values, looked up once for the page.
    made_with = (
        selectable,
        get_language(),
        timezone.get_current_timezone(),
        get_format("DATETIME_FORMAT"),
        reverse("reviews:workspace", args=[LINK_PLACEHOLDER]),
    )
    rows = []
    for item in items:
        head, tail = _item_row(tuple(item.items()), made_with)
        rows.append(
            head
            + (overdue if item["due_at"] < now else "")
            + ITEM_ROW_MIDDLE
            + _escaped(_time_waited(item["entered_at"], now))
            + tail
        )
    # Every value in the rows was escaped above.
    return mark_safe("\n".join(rows))  # noqa: S308


@functools.lru_cache(maxsize=ROWS_KEPT)
def _item_row(values: tuple, made_with: tuple) -> tuple[str, str]:
    """The head and tail of an item's row (see ITEM_ROW_HEAD), in the active language."""
    item = dict(values)
    selectable, _language, zone, due_format, link = made_with
    brand = visible_text(item["application__brand__name"])
    tick_box = ""
    if selectable:
        label = gettext("Select %(brand)s") % {"brand": brand}
        tick_box = TICK_BOX_CELL.format(item["pk"], item["pk"], _escaped(label))
    reviewer = format_html('<span class="muted">{}</span>', gettext("nobody yet"))
    if item["assignee_id"] is not None:
        full_name = f"{item['assignee__first_name']} {item['assignee__last_name']}".strip()
        reviewer = full_name or item["assignee__username"]
    due_at = timezone.localtime(item["due_at"], zone)
    head = ITEM_ROW_HEAD.format(
        tick_box=tick_box,
        link=_escaped(link.replace(str(LINK_PLACEHOLDER), str(item["application_id"]), 1)),
        brand=_escaped(brand),
        company=_escaped(visible_text(item["application__company__legal_name"])),
        reference=_escaped(
            application_reference(item["application_id"], item["application__created_at"])
        ),
        risk=_escaped(risk_badge(item["application__risk_score"])),
        priority=_escaped(localize(item["priority"])),
        due_iso=_escaped(due_at.isoformat()),
        due=_escaped(dateformat.format(due_at, due_format)),
    )
    return head, ITEM_ROW_TAIL.format(reviewer=_escaped(reviewer))


def _time_waited(entered_at, now) -> str:
    """timesince(entered_at, now), remembered by all it depends on: under 27 days (no month
    is counted) the language and the whole minutes waited; from a month on, the language and
    the months and weeks it counts, the largest units, which are all it shows. Each row's took
    as long as the rest of its row."""
    if not (is_aware(entered_at) and is_aware(now)):
        return timesince(entered_at, now, time_strings=TIME_PHRASES)
    # On the clock of entered_at's time zone, as timesince counts.
    now = now.astimezone(entered_at.tzinfo)
    waited = now - entered_at
    if datetime.timedelta(0) <= waited < MONTHLESS:
        return _minutes_waited(get_language(), int(waited.total_seconds() // 60))
    counted = _months_and_weeks(entered_at, now)
    if counted is None:
        return timesince(entered_at, now, time_strings=TIME_PHRASES)
    key = (get_language(), *counted)
    text = _LONG_WAITS.get(key)
    if text is None:
        if len(_LONG_WAITS) >= ROWS_KEPT:
            _LONG_WAITS.clear()
        text = _LONG_WAITS[key] = timesince(entered_at, now, time_strings=TIME_PHRASES)
    return text


_LONG_WAITS: dict[tuple, str] = {}


def _months_and_weeks(start, now) -> tuple[int, int] | None:
    """The whole months, then weeks, that timesince counts from ``start`` to ``now`` (on the
    clock of ``start``'s time zone), counted as it counts them; None where it counts no month
    (its days and hours may show there)."""
    months = (now.year - start.year) * 12 + (now.month - start.month)
    if start.day > now.day or (start.day == now.day and start.time() > now.time()):
        months -= 1
    if months < 1:
        return None
    year, month = start.year + months // 12, start.month + months % 12
    if month > 12:
        year, month = year + 1, month - 12
    day = min(MONTHS_DAYS[month - 1], start.day)
    pivot = start.replace(year=year, month=month, day=day, microsecond=0)
    return months, int((now - pivot).total_seconds() // WEEK_SECONDS)


@functools.lru_cache(maxsize=ROWS_KEPT)
def _minutes_waited(_language: str, minutes: int) -> str:
    # From the start of a month with 31 days, so that no month is counted either.
    start = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    return timesince(start, start + datetime.timedelta(minutes=minutes), time_strings=TIME_PHRASES)


class _TimePhrase:
    """One of timesince's phrases ("%(num)d hours"), translated and formatted once for each
    language and number rather than for every row of every page."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __mod__(self, values: dict) -> str:
        return _time_phrase(get_language(), self.name, values["num"])


@functools.lru_cache(maxsize=1024)
def _time_phrase(_language: str, name: str, number: int) -> str:
    return TIME_STRINGS[name] % {"num": number}


TIME_PHRASES = {name: _TimePhrase(name) for name in TIME_STRINGS}
