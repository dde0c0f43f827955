from rest_framework.routers import SimpleRouter

from reviews.review_api import ReviewDecisionViewSet, ReviewQueueViewSet

app_name = "review-api"

router = SimpleRouter()
router.register("queues", ReviewQueueViewSet, basename="queue")
router.register("applications", ReviewDecisionViewSet, basename="application")

urlpatterns = router.urls
