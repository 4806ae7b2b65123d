"""Room declaration for good-practice models (mô hình, cách làm hay) and their replication."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.rooms import Menu, PanelSpec, PublicSource, RoomConfig, Route, Seed


class PracticesConfig(RoomConfig):
    name = "chithi.practices"
    label = "practices"
    verbose_name = _("Good practices")
    menu = (
        # A short label: the menu bar must fit an office PC's screen.
        Menu(pgettext_lazy("menu", "Good practices"), "practices:registry", order=40),
        Menu(_("Practice showcase"), "practices:showcase", order=90, public=True),
    )
    panels = (
        PanelSpec("orgs.organisation", "practices/_org_panel.html", "selectors.org_panel_context", order=40),
        # On a plan task's page (campaigns room): the practices offered as its evidence.
        PanelSpec("campaigns.plantask", "practices/_evidence_panel.html", "selectors.evidence_panel_context",
                  order=50),
    )
    api_routes = (
        Route("practices", "api.PracticeViewSet", "practice"),
        Route("practice-indicators", "api.IndicatorViewSet", "practice-indicator"),
        Route("practice-results", "api.ResultViewSet", "practice-result"),
        Route("practice-replications", "api.ReplicationViewSet", "practice-replication"),
        Route("practice-commendations", "api.CommendationViewSet", "practice-commendation"),
        Route("practice-evidence", "api.EvidenceLinkViewSet", "practice-evidence"),
        Route("public/practices", "api.PublicPracticeViewSet", "public-practice"),
    )
    public_search = (PublicSource("practices.practice", "search.public_documents"),)
    successor_handler = "services.succession.move_practices_to_successor"
    seeds = (Seed("practices.dong_ha", "demo.seed_practices", after=["orgs.accounts"]),)
