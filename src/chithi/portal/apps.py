"""Room declaration for the public site: news, reader feedback, public figures, the one public search."""

from django.utils.translation import gettext_lazy as _

from chithi.core.rooms import Menu, PanelSpec, PublicSource, RoomConfig, Route, Seed


class PortalConfig(RoomConfig):
    name = "chithi.portal"
    label = "portal"
    verbose_name = _("Public site")
    menu = (
        Menu(_("News"), "portal:article_list", order=45, group=_("Citizens")),
        Menu(_("Reader feedback"), "portal:feedback_queue", order=46, group=_("Citizens")),
        Menu(_("News"), "portal:news", order=85, public=True),
        Menu(_("Figures"), "portal:figures", order=93, public=True),
        Menu(_("Search"), "portal:search", order=95, public=True),
    )
    panels = (PanelSpec("core.public_home", "portal/_home_panel.html", "selectors.home_panel", order=10),)
    api_routes = (Route("articles", "api.ArticleViewSet", "article"),
                  Route("article-feedback", "api.FeedbackViewSet", "article-feedback"))
    public_search = (PublicSource("portal.article", "search.article_documents"),)
    search = "search.staff_search"
    successor_handler = "services.succession.move_unpublished_to_successor"
    seeds = (
        Seed("portal.categories", "demo.seed_categories", after=["orgs.accounts"]),
        Seed("portal.articles", "demo.seed_articles",
             after=["portal.categories", "practices.dong_ha", "dialogues.recent_issues"]),
        Seed("portal.search_index", "demo.seed_search_index", after=["portal.articles"]),
    )

    def ready(self) -> None:
        from . import search

        search.connect_index()
