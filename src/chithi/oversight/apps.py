"""Room declaration for oversight: inspection and supervision with their remedial work, the annual evaluation
and classification of party organisations and members, and commendations."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, RoomConfig, Route, Seed

# Under the grassroots menu ("kiểm tra, hướng dẫn các tổ chức cơ sở đảng"): a group of its own made the menu
# bar wider than an office PC's 1366 px screen.
GROUP = _("Grassroots")


class OversightConfig(RoomConfig):
    name = "chithi.oversight"
    label = "oversight"
    verbose_name = _("Oversight")
    menu = (
        Menu(_("Inspection programmes"), "oversight:programme_list", order=60, group=GROUP),
        Menu(_("Inspection cases"), "oversight:case_list", order=61, group=GROUP),
        Menu(_("Annual evaluation"), "oversight:round_list", order=62, group=GROUP),
        Menu(_("Commendations"), "oversight:award_list", order=63, group=GROUP),
    )
    panels = (
        PanelSpec("core.home", "oversight/_home_panel.html", "selectors.panels.home_panel", order=30),
        PanelSpec("orgs.organisation", "oversight/_org_panel.html", "selectors.panels.org_panel", order=60),
        PanelSpec("orgs.person", "oversight/_person_panel.html", "selectors.panels.person_panel", order=60),
    )
    api_routes = (
        Route("oversight-cases", "api.CaseViewSet", "oversight-case"),
        Route("oversight-remedies", "api.RemedyViewSet", "oversight-remedy"),
        Route("evaluations", "api.EvaluationViewSet", "evaluation"),
        Route("commendations", "api.AwardViewSet", "commendation"),
    )
    seeds = (
        Seed("oversight.dong_ha", "demo.seed_oversight",
             after=["orgs.accounts", "grassroots.meetings", "practices.dong_ha", "dialogues.recent_issues"]),
    )
