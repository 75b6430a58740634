"""One adapter per platform, behind the interface of ``base``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consult.platforms.adapters.base import Adapter
from consult.platforms.adapters.jitsi import JitsiAdapter
from consult.platforms.adapters.zoom import ZoomAdapter


def adapter_for(platform: str, config: Mapping[str, Any]) -> Adapter:
    """The adapter of a platform, configured from the app's settings."""
    if platform == "jitsi":
        return JitsiAdapter(config)
    if platform == "zoom":
        return ZoomAdapter(config)
    raise ValueError(f"unknown platform {platform!r}")
