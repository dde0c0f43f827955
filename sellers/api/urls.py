"""Routes of the partner API v1, one per resource."""

from rest_framework.routers import SimpleRouter

from sellers.api.applications import ApplicationViewSet
from sellers.api.categories import CategoryViewSet
from sellers.api.grants import GrantViewSet
from sellers.api.indicators import SellerIndicatorViewSet
from sellers.api.references import BrandViewSet, FacilityViewSet, TrademarkViewSet
from sellers.api.roster import RosterViewSet
from sellers.api.webhooks import WebhookDeliveryViewSet, WebhookViewSet

# Namespaced so the API's route names cannot clash with the seller portal's.
app_name = "api"

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("categories", CategoryViewSet, basename="category")
router.register("brands", BrandViewSet, basename="brand")
router.register("trademarks", TrademarkViewSet, basename="trademark")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("grants", GrantViewSet, basename="grant")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
router.register("sellers", SellerIndicatorViewSet, basename="seller")
router.register("program/brands", RosterViewSet, basename="roster")

urlpatterns = router.urls
