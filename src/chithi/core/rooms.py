"""Rooms: each domain app declares once, on its AppConfig, everything it adds to the product.

A room is a `RoomConfig` (an AppConfig). Its class attributes name its URL modules, its API routes,
its menu entries, the panels it adds to other rooms' pages, its restructuring (successor) handler, its
demo seeders and the OpenAPI enum names of its choice sets. The root URL conf, the API router, the
menu, the panels, `load_demo` and the restructuring service all loop over `rooms()`, so adding a room
is its own folder plus one line in INSTALLED_APPS (docs/adding-a-room.md).

Callables are named as dotted paths relative to the room's package ("services.move_to_successor"),
resolved on first use: an AppConfig is imported before models are ready, so it must not import them.
`core.checks` resolves every path at start-up, so a typo fails `manage.py check`, not a page.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps
from django.db.models import Choices
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Menu:
    """A menu entry. Entries with the same `group` share one drop-down."""

    label: Any  # lazy translatable
    url_name: str
    order: int = 100
    public: bool = False  # shown to visitors; signed-in users find it under "Public pages"
    group: Any = None


@dataclass(frozen=True)
class PanelSpec:
    """A section this room adds to another room's object page (the page renders key `key`)."""

    key: str  # e.g. "orgs.organisation", "campaigns.plantask"
    template: str
    context: str  # dotted path of f(*, user, obj) -> dict; an empty dict hides the panel
    order: int = 100


@dataclass(frozen=True)
class Seed:
    """A demo seeder: runs once per database, after (and before) the seeders it names."""

    name: str  # unique, "<room>.<what>"
    func: str  # dotted path of f(ctx: core.demo.DemoContext) -> None
    after: Sequence[str] = ()
    before: Sequence[str] = ()  # lets a room slot in before another's seeder without that room knowing it


@dataclass(frozen=True)
class Route:
    """An API route under /api/: prefix, viewset (dotted path), basename."""

    prefix: str
    viewset: str
    basename: str


@dataclass(frozen=True)
class PublicSource:
    """What a room publishes to the public search (the citizens' one search box).

    `model` names the rows whose saves can change what is published; `documents` is the dotted path of
    f(*, pks) -> Iterable[core.search.PublicDocument]: the public documents among those primary keys (every
    public document when pks is None). A row that is not public yields nothing and leaves the index.
    """

    model: str  # "app_label.model"
    documents: str
    # False when a row is never public the moment it is created (a citizen's issue is published only once it is
    # answered): its creation then costs the index nothing, which matters on the public intake's hot path.
    public_when_created: bool = True


@dataclass(frozen=True)
class Urls:
    """A URL module of the room included at the root under `prefix` ("" for the room's own paths)."""

    module: str = "urls"
    prefix: str = ""


class RoomConfig(AppConfig):
    """Base AppConfig of a room. Everything is optional; see docs/adding-a-room.md."""

    # Django picks an apps.py's AppConfig automatically only when exactly one candidate has default=True;
    # a room's apps.py imports this base class too, so the base steps aside and each room is the default.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    urls: Sequence[Urls] = (Urls(),)
    api_routes: Sequence[Route] = ()
    menu: Sequence[Menu] = ()
    panels: Sequence[PanelSpec] = ()
    successor_handler: str = ""  # f(*, source, successor, effective_on, actor) inside the merger's transaction
    # f(*, org, old_path, actor) after a unit moved with its subtree, inside the move's transaction (figures a room
    # keeps up the tree, like the campaigns roll-up totals, follow the unit).
    move_handler: str = ""
    seeds: Sequence[Seed] = ()
    # drf-spectacular's ENUM_NAME_OVERRIDES beyond the derived ones (choice_sets): {"IssueStatusEnum": "<path>"}.
    enum_names: dict[str, str] = {}
    # "app_label.model" names of this room's models that other rooms may link to as evidence.
    linkable: Sequence[str] = ()
    # What the room adds to the public search (PublicSource) and to the internal search box: `search` is the
    # dotted path of f(*, user, query, limit) -> list[core.search.Hit], scoped to what the user may see.
    public_search: Sequence[PublicSource] = ()
    search: str = ""

    def resolve(self, dotted: str) -> Any:
        """A callable or object named relative to the room's package (or absolutely, with 'chithi.')."""
        return import_string(dotted if dotted.startswith("chithi.") else f"{self.name}.{dotted}")


def _forget_cached(*, setting: str, **kwargs: Any) -> None:
    """Tests that install a room (the toy room) must see its declarations."""
    if setting == "INSTALLED_APPS":
        panels_for.cache_clear()


