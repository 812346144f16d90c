"""The dashboard and the API docs under the Content-Security-Policy, in Chromium: nothing
blocked, nothing fetched from another host (the docs page's online validator is off)."""

from __future__ import annotations

from typing import Any

from .conftest import screenshot, wait_graph, wait_tab

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def test_the_dashboard_runs_under_the_csp(server: str, page: Any) -> None:
    page.add_init_script(WATCH_CSP)
    page.goto(f"{server}/?lang=en&dataset=demo&year=2017&region=GD")
    wait_graph(page)
    for tab in ("sectors", "trends", "provinces"):
        page.click(f"[data-tab='{tab}']")
        wait_tab(page, tab)
    page.locator("canvas:visible").first.hover()  # a tooltip: HTML with style attributes
    assert page.evaluate("window.__csp") == []


def test_the_api_docs_work_under_the_csp_and_contact_no_other_host(server: str, page: Any) -> None:
    page.add_init_script(WATCH_CSP)
    page.goto(f"{server}/api/docs")
    page.wait_for_selector(".swagger-ui .information-container", timeout=20000)
    page.wait_for_selector(".opblock-summary-path[data-path=\"/api/view\"]")
    assert page.evaluate("window.__csp") == []
    assert page.locator(".validator, img[src*='validator']").count() == 0
    screenshot(page, "api-docs")
