"""Room declaration for results back up the tree: each role's home panel ("my work today"), dashboards per unit and
period with charts, and periodic reports that sub-units submit and parents compile into a party document."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, RoomConfig, Route, Seed

# The entries join the implementation menu (directives → plans → progress → dashboard and reports): results back
# up the tree, and one more top-level group would push the menu bar past a 1366-pixel screen.
GROUP = _("Implementation")


class ReportsConfig(RoomConfig):
    name = "chithi.reports"
    label = "reports"
    verbose_name = _("Reports and dashboards")
    menu = (
        Menu(_("Dashboard"), "reports:dashboard", order=33, group=GROUP),
        Menu(_("Reporting rounds"), "reports:round_list", order=34, group=GROUP),
        Menu(_("Reports to write"), "reports:report_list", order=35, group=GROUP),
    )
    panels = (PanelSpec("core.home", "reports/_home_panel.html", "selectors.home_panel", order=5),)
    api_routes = (
        Route("report-rounds", "api.RoundViewSet", "report-round"),
        Route("reports", "api.ReportViewSet", "report"),
    )
    seeds = (Seed("reports.rounds", "demo.seed_reports",
                  after=["grassroots.meetings", "grassroots.fieldwork", "orgs.two_level_2025"]),)
