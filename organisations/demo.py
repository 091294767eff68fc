"""Demo step of the organisations room (filled by the organisations capability)."""

from cxc_portal.demo.base import SeedContext


def seed(ctx: SeedContext) -> None:
    """Organisations of every type, memberships, representatives."""
