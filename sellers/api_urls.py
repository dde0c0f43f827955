from rest_framework.routers import SimpleRouter

from sellers.api import (
    ApplicationViewSet,
    BrandViewSet,
    FacilityViewSet,
    GrantViewSet,
    TrademarkViewSet,
)

# Namespaced so the API's route names cannot clash with the seller portal's.
app_name = "api"

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("brands", BrandViewSet, basename="brand")
router.register("trademarks", TrademarkViewSet, basename="trademark")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("grants", GrantViewSet, basename="grant")

urlpatterns = router.urls
