"""The program dashboard for managers: figures, server-drawn charts and CSV downloads."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from reviews.charts import bar_chart, column_chart
from reviews.dashboard import Dashboard, Table, program_dashboard
from reviews.views.access import manager_required
from sellers.actors import Actor
from sellers.models import Program

# Spreadsheet programs run cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Tables shown at the top of the page as figures and trend lines rather than as bar charts.
HEADLINE = ("summary", "trends")


def _chosen_program(request) -> tuple[Program, list[Program]]:
    programs = list(Program.objects.all())
    if not programs:
        raise Http404("There is no program yet.")
    slug = request.GET.get("program")
    chosen = next((program for program in programs if program.slug == slug), None)
    if slug and chosen is None:
        raise Http404("No such program.")
    return chosen or programs[0], programs


@require_GET
@manager_required
def dashboard(request, actor: Actor):
    program, programs = _chosen_program(request)
    figures = program_dashboard(program=program)
    headline = [table for key, table in figures.tables.items() if key in HEADLINE]
    sections = [
        (table, _chart_for(table, figures))
        for key, table in figures.tables.items()
        if key not in HEADLINE
    ]
    context = {
        "figures": figures,
        "programs": programs,
        "tiles": _tiles(figures.tables["summary"]),
        "trend_charts": _trend_charts(figures.tables["trends"]),
        "headline": headline,
        "sections": sections,
    }
    return render(request, "reviews/dashboard.html", context)


@require_GET
@manager_required
def dashboard_csv(request, actor: Actor, table: str):
    program, _programs = _chosen_program(request)
    figures = program_dashboard(program=program)
    if table not in figures.tables:
        raise Http404("No such table.")
    chosen = figures.tables[table]
    day = figures.generated_at.date().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{program.slug}-{chosen.key}-{day}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(chosen.columns)
    writer.writerows([_cell(value) for value in row] for row in chosen.rows)
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def intcomma(value: int) -> str:
    return number_format(value, force_grouping=True)


def _tiles(summary: Table) -> list[tuple[str, str, str]]:
    """The headline figures as (label, figure, detail), read in the order a manager asks."""
    values = [value for _label, value in summary.rows]
    used, capacity, waitlisted, waiting, overdue, median, admitted = values
    return [
        (
            _("Places used"),
            _("%(used)s of %(capacity)s")
            % {"used": intcomma(used), "capacity": intcomma(capacity)},
            _("%(waitlisted)s waitlisted") % {"waitlisted": intcomma(waitlisted)},
        ),
        (_("Waiting for a decision"), intcomma(waiting), ""),
        (
            _("Overdue reviews"),
            intcomma(overdue),
            _("past their due time") if overdue else _("none past due"),
        ),
        (
            _("Median days to decision"),
            "—" if median is None else str(median),
            _("last 90 days"),
        ),
        (_("Admitted this month"), intcomma(admitted), ""),
    ]


def _trend_charts(trends: Table):
    charts = []
    for index, title, sentence in (
        (1, _("Submitted"), _("%(total)s submitted in %(weeks)s weeks.")),
        (2, _("Decided"), _("%(total)s decided in %(weeks)s weeks.")),
        (3, _("Admitted"), _("%(total)s admitted in %(weeks)s weeks.")),
    ):
        items = [(row[0], row[index], str(row[index])) for row in trends.rows]
        total = sum(row[index] for row in trends.rows)
        charts.append(
            column_chart(
                key=f"trend-{index}",
                title=title,
                description=sentence % {"total": total, "weeks": len(trends.rows)},
                items=items,
            )
        )
    return charts


def _chart_for(table: Table, figures: Dashboard):
    rows = table.rows
    if table.key == "status":
        items = [(label, count, str(count)) for label, count in rows]
        total = sum(row[1] for row in rows)
        description = ngettext(
            "%(total)s application in all.", "%(total)s applications in all.", total
        ) % {"total": total}
    elif table.key == "places":
        capacity, used, free, waitlisted = rows[0]
        items = [
            (_("Used"), used, _("%(used)s of %(capacity)s") % {"used": used, "capacity": capacity}),
            (_("Free"), free, str(free)),
            (_("Waitlisted"), waitlisted, str(waitlisted)),
        ]
        return bar_chart(
            key=table.key,
            title=table.title,
            description=_("%(used)s of %(capacity)s places used, %(waitlisted)s waitlisted.")
            % {"used": used, "capacity": capacity, "waitlisted": waitlisted},
            items=items,
            scale=max(capacity, waitlisted),
        )
    elif table.key == "queues":
        items = [
            (
                name,
                waiting + assigned,
                _("%(waiting)s waiting, %(assigned)s assigned, oldest %(days)s d")
                % {"waiting": waiting, "assigned": assigned, "days": oldest}
                if oldest is not None
                else "0",
            )
            for name, waiting, assigned, oldest in rows
        ]
        total = sum(row[1] + row[2] for row in rows)
        description = ngettext(
            "%(total)s open item in %(queues)s queue(s).",
            "%(total)s open items in %(queues)s queue(s).",
            total,
        ) % {"total": total, "queues": len(rows)}
    elif table.key == "sla":
        items = [
            (
                name,
                count,
                _("%(count)s, most overdue %(days)s d") % {"count": count, "days": days}
                if count
                else "0",
            )
            for name, count, _escalated, days in rows
        ]
        total = sum(row[1] for row in rows)
        description = ngettext(
            "%(total)s open item is past its due time.",
            "%(total)s open items are past their due time.",
            total,
        ) % {"total": total}
    elif table.key == "decisions":
        items = [
            (
                week,
                total,
                _(
                    "%(total)s (%(approved)s approved, %(rejected)s rejected, "
                    "%(changes)s changes requested)"
                )
                % {
                    "total": total,
                    "approved": approved + waitlisted,
                    "rejected": rejected,
                    "changes": changes,
                },
            )
            for week, approved, waitlisted, rejected, changes, total in rows
        ]
        total = sum(row[-1] for row in rows)
        description = ngettext(
            "%(total)s decision in %(weeks)s weeks.",
            "%(total)s decisions in %(weeks)s weeks.",
            total,
        ) % {"total": total, "weeks": len(rows)}
    elif table.key == "hand_checks":
        count, oldest, median = rows[0]
        items = [
            (label, days, _("%(days)s days") % {"days": days})
            for label, days in ((_("Oldest"), oldest), (_("Median"), median))
            if days is not None
        ]
        description = ngettext(
            "%(count)s application waits for a trademark verification by hand.",
            "%(count)s applications wait for a trademark verification by hand.",
            count,
        ) % {"count": count}
    else:
        count, median, p90 = rows[0]
        items = [
            (label, days, _("%(days)s days") % {"days": days})
            for label, days in ((_("Median"), median), (_("90th percentile"), p90))
            if days is not None
        ]
        description = ngettext("Over %(count)s decision.", "Over %(count)s decisions.", count) % {
            "count": count
        }
    return bar_chart(key=table.key, title=table.title, description=description, items=items)
