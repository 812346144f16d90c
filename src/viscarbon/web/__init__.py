"""The dashboard's Python side: ``app`` (``create_app``), ``api`` (JSON routes), ``viewstate``
(the URL's view state, validated), ``viewmodels`` (pure analysis → JSON functions),
``source`` (the one Repository + Engine of an app), ``render`` (the HTML shell) and ``site``
(the static export). Nothing is imported here: import the module you need."""

from __future__ import annotations

__all__: list[str] = []
