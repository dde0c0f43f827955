import factory

from reviews.models import QueueMembership, ReviewQueue
from tests.sellers.factories import CategoryFactory


class ReviewQueueFactory(factory.django.DjangoModelFactory):
    """A queue of one category; ``members`` and ``leads`` are the reviewers who work it."""

    class Meta:
        model = ReviewQueue
        skip_postgeneration_save = True

    name = "Lighting"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        self.categories.set(extracted if extracted is not None else [CategoryFactory()])

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or ():
            QueueMembership.objects.create(queue=self, reviewer=user)

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        for user in extracted or ():
            QueueMembership.objects.create(queue=self, reviewer=user, is_lead=True)
