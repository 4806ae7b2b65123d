"""The toy room's declaration."""

from chithi.core.rooms import Menu, PanelSpec, RoomConfig, Seed


class ToyRoomConfig(RoomConfig):
    name = "chithi.core.tests.toyroom"
    label = "toyroom"
    urls = ()
    menu = (Menu("Toy", "core:home", order=999),)
    panels = (PanelSpec("orgs.organisation", "toyroom/panel.html", "hooks.panel", order=999),)
    successor_handler = "hooks.on_successor"
    seeds = (Seed("toyroom.first", "hooks.seed", after=["orgs.accounts"]),)
