"""Fixtures of the partnerships tests."""

import pytest

from tests.partnerships import factories as pf


@pytest.fixture
def world(db):
    """A Belgian visitor with an accepted visitor interest at VOP, a Portuguese host with an
    accepted host interest at HOP, their representatives and each partnership's staff."""
    from tests import factories as f

    vop = f.PartnershipFactory(acronym="VOP1", slug="vop1", name="Visitor Partnership")
    hop = f.PartnershipFactory(acronym="HOP1", slug="hop1", name="Host Partnership")
    visitor = pf.org("BE", legal_name="Brussels Cluster", validating_partnership=vop)
    host = pf.org("PT", legal_name="Porto Cluster", validating_partnership=hop, **pf.PORTO)
    visitor.ecosystems.set(pf.ecosystems("digital", "health"))
    host.ecosystems.set(pf.ecosystems("digital"))

    class World:
        pass

    w = World()
    w.vop, w.hop, w.visitor, w.host = vop, hop, visitor, host
    w.visitor_user = pf.representative_of(visitor)
    w.host_user = pf.representative_of(host)
    w.vop_staff = pf.staff_of(vop)
    w.hop_staff = pf.staff_of(hop)
    w.visitor_interest = pf.interest(
        visitor, vop, "visitor", preferred_countries=["PT"], activity_types=["networking"]
    )
    w.host_interest = pf.interest(
        host, hop, "host", preferred_countries=["BE"], activity_types=["networking"]
    )
    return w