def rooms() -> list[RoomConfig]:
    """Every installed room, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, RoomConfig)]


# --- what the rest of the product reads from the rooms --------------------------------------------


def url_patterns() -> list[Any]:
    from django.urls import include, path

    patterns: list[Any] = []
    for room in rooms():
        for entry in room.urls:
            patterns.append(path(entry.prefix, include(f"{room.name}.{entry.module}")))
    return patterns


def register_api(router: Any) -> None:
    for room in rooms():
        for route in room.api_routes:
            router.register(route.prefix, room.resolve(route.viewset), basename=route.basename)


def menu_items() -> list[Menu]:
    items = [item for room in rooms() for item in room.menu]
    return sorted(items, key=lambda item: item.order)


@dataclass(frozen=True)
class Panel:
    template: str
    get_context: Callable[..., dict[str, Any]]
    order: int


@functools.cache  # cleared by _forget_cached when INSTALLED_APPS changes (tests only)
def panels_for(key: str) -> list[Panel]:
    found = [Panel(spec.template, room.resolve(spec.context), spec.order)
             for room in rooms() for spec in room.panels if spec.key == key]
    return sorted(found, key=lambda p: p.order)


def successor_handlers() -> list[Callable[..., None]]:
    return [room.resolve(room.successor_handler) for room in rooms() if room.successor_handler]


def move_handlers() -> list[Callable[..., None]]:
    return [room.resolve(room.move_handler) for room in rooms() if room.move_handler]


def choice_sets(room: RoomConfig) -> dict[str, str]:
    """Every choice set (TextChoices, IntegerChoices) the room's models module defines or re-exports, named
    `<Class>Enum` in the OpenAPI schema: two rooms' `status` fields get distinct, stable names without a table
    kept by hand (which a new choice set would silently miss)."""
    try:
        module = importlib.import_module(f"{room.name}.models")
    except ModuleNotFoundError:
        return {}
    return {f"{obj.__name__}Enum": f"{module.__name__}.{name}" for name, obj in sorted(vars(module).items())
            if isinstance(obj, type) and issubclass(obj, Choices) and obj.__module__.startswith(room.name)}


def enum_names() -> dict[str, str]:
    return {name: path for room in rooms() for name, path in {**choice_sets(room), **room.enum_names}.items()}


def public_sources() -> list[tuple[PublicSource, Callable[..., Any]]]:
    """Every room's public-search sources with their document functions, in INSTALLED_APPS order."""
    return [(source, room.resolve(source.documents)) for room in rooms() for source in room.public_search]


def search_providers() -> list[tuple[RoomConfig, Callable[..., Any]]]:
    """Every room's internal search function (what /tim-kiem/ asks), in INSTALLED_APPS order."""
    return [(room, room.resolve(room.search)) for room in rooms() if room.search]


def linkable_models() -> set[str]:
    return {label.lower() for room in rooms() for label in room.linkable}


@dataclass
class ResolvedSeed:
    name: str
    func: Callable[..., None]
    room: str
    after: set[str] = field(default_factory=set)


def seed_order() -> list[ResolvedSeed]:
    """Every room's seeders, each after what it names (and before what names it in `before`).

    Ties keep INSTALLED_APPS order, so the order is stable from one run to the next. Raises
    ValueError on an unknown name or a cycle (core.checks reports it at start-up).
    """
    seeds: dict[str, ResolvedSeed] = {}
    declared: list[tuple[RoomConfig, Seed]] = [(room, seed) for room in rooms() for seed in room.seeds]
    for room, seed in declared:
        if seed.name in seeds:
            raise ValueError(f"demo seeder {seed.name!r} is declared twice")
        seeds[seed.name] = ResolvedSeed(seed.name, room.resolve(seed.func), room.label, set(seed.after))
    for _room, seed in declared:
        for later in seed.before:
            if later not in seeds:
                raise ValueError(f"demo seeder {seed.name!r} runs before unknown seeder {later!r}")
            seeds[later].after.add(seed.name)
    for resolved in seeds.values():
        unknown = resolved.after - set(seeds)
        if unknown:
            raise ValueError(f"demo seeder {resolved.name!r} runs after unknown seeder(s) {sorted(unknown)}")
    ordered: list[ResolvedSeed] = []
    placed: set[str] = set()
    pending = list(seeds.values())
    while pending:
        ready = [s for s in pending if s.after <= placed]
        if not ready:
            raise ValueError(f"demo seeders depend on each other in a cycle: {sorted(s.name for s in pending)}")
        chosen = ready[0]
        ordered.append(chosen)
        placed.add(chosen.name)
        pending.remove(chosen)
    return ordered


def _connect() -> None:
    from django.test.signals import setting_changed

    setting_changed.connect(_forget_cached, dispatch_uid="chithi-rooms-forget")


_connect()
