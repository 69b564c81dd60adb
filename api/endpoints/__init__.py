"""One module per resource of the open API, each with its own `router`, registered in
api/api.py. To publish a new resource: write `<resource>.py` reading the app through its
selectors.py, declare its response schema (public fields only) with `ERRORS`/`DETAIL_ERRORS`,
paginate a list with Django Ninja's `@paginate(common.PageNumbers)` returning `common.Rows`, add the module to api/api.py and its models to
api/receivers.py (Last-Modified); the personal-data walk and the fuzz test pick it up from the
OpenAPI document by themselves, the constant-queries test needs one line."""
