"""Every write of the partnerships room: expressions of interest (R-PART-2) and matches
(R-MATCH-1, R-MATCH-2).

Each service: checks who may act (``PermissionDenied``), opens a transaction, locks the row,
re-checks the state (a concurrent request may have won), changes it, audits it and queues the
notifications (they leave after commit). Refusals are ``ValidationError`` with a message for
the user; nothing is saved when one is raised.
"""

from .interests import interest_accept, interest_decline, interest_submit, interest_withdraw
from .matches import match_accept, match_decline, match_propose, match_withdraw

__all__ = [
    "interest_accept",
    "interest_decline",
    "interest_submit",
    "interest_withdraw",
    "match_accept",
    "match_decline",
    "match_propose",
    "match_withdraw",
]
