"""Markup the reviewer pages repeat for every row, built in Python.

The queue page shows 50 items; each row's dozen template nodes (an include, a URL, two date
filters, translations) took longer to render than all of the page's queries, so the rows are
built here with the markup, formats and translations the template used.
"""

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext

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


def visible_text(text: str) -> str:
    """The text with each character that does not show written as a marker, "⟨U+202E⟩".

    Names typed in the portal cannot hold them (sellers.validators), but imported and older
    rows may: a direction override would make a reviewer read "EKIN" as "NIKE", a zero-width
    space would hide that a name differs from the one it looks like.
    """
    if not any(map(is_hidden, text)):
        return text
    return "".join(f"⟨U+{ord(c):04X}⟩" if is_hidden(c) else c for c in text)


@register.filter
def show_hidden(text) -> SafeString:
    return conditional_escape(visible_text(str(text or "")))


# One format_html call per row: each call costs as much again as the values it escapes.
ITEM_ROW = (
    "<tr>{tick_box}"
    '<td><a class="strong-link" href="{link}">{brand}</a></td>'
    "<td>{company}</td>"
    '<td><code class="reference">{reference}</code></td>'
    '<td class="num">{risk}</td>'
    '<td class="num">{priority}</td>'
    '<td><time datetime="{due_iso}">{due}</time>{overdue}</td>'
    "<td>{waited}</td>"
    "<td>{reviewer}</td></tr>"
)
TICK_BOX_CELL = (
    '<td><input type="checkbox" name="items" value="{}" id="item-{}" aria-label="{}"></td>'
)


@register.simple_tag
def queue_item_rows(items, *, selectable: bool, now) -> SafeString:
    """One row per queue item: a tick box for a lead, then brand (linked to the workspace),
    company, reference, risk, priority, due time, time waited and reviewer."""
    # Looked up once for the whole page, not once per row.
    select = gettext("Select %(brand)s")
    overdue = format_html(' <span class="tag">{}</span>', gettext("overdue"))
    nobody = format_html('<span class="muted">{}</span>', gettext("nobody yet"))
    due_format = get_format("DATETIME_FORMAT")
    rows = []
    for item in items:
        application = item.application
        brand = visible_text(application.brand.name)
        due_at = timezone.localtime(item.due_at)
        tick_box = ""
        if selectable:
            tick_box = format_html(TICK_BOX_CELL, item.pk, item.pk, select % {"brand": brand})
        reviewer = nobody
        if item.assignee:
            reviewer = item.assignee.get_full_name() or item.assignee.get_username()
        row = format_html(
            ITEM_ROW,
            tick_box=tick_box,
            link=reverse("reviews:workspace", args=[item.application_id]),
            brand=brand,
            company=visible_text(application.company.legal_name),
            reference=application.reference,
            risk=risk_badge(application.risk_score),
            priority=localize(item.priority),
            due_iso=due_at.isoformat(),
            due=dateformat.format(due_at, due_format),
            overdue=overdue if item.due_at < now else "",
            waited=timesince(item.entered_at),
            reviewer=reviewer,
        )
        rows.append((row,))
    return format_html_join("\n", "{}", rows)
