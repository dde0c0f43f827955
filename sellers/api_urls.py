from rest_framework.routers import SimpleRouter

from sellers.api import (
    ApplicationViewSet,
    BrandViewSet,
    FacilityViewSet,
    GrantViewSet,
    TrademarkViewSet,
)
from sellers.api_webhooks import SellerIndicatorViewSet, WebhookDeliveryViewSet, WebhookViewSet

# Namespaced so the API's route names cannot clash with the seller portal's.
app_name = "api"

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("brands", BrandViewSet, basename="brand")
router.register("trademarks", TrademarkViewSet, basename="trademark")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("grants", GrantViewSet, basename="grant")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("sellers", SellerIndicatorViewSet, basename="seller")

urlpatterns = router.urls
