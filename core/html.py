import json

# As Django's json_script: "<", ">" and "&" as JSON escapes, so that neither "</script>" nor
# "<!--" typed by someone (a place's name, a page's intro) can end or derail the script element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data) -> str:
    """`data` as JSON safe inside a <script> element (JSON-LD); the JSON stays valid."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
