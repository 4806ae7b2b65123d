"""Demo data of grassroots work (filled in below)."""

from chithi.core.demo import DemoContext


def seed_meetings(ctx: DemoContext) -> None:
    pass


def seed_fieldwork(ctx: DemoContext) -> None:
    pass


def seed_ceremonies(ctx: DemoContext) -> None:
    pass
