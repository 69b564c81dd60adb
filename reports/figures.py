"""A report's figures, read from each app's selectors: a fixed number of queries whatever the
period's size. Nothing here names a person: the same figures go to a share link."""

import datetime
from dataclasses import dataclass

from directory import selectors as directory
from events import selectors as events
from newsletter import selectors as newsletter
from numeritheque import selectors as numeritheque
from trainings import selectors as trainings


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    filters: dict  # the filters as people read them (label: value)
    registrations: dict
    by_month: list
    satisfaction: dict
    equipment: list
    newsletter: dict
    sessions: object  # the sessions counted (for the Coop export)


def sessions_for(data: dict):
    """The sessions a report's cleaned filters keep."""
    pages = None
    if data.get("training"):
        pages = [data["training"].pk]
    elif data.get("organiser"):
        pages = trainings.training_page_ids(organiser=data["organiser"])
    return events.session_list_for_report(
        start=data["start"],
        end=data["end"],
        departement=data.get("departement") or "",
        communes=directory.commune_codes_of_epci(siren=data["epci"]) if data.get("epci") else None,
        theme=data.get("theme"),
        pages=pages,
    )


def report_build(data: dict) -> Report:
    """Every figure of the report for the form's cleaned data."""
    sessions = sessions_for(data)
    labels = {
        "Département": data.get("departement"),
        "EPCI": data.get("epci"),
        "Thématique": data.get("theme"),
        "Formation": data.get("training"),
        "Organisateur": data.get("organiser"),
    }
    return Report(
        start=data["start"],
        end=data["end"],
        filters={label: str(value) for label, value in labels.items() if value},
        registrations=events.registration_figures(sessions=sessions),
        by_month=events.registrations_by_month(sessions=sessions),
        satisfaction=trainings.satisfaction_figures(sessions=sessions),
        equipment=numeritheque.equipment_days_by_structure(
            start=data["start"], end=data["end"], departement=data.get("departement") or ""
        ),
        newsletter=newsletter.newsletter_figures(start=data["start"], end=data["end"]),
        sessions=sessions,
    )


def figure_rows(report: Report) -> list[list]:
    """The figures as (indicator, value) rows, for the CSV and XLSX downloads."""
    r, s, n = report.registrations, report.satisfaction, report.newsletter
    rows = [
        ["Période", f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"],
        *[[label, value] for label, value in report.filters.items()],
        ["Sessions", r["sessions"]],
        ["Inscriptions", r["registrations"]],
        ["Personnes différentes", r["people"]],
        ["Présent·es", r["attended"]],
        ["Absent·es (non venu·es)", r["absent"]],
        ["Taux de présence (%)", r["attendance_rate"] if r["attendance_rate"] is not None else ""],
        ["Passé·es de la liste d'attente à une place", r["converted"]],
        ["Structures touchées", r["structures"]],
        ["Communes touchées", r["communes"]],
        ["Réponses de satisfaction", s["answers"]],
        ["Note moyenne (sur 5)", s["rating"] if s["rating"] is not None else ""],
        ["Recommanderaient (%)", s["recommend_rate"] if s["recommend_rate"] is not None else ""],
        ["Lettres envoyées (campagnes)", n["campaigns"]],
        ["Messages envoyés", n["sent"]],
        ["Ouvertures", "non mesurées"],
        ["Désinscriptions", n["unsubscribes"]],
        ["Adresses rejetées (bounces)", n["bounced"]],
    ]
    rows += [[f"Jours de matériel — {name}", days] for name, days in report.equipment]
    rows += [[f"Inscriptions — {month}", total] for month, total, _attended in report.by_month]
    return rows
