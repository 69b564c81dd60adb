"""Checks every file the portal accepts from a form: a known extension, a size under a limit
(MAILLAGE_UPLOAD_MAX_BYTES unless told), and, for data files, content that is not markup. Stored
files are served by their extension's type, so an .html or .svg page never gets in, even
renamed."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_MARKUP_STARTS = (b"<",)
_BOM = b"\xef\xbb\xbf"


def validate_upload(
    upload, *, extensions: tuple[str, ...], max_bytes: int | None = None, data=False
):
    """Return `upload` or raise a ValidationError in French. `data`: a CSV or JSON file, whose
    first characters must not be markup (an HTML page or an SVG image renamed .csv)."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in extensions:
        raise forms.ValidationError(
            _("Ce type de fichier n'est pas accepté : choisissez un fichier %(allowed)s.")
            % {"allowed": ", ".join(f".{allowed}" for allowed in extensions)},
            code="extension",
        )
    limit = max_bytes or settings.MAILLAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("Ce fichier est trop lourd (%(size)s) : %(limit)s au plus.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if data:
        start = upload.read(1024)
        upload.seek(0)
        if start.removeprefix(_BOM).lstrip().startswith(_MARKUP_STARTS):
            raise forms.ValidationError(
                _("Ce fichier contient du HTML ou du XML, pas des données CSV ou JSON."),
                code="markup",
            )
    return upload
