import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reviews.services import reviewer_create


class Command(BaseCommand):
    help = (
        "Create a reviewer login (--senior for a senior reviewer, --manager for a program "
        "manager); prints the result as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--senior", action="store_true")
        parser.add_argument("--manager", action="store_true")

    def handle(self, *args, **options):
        try:
            user = reviewer_create(
                email=options["email"],
                password=options["password"],
                name=options["name"],
                senior=options["senior"],
                manager=options["manager"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(" ".join(m) for m in exc.message_dict.values())) from None
        roles = ["senior_reviewer" if options["senior"] else "reviewer"]
        if options["manager"]:
            roles.append("manager")
        self.stdout.write(
            json.dumps({"user_id": user.pk, "email": user.email, "roles": roles}, indent=2)
        )
