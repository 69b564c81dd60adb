"""An import's report as staff take it away: one row per rejected or warned line of the file,
with its line number, identifier and reason, as CSV or as a printable page."""

from django.utils.translation import gettext as _

from core import exports


def rows(report: dict) -> list[dict]:
    """Rejected rows first then warnings, each in file order: line, identifier, kind, reason."""
    result = [
        {
            "line": rejected["line"],
            "identifier": rejected.get("identifier", ""),
            "kind": _("rejetée"),
            "reason": reason,
        }
        for rejected in report.get("rejected", [])
        for reason in rejected["reasons"]
    ]
    result += [
        {
            "line": warning["line"],
            "identifier": warning.get("identifier", ""),
            "kind": _("à vérifier")
            if warning["message"].startswith(_("À vérifier"))
            else _("avertissement"),
            "reason": warning["message"],
        }
        for warning in report.get("warnings", [])
    ]
    return result


def as_csv_response(report: dict, *, filename: str):
    """The report's rows as a CSV download for spreadsheets (`core.exports`: no live formula)."""
    return exports.csv_response(
        filename=filename,
        header=[_("Ligne"), _("Identifiant"), _("Type"), _("Raison")],
        rows=([row["line"], row["identifier"], row["kind"], row["reason"]] for row in rows(report)),
    )
