"""Demo step of the exchanges room (filled by the exchanges capability)."""

from cxc_portal.demo.base import SeedContext


def seed(ctx: SeedContext) -> None:
    """Exchanges in every state, a group, a virtual exchange."""
