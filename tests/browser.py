"""Real headless Chromium for journeys: Debian's package, driven by Playwright, never a browser
downloaded by the test tool (the machine cannot fetch one)."""

import os
import shutil

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


# --- Phone-first checks, shared by the page walk and the journeys ---------------------------

PHONE = {"width": 360, "height": 740}
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# What sticks out to the right of the screen, when something does (null when the page fits).
OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const describe = (element) => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (typeof element.className === "string" && element.className
            ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    const culprits = [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .map(describe);
    return {scrollWidth, culprits: culprits.slice(-4)};
}"""

# Checkboxes and radios whose label starts on another line than the box (a wrapped flex line
# put the footer's consent box alone above its text). Labels that wrap the box are Django's
# choices, laid out by the same rule.
CHOICES_APART = """() => [...document.querySelectorAll("input[type=checkbox], input[type=radio]")]
    .filter((input) => input.getClientRects().length && input.labels && input.labels.length
        && !input.labels[0].contains(input))
    .filter((input) => {
        const box = input.getBoundingClientRect();
        const line = input.labels[0].getClientRects()[0];
        return line && (line.top >= box.bottom - 1 || line.bottom <= box.top + 1);
    })
    .map((input) => (input.name || input.id) + " « "
        + input.labels[0].innerText.trim().slice(0, 40) + " »")
    .slice(0, 4)"""


def axe_violations(page, *, context=None) -> list:
    """The WCAG 2.1 A/AA rules axe-core finds broken on the page, each with up to three of
    its elements (the whole page, site shell included, unless `context` narrows it)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options=WCAG_21_AA)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]


def phone_check(page) -> dict:
    """What is wrong with the page as shown now: horizontal overflow and axe violations
    (empty when the page fits its screen and is clean)."""
    problems = {}
    if overflow := page.evaluate(OVERFLOW):
        problems["overflow"] = overflow
    if violations := axe_violations(page):
        problems["axe"] = violations
    return problems
