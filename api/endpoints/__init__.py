"""One module per resource of the open API, each with its own `router`, registered in
api/api.py. To publish a new resource (trainings, peer-exchange formats, numérithèque items):
write `<resource>.py` reading the app through its selectors.py, declare its response schema
(public fields only) with `ERRORS`/`DETAIL_ERRORS`, paginate with `common.paginate`, and add
the module to api/api.py; the personal-data walk and the fuzz test pick it up from the
OpenAPI document by themselves."""
