"""The operations of ``/api/v1/``, one module per area. Each calls the selector or service
its page calls; the docstrings name the page it mirrors."""

from ninja import Router

from . import clients, meetings, organisations, peer, plan, reports, worksheets
from .clients import open_client
from .common import DENIED, HIDDEN

router = Router()
for area in (organisations, clients, meetings, worksheets, plan, peer, reports):
    router.add_router("", area.router)

__all__ = ["DENIED", "HIDDEN", "open_client", "router"]
