"""The hybrid logical clock lives in ``pse_desk.store.hlc`` (the store stamps rows with it and
imports nothing of ours); sync code imports it from here."""

from pse_desk.store.hlc import HybridClock, Stamp

__all__ = ["HybridClock", "Stamp"]
