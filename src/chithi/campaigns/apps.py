"""Room declaration for directives, themes, plans and tasks."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, RoomConfig, Route, Seed


class CampaignsConfig(RoomConfig):
    name = "chithi.campaigns"
    label = "campaigns"
    verbose_name = _("Directives and plans")
    menu = (
        Menu(_("Directives"), "campaigns:directive_list", order=30, group=_("Implementation")),
        Menu(_("Plans"), "campaigns:plan_list", order=31, group=_("Implementation")),
        Menu(_("Progress"), "campaigns:rollup", order=32, group=_("Implementation")),
    )
    panels = (PanelSpec("orgs.organisation", "campaigns/_org_panel.html", "views.org_panel_context", order=30),)
    api_routes = (
        Route("directives", "api.DirectiveViewSet", "directive"),
        Route("themes", "api.ThemeViewSet", "theme"),
        Route("plans", "api.PlanViewSet", "plan"),
        Route("plan-tasks", "api.TaskViewSet", "plantask"),
        Route("rollup", "api.RollupViewSet", "rollup"),
    )
    successor_handler = "services.succession.move_to_successor"
    move_handler = "totals.unit_moved"
    seeds = (
        # The years before the reform run before the wards merge, so the merger hands the open plans over.
        Seed("campaigns.before_2025", "demo.seed_before_reform", after=["orgs.dong_ha"], before=["orgs.merger_2025"]),
        Seed("campaigns.after_2025", "demo.seed_after_reform", after=["orgs.accounts", "campaigns.before_2025"]),
        # 2026's progress once the city level has ended, so the tasks are done by the units in charge of them now.
        Seed("campaigns.progress_2026", "demo.seed_progress_2026", after=["orgs.two_level_2025"],
             before=["reports.rounds"]),
    )
    linkable = ("campaigns.plantask",)
