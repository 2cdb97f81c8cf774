"""What every lifecycle module shares: refusing a move that is not allowed."""

from __future__ import annotations


class IllegalMove(Exception):
    """The record is not in a state that allows this move; nothing was changed."""
