r"""Witnesses of the chapter *Mathematical preliminaries and notation* (``book/preliminaries``)."""

from __future__ import annotations

from ...registry import Unwitnessed, Witness

CLAIMS: tuple[Witness | Unwitnessed, ...] = ()

__all__ = ["CLAIMS"]
