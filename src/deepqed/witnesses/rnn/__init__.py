r"""Witnesses of the chapter *Recurrent networks* (``book/rnn``)."""

from __future__ import annotations

from ...registry import Unwitnessed, Witness

CLAIMS: tuple[Witness | Unwitnessed, ...] = ()

__all__ = ["CLAIMS"]
