r"""Witnesses of the chapter *Kernel methods* (``book/kernels``)."""

from __future__ import annotations

from ...registry import Unwitnessed, Witness

CLAIMS: tuple[Witness | Unwitnessed, ...] = ()

__all__ = ["CLAIMS"]
