"""App config for organisations, people and role assignments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "chithi.orgs"
    label = "orgs"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from chithi.core.navigation import NavItem, register

        register(NavItem(_("Organisations"), "orgs:org_tree", order=10))
        register(NavItem(_("People"), "orgs:person_list", order=20))
