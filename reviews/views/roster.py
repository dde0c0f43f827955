"""The program's roster of admitted brands as a CSV file, for program managers."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reviews.views.access import manager_required
from reviews.views.dashboard import _cell as csv_cell
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import SellerCompany
from sellers.roster import roster, roster_entry
from sellers.workflow.table import seller_label


@require_GET
@manager_required
def roster_csv(request, actor: Actor):
    # Behind the manager's conflict-of-interest wall, like every other door to a company.
    entries = [roster_entry(a) for a in visible(roster(), actor, doors=Door.STAFF).order_by("pk")]
    tiers = dict(SellerCompany.Tier.choices)
    day = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            gettext("Brand"),
            gettext("Native-script name"),
            gettext("Company"),
            gettext("Country"),
            gettext("Categories"),
            gettext("Tier"),
            gettext("Admitted since"),
            gettext("Status"),
        ]
    )
    statuses = {"admitted": seller_label("approved"), "suspended": seller_label("suspended")}
    writer.writerows(
        [
            csv_cell(value)
            for value in (
                entry["brand"]["name"],
                entry["brand"]["native_name"],
                entry["company"]["legal_name"],
                entry["company"]["country"],
                " ".join(entry["categories"]),
                tiers[entry["tier"]],
                entry["admitted_since"],
                statuses[entry["status"]],
            )
        ]
        for entry in entries
    )
    return response
