"""App config for dialogues and citizens' issues: menu entries, the organisation panel, restructuring."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "chithi.dialogues"
    label = "dialogues"
    verbose_name = _("Dialogues and citizens' issues")

    def ready(self) -> None:
        from chithi.core.navigation import NavItem, register
        from chithi.orgs import panels
        from chithi.orgs.services import register_successor_handler

        from . import selectors, services

        register(NavItem(_("Issues"), "dialogues:issue_queue", order=40, group=_("Citizens")))
        register(NavItem(_("Dialogues"), "dialogues:dialogue_list", order=41, group=_("Citizens")))
        register(NavItem(_("Send feedback"), "dialogues:intake", order=90, requires_login=False))
        register(NavItem(_("Track an issue"), "dialogues:track_lookup", order=91, requires_login=False))
        register(NavItem(_("Answered issues"), "dialogues:transparency", order=92, requires_login=False))
        panels.register(panels.OrgPanel(template="dialogues/_org_panel.html", get_context=selectors.org_panel,
                                        order=40))
        register_successor_handler(services.hand_over_issues)
