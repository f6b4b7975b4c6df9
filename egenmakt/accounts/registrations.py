"""What this app contributes (``AccountsConfig.contributes``, see
``egenmakt/core/registry.py``): the administration's menu entry and the log review's
flags about reads of a colleague's or one's own record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.audit.review import LogReviewFlag

from .administration_views import admin_panel
from .navigation import NavEntry
from .roles import Role
from .selectors import colleague_record_reads, own_record_reads
from .start_panels import WAITING_TEMPLATE, StartPanel

NAVIGATION = [NavEntry(_("Administration"), "administration:overview", [Role.ADMIN], order=90)]

LOG_REVIEW_FLAGS = [
    LogReviewFlag("colleague_record", _("A colleague's record"), colleague_record_reads),
    LogReviewFlag("own_record", _("One's own record"), own_record_reads),
]

START_PANELS = [StartPanel(Role.ADMIN, WAITING_TEMPLATE, admin_panel, order=10)]
