"""Room declaration for grassroots work: party-cell meetings and members' commitments, working groups and
household visits, help with procedures at home, monthly flag ceremonies, and the calendars over all of them."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, RoomConfig, Route, Seed

GROUP = _("Grassroots")


class GrassrootsConfig(RoomConfig):
    name = "chithi.grassroots"
    label = "grassroots"
    verbose_name = _("Grassroots work")
    menu = (
        Menu(_("Cell meetings"), "grassroots:meeting_list", order=50, group=GROUP),
        Menu(_("Calendar"), "grassroots:my_calendar", order=51, group=GROUP),
        Menu(_("Commitments"), "grassroots:commitment_list", order=52, group=GROUP),
        Menu(_("Working groups"), "grassroots:group_list", order=53, group=GROUP),
        Menu(_("Household visits"), "grassroots:visit_list", order=54, group=GROUP),
        Menu(_("Help at home"), "grassroots:homehelp_list", order=55, group=GROUP),
        Menu(_("Flag ceremonies"), "grassroots:ceremony_board", order=56, group=GROUP),
        Menu(_("Grassroots by unit"), "grassroots:rollup", order=57, group=GROUP),
    )
    panels = (
        PanelSpec("core.home", "grassroots/_home_panel.html", "selectors.panels.home_panel", order=20),
        PanelSpec("orgs.organisation", "grassroots/_org_panel.html", "selectors.panels.org_panel", order=35),
        # On a citizen issue's page (dialogues room): the household visit it was raised at.
        PanelSpec("dialogues.issue", "grassroots/_issue_panel.html", "selectors.panels.issue_panel", order=20),
    )
    api_routes = (
        Route("meetings", "api.MeetingViewSet", "meeting"),
        Route("meeting-agenda", "api.AgendaItemViewSet", "meeting-agenda"),
        Route("meeting-attendance", "api.AttendanceViewSet", "meeting-attendance"),
        Route("meeting-guests", "api.GuestViewSet", "meeting-guest"),
        Route("meeting-minutes", "api.MinutesViewSet", "meeting-minutes"),
        Route("resolution-tasks", "api.ResolutionTaskViewSet", "resolution-task"),
        Route("party-standings", "api.StandingViewSet", "party-standing"),
        Route("commitments", "api.CommitmentViewSet", "commitment"),
        Route("reflections", "api.ReflectionViewSet", "reflection"),
        Route("working-groups", "api.WorkingGroupViewSet", "working-group"),
        Route("households", "api.HouseholdViewSet", "household"),
        Route("visits", "api.VisitViewSet", "visit"),
        Route("visit-concerns", "api.ConcernViewSet", "visit-concern"),
        Route("home-help", "api.HomeHelpViewSet", "home-help"),
        Route("home-help-procedures", "api.ProcedureViewSet", "home-help-procedure"),
        Route("flag-ceremonies", "api.CeremonyViewSet", "flag-ceremony"),
    )
    successor_handler = "services.succession.move_to_successor"
    seeds = (
        Seed("grassroots.groups", "demo.seed_groups", after=["orgs.accounts"]),
        Seed("grassroots.meetings", "demo.seed_meetings", after=["grassroots.groups", "campaigns.after_2025"]),
        Seed("grassroots.fieldwork", "demo.seed_fieldwork", after=["grassroots.meetings", "dialogues.categories"]),
        Seed("grassroots.ceremonies", "demo.seed_ceremonies", after=["grassroots.groups"]),
    )
    linkable = ("grassroots.meeting", "grassroots.visit")
