r"""Witnesses of the chapter *The learning problem* (``book/learning``)."""

from __future__ import annotations

from ...registry import Unwitnessed, Witness

CLAIMS: tuple[Witness | Unwitnessed, ...] = ()

__all__ = ["CLAIMS"]
