"""One URL per page type of the portal, derived from what the portal itself publishes (its
sitemap, its menus, the links of each person's Mon espace) rather than listed by hand: a page
type added tomorrow is walked by the phone and language tests without anyone editing them.

A page type is the Wagtail model of a page (and the sub-route under it), or the URL pattern of
a Django view; query strings do not make a new type."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

from wagtail.models import Page

# Paths the walk never follows: the CMS and Django's admin (Wagtail's own screens), files and
# feeds, and the routes that act on GET for a mail link.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/api/")
SKIPPED_SUFFIXES = (".ics", ".rss", ".xml", ".csv", ".json", ".pdf", ".xlsx", ".zip", ".txt")
# Search states that show more than the bare listing (results, distances, a map).
SEARCH_STATES = [
    "/agenda/?departement=35",
    "/formations/?near=Rennes&radius=50",
    "/annuaire/?location=Rennes&radius=20",
    "/annuaire/orientation/?service=Aide%20aux%20d%C3%A9marches%20administratives&location=Rennes",
    "/recherche/?q=formation",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.hrefs.append(attributes["href"])


def links_of(html: str, base: str) -> list[str]:
    """The same-site paths (with their query) a page links to."""
    parser = _Links()
    parser.feed(html)
    paths = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _walkable(path: str) -> bool:
    bare = urlsplit(path).path
    return not bare.startswith(SKIPPED_PREFIXES) and not bare.endswith(SKIPPED_SUFFIXES)


class PageTypes:
    """Keys paths by page type, knowing the live Wagtail pages once."""

    def __init__(self):
        self.page_models = {
            page.url: type(page).__name__
            for page in Page.objects.live().specific()
            if page.url and page.depth > 1
        }

    def key(self, path: str) -> str | None:
        bare = urlsplit(path).path
        try:
            match = resolve(bare)
        except Resolver404:
            return None
        if match.url_name != "wagtail_serve":
            return f"{match.namespace}:{match.url_name or match.route}"
        owner = max(
            (url for url in self.page_models if bare.startswith(url)), key=len, default=None
        )
        if owner is None:
            return None
        rest = re.sub(r"[^/]+", "*", bare[len(owner) :])
        return f"{self.page_models[owner]}/{rest}"


def walk(client, seeds, *, depth: int, types: PageTypes, known: set) -> list[str]:
    """One HTML page of each type not in `known`, reached from `seeds` by following links up
    to `depth` steps. Breadth first, and each type is opened once: its first URL is the
    shortest way to it, and the pages of a known type still lead on to new ones."""
    found = []
    opened = set()
    queue = deque((seed, 0) for seed in seeds)
    while queue:
        path, step = queue.popleft()
        key = types.key(path)
        if key is None or key in opened or not _walkable(path):
            continue
        opened.add(key)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        if key not in known:
            known.add(key)
            found.append(path)
        if step < depth:
            html = response.content.decode()
            queue.extend((link, step + 1) for link in links_of(html, path))
    return found


def sitemap_paths(client) -> list[str]:
    xml = client.get("/sitemap.xml").content.decode()
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def public_page_urls(client, types: PageTypes, seen: set) -> list[str]:
    """Every public page type: the sitemap's, the search states, then what the home page and
    those pages link to (sign-in, sign-up, the newsletter form…)."""
    seeds = ["/", *sitemap_paths(client), *SEARCH_STATES]
    return walk(client, seeds, depth=1, types=types, known=seen)


def signed_in_page_urls(client, types: PageTypes, seen: set) -> list[str]:
    """The page types a signed-in person reaches in two steps from Mon espace or from the
    public pages (a session's registration form…), beyond those already seen."""
    seeds = ["/mon-espace/", "/", *sitemap_paths(client), *SEARCH_STATES]
    return walk(client, seeds, depth=2, types=types, known=seen)
