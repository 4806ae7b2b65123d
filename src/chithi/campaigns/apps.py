"""App config for directives, themes, plans and tasks: menu entries, the organisation panel, the merger hook."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "chithi.campaigns"
    label = "campaigns"
    verbose_name = _("Directives and plans")

    def ready(self) -> None:
        from chithi.core.navigation import NavItem, register
        from chithi.orgs.panels import OrgPanel
        from chithi.orgs.panels import register as register_panel
        from chithi.orgs.services import register_successor_handler

        from . import services, views

        register(NavItem(_("Directives"), "campaigns:directive_list", order=30, group=_("Implementation")))
        register(NavItem(_("Plans"), "campaigns:plan_list", order=31, group=_("Implementation")))
        register(NavItem(_("Progress"), "campaigns:rollup", order=32, group=_("Implementation")))
        register_panel(OrgPanel(template="campaigns/_org_panel.html", get_context=views.org_panel_context, order=30))
        register_successor_handler(services.move_to_successor)
