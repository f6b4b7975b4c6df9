"""What this app contributes (``InfluenceConfig.contributes``, see
``egenmakt/core/registry.py``): its menu entries and its kind of notice."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.start_panels import WAITING_TEMPLATE, StartPanel
from egenmakt.core.notifications import NotificationKind

from .forum_views import representative_panel

NAVIGATION = [
    NavEntry(_("User influence"), "influence:areas", [Role.COORDINATOR, Role.ANALYST], order=30),
    NavEntry(
        _("Calendar activities"),
        "influence:submit",
        [Role.LECTURER, Role.PEER_SUPPORTER, Role.COURSE_LEADER, Role.SUPERVISOR],
        order=31,
    ),
    # The forums where the user's organisation has a representative (an empty page for
    # anyone else): the roles a member of a user organisation most often holds.
    NavEntry(
        _("Forum work"),
        "influence:my_forums",
        [Role.LECTURER, Role.PEER_SUPPORTER, Role.COURSE_LEADER, Role.SUPERVISOR],
        order=32,
    ),
    # The consultations (remiss) asking the user's organisation; the area's coordinators
    # reach theirs from the area's page.
    NavEntry(
        _("Consultations"),
        "influence:my_consultations",
        [Role.LECTURER, Role.PEER_SUPPORTER, Role.COURSE_LEADER, Role.SUPERVISOR],
        order=33,
    ),
]

NOTIFICATION_KINDS = [
    # A representative is told that a forum meeting's minutes are ready, or have changed
    # since they confirmed them; the notice never says what the minutes say.
    NotificationKind(
        "forum_minutes", _("The minutes of an influence forum's meeting, to confirm"), "staff"
    ),
    # An organisation is asked in a consultation (remiss), and reminded before its deadline
    # while it has not answered; the notice names the title and the deadline only.
    NotificationKind(
        "consultation", _("A consultation to your organisation, and its reminder"), "staff"
    ),
]

# Forum work waits for representatives, who hold these roles in their organisation (the
# menu entry's roles); the panel is shown only to someone with a seat and something waiting.
START_PANELS = [
    StartPanel(role, WAITING_TEMPLATE, representative_panel, order=50)
    for role in (Role.LECTURER, Role.PEER_SUPPORTER, Role.COURSE_LEADER, Role.SUPERVISOR)
]
