"""Routes of the reviewer API under /api/v1/review/ (namespace "review-api")."""

from rest_framework.routers import SimpleRouter

from reviews.api.review import ReviewDecisionViewSet, ReviewQueueViewSet

app_name = "review-api"

router = SimpleRouter()
router.register("queues", ReviewQueueViewSet, basename="queue")
router.register("applications", ReviewDecisionViewSet, basename="application")

urlpatterns = router.urls
