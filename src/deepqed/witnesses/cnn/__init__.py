r"""Witnesses of the chapter *Convolutional networks* (``book/cnn``)."""

from __future__ import annotations

from ...registry import Unwitnessed, Witness

CLAIMS: tuple[Witness | Unwitnessed, ...] = ()

__all__ = ["CLAIMS"]
