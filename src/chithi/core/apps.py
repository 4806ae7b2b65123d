"""App config for the shared mechanisms; core is a room too (home, audit log, notifications, account)."""

from django.utils.translation import gettext_lazy as _

from .rooms import RoomConfig


class CoreConfig(RoomConfig):
    name = "chithi.core"
    label = "core"
    verbose_name = _("Core")
    # No menu entries of its own: the brand links to the overview and the user menu holds the audit
    # log and the account, so the menu bar stays short on an office PC's screen.

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .search import connect_dependents

        connect_dependents()
