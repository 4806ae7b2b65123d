"""App config for good-practice models (mô hình, cách làm hay) and their replication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PracticesConfig(AppConfig):
    name = "chithi.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        from chithi.core import panels as core_panels
        from chithi.core.navigation import NavItem, register
        from chithi.orgs.panels import OrgPanel
        from chithi.orgs.panels import register as register_panel
        from chithi.orgs.services import register_successor_handler

        from . import selectors, services

        # A short label: the menu bar must fit an office PC's screen.
        register(NavItem(pgettext_lazy("menu", "Good practices"), "practices:registry", order=40))
        register(NavItem(_("Practice showcase"), "practices:showcase", order=90, requires_login=False))
        register_panel(OrgPanel(template="practices/_org_panel.html", get_context=selectors.org_panel_context,
                                order=40))
        register_successor_handler(services.move_practices_to_successor)
        # On a plan task's page (campaigns room): the practices offered as its evidence.
        core_panels.register("campaigns.plantask", core_panels.Panel(
            template="practices/_evidence_panel.html", get_context=selectors.evidence_panel_context, order=50))
