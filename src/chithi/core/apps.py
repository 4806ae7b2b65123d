"""App config for the shared mechanisms."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chithi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .navigation import NavItem, register

        register(NavItem(_("Overview"), "core:home", order=0))
        register(NavItem(_("Audit log"), "core:audit_log", order=900))
