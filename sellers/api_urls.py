from rest_framework.routers import SimpleRouter

from sellers.api import ApplicationViewSet

# Namespaced so the API's route names cannot clash with the seller portal's.
app_name = "api"

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
