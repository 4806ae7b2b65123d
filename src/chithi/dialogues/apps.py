"""Room declaration for dialogues and citizens' issues (with the Open311 GeoReport v2 endpoint)."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, PublicSource, RoomConfig, Route, Seed, Urls


class DialoguesConfig(RoomConfig):
    name = "chithi.dialogues"
    label = "dialogues"
    verbose_name = _("Dialogues and citizens' issues")
    urls = (Urls("open311", "open311/v2/"), Urls())
    menu = (
        Menu(_("Issues"), "dialogues:issue_queue", order=40, group=_("Citizens")),
        Menu(_("Dialogues"), "dialogues:dialogue_list", order=41, group=_("Citizens")),
        Menu(_("Send feedback"), "dialogues:intake", order=90, public=True),
        Menu(_("Track an issue"), "dialogues:track_lookup", order=91, public=True),
        Menu(_("Answered issues"), "dialogues:transparency", order=92, public=True),
    )
    panels = (PanelSpec("orgs.organisation", "dialogues/_org_panel.html", "selectors.org_panel", order=40),)
    api_routes = (
        Route("issues", "api.IssueViewSet", "issue"),
        Route("dialogues", "api.DialogueViewSet", "dialogue"),
        Route("issue-categories", "api.IssueCategoryViewSet", "issue-category"),
    )
    public_search = (PublicSource("dialogues.issue", "search.public_documents", public_when_created=False),)
    search = "search.staff_search"
    successor_handler = "services.succession.hand_over_issues"
    seeds = (
        Seed("dialogues.categories", "demo.seed_categories", after=["orgs.accounts"]),
        Seed("dialogues.dialogues_2020", "demo.seed_dialogues_2020", after=["dialogues.categories"]),
        # The present's security issues go to the wards' police, which the grassroots demo sets up.
        Seed("dialogues.recent_issues", "demo.seed_recent_issues", after=["dialogues.dialogues_2020",
                                                                          "grassroots.groups"]),
        Seed("dialogues.dialogues_recent", "demo.seed_dialogues_recent", after=["dialogues.recent_issues"]),
        Seed("dialogues.escalations", "demo.seed_escalations", after=["orgs.two_level_2025"]),
    )
