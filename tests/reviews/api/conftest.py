"""The reviewer API tests use the partner API's reference data and clients (tests/api)."""

from tests.api.conftest import lighting, partner_client, program

__all__ = ["lighting", "partner_client", "program"]
