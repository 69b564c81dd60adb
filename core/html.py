import json

import nh3

# As Django's json_script: "<", ">" and "&" as JSON escapes, so that neither "</script>" nor
# "<!--" typed by someone (a place's name, a page's intro) can end or derail the script element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data) -> str:
    """`data` as JSON safe inside a <script> element (JSON-LD); the JSON stays valid."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


# The subset of HTML a description brought from elsewhere (a partner's agenda) keeps: text
# structure and links, nothing that runs, loads or restyles.
SAFE_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote"}
SAFE_LINK_SCHEMES = {"http", "https", "mailto"}


def html_sanitise(value: str) -> str:
    """`value` reduced to SAFE_TAGS: scripts, styles, event handlers, images and links of any
    other scheme (`javascript:`, `data:`) are removed; links open no window reference."""
    return nh3.clean(
        value or "",
        tags=SAFE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=SAFE_LINK_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()
