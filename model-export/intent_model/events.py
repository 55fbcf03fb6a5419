"""The in-memory event representation every loader and the simulator produce.

One Event is one step of the model input. Actions use the serving contract's input
action ids (index into ACTIONS), so no second mapping exists between loading and serving.
"""
from typing import NamedTuple, Optional

ACTIONS = ["PAD", "VIEW", "SEARCH", "ADD_TO_CART", "REMOVE_FROM_CART", "CHECKOUT"]
NEXT_ACTIONS = ["VIEW", "SEARCH", "ADD_TO_CART", "REMOVE_FROM_CART", "CHECKOUT", "END_SESSION"]

PAD, VIEW, SEARCH, ADD_TO_CART, REMOVE_FROM_CART, CHECKOUT = range(6)
END_SESSION = NEXT_ACTIONS.index("END_SESSION")


def next_action_class(action_id: int) -> int:
    """Input action id -> output column of next_action_probs (VIEW is column 0)."""
    return NEXT_ACTIONS.index(ACTIONS[action_id])


class Event(NamedTuple):
    user_id: str
    session_id: str
    time_ms: int
    action: int                      # index into ACTIONS (never PAD)
    item_id: Optional[str] = None    # None for SEARCH / CHECKOUT / pages without an item
    category_id: Optional[str] = None  # for SEARCH: the category_filter
    query: Optional[str] = None      # SEARCH only
    event_id: str = ""
    price: Optional[str] = None      # decimal string as in the source
    quantity: Optional[int] = None
