"""App config for the shared mechanisms."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chithi.core"
    label = "core"
    verbose_name = _("Core")
    # No menu entries of its own: the brand links to the overview and the user menu holds the audit
    # log and the account, so the menu bar stays short on an office PC's screen.
