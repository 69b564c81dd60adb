"""Staff screens of the newsletter in Wagtail's admin: a campaign's dashboard (figures,
progress, failures, uncertain deliveries and every action), its preview, and the CSV import.
Each action calls one service and shows its refusal as a French message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from core import exports
from core.errors import DomainError
from core.services import personal_data_access_record

from . import rendering, selectors, services
from .forms import CsvImportForm, ScheduleForm, SendConfirmForm, TestSendForm
from .models import Campaign, Delivery, Subscriber
from .selectors import campaign_stats

can_change_campaign = permission_required(
    "newsletter.change_campaign",
    reason=gettext_lazy(
        "Les campagnes de la lettre d'information sont réservées à l'équipe du Hub."
    ),
)


@can_change_campaign
def campaign_dashboard(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    problems = (
        campaign.deliveries.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNCERTAIN])
        .select_related("subscriber")
        .order_by("status", "subscriber__email")[:500]
    )
    personal_data_access_record(
        user=request.user,
        what=_("Tableau de bord d'une campagne"),
        target=campaign,
        path=request.path,
    )
    return render(
        request,
        "newsletter/admin/campaign_dashboard.html",
        {
            "campaign": campaign,
            "stats": campaign_stats(campaign=campaign),
            "problems": problems,
            "schedule_form": ScheduleForm(),
            "test_form": TestSendForm(initial={"email": request.user.email}),
            "recipients": selectors.campaign_recipients(campaign=campaign).count(),
        },
    )


@can_change_campaign
def campaign_preview(request, pk):
    """The message as a subscriber would see it, with its current (unsent) content."""
    campaign = get_object_or_404(Campaign, pk=pk)
    html = rendering.body_html(campaign)
    return render(
        request,
        "emails/newsletter_campaign_body.html",
        {
            "campaign": campaign,
            "body_html": html,
            "unsubscribe_url": "#",
            "archive_url": "#",
        },
    )


def _action(service, success: str):
    @can_change_campaign
    @require_POST
    def view(request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        try:
            service(request, campaign)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return redirect("newsletter_admin:campaign_dashboard", pk=pk)

    return view


def _schedule(request, campaign):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Indiquez une date et une heure d'envoi valides."), code="invalid_date")
    services.campaign_schedule(campaign=campaign, when=form.cleaned_data["when"])


def _send_test(request, campaign):
    form = TestSendForm(request.POST)
    services.campaign_send_test(campaign=campaign, email=form.data.get("email", ""))


@can_change_campaign
def campaign_send(request, pk):
    """« Envoyer à 9 412 personnes ? »: the exact number and the audience first (GET), and the
    number typed again above the setting's threshold; the send itself refuses a number that
    changed meanwhile."""
    campaign = get_object_or_404(Campaign, pk=pk)
    recipients = selectors.campaign_recipients(campaign=campaign).count()
    form = SendConfirmForm(
        request.POST if request.method == "POST" else None, recipients=recipients
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_send(
                campaign=campaign,
                by=request.user,
                confirmed_recipients=form.cleaned_data["recipients"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("L'envoi a commencé."))
            return redirect("newsletter_admin:campaign_dashboard", pk=pk)
    return render(
        request,
        "newsletter/admin/campaign_send_confirm.html",
        {
            "campaign": campaign,
            "form": form,
            "recipients": recipients,
            "segment": selectors.campaign_segment_description(campaign=campaign),
        },
        status=400 if form.errors else 200,
    )


campaign_schedule = _action(_schedule, _("L'envoi est programmé."))
campaign_unschedule = _action(
    lambda request, campaign: services.campaign_unschedule(campaign=campaign),
    _("La programmation est annulée : la campagne est revenue en brouillon."),
)
campaign_send_test = _action(_send_test, _("Le message de test est parti."))
campaign_pause = _action(
    lambda request, campaign: services.campaign_pause(campaign=campaign),
    _("L'envoi est en pause."),
)
campaign_resume = _action(
    lambda request, campaign: services.campaign_resume(campaign=campaign),
    _("L'envoi a repris."),
)
campaign_resend_uncertain = _action(
    lambda request, campaign: services.campaign_resend_uncertain(campaign=campaign),
    _("Les envois incertains sont renvoyés."),
)


SUBSCRIBER_IMPORT_PERMISSION = "newsletter.add_subscriber"
SUBSCRIBER_EXPORT_PERMISSION = "newsletter.view_subscriber"


@permission_required(
    SUBSCRIBER_IMPORT_PERMISSION,
    reason=gettext_lazy(
        "L'import d'abonné·es de la lettre d'information est réservé à l'équipe du Hub."
    ),
)
def subscriber_import(request):
    form = CsvImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.subscriber_import(
                data=form.cleaned_data["file"].read(), source=form.cleaned_data["source"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
    status = 400 if form.errors else 200
    return render(
        request,
        "newsletter/admin/subscriber_import.html",
        {
            "form": form,
            "report": report,
            "imported": sum(line.imported for line in report or []),
            "rejected": [line for line in report or [] if not line.imported],
            "incomplete": [line for line in report or [] if line.imported and line.reason],
            "ignored_columns": getattr(report, "ignored_columns", []),
        },
        status=status,
    )


@permission_required(
    SUBSCRIBER_EXPORT_PERMISSION,
    reason=gettext_lazy(
        "L'export des abonné·es de la lettre d'information est réservé à l'équipe du Hub."
    ),
)
def subscriber_export(request):
    """Every subscriber and their consent, as CSV for a spreadsheet."""
    personal_data_access_record(
        user=request.user, what=_("Export des abonné·es (CSV)"), path=request.path
    )
    header = [
        "email",
        "nom",
        "statut",
        "departement",
        "thematiques",
        "consentement_le",
        "origine_du_consentement",
        "texte_du_consentement",
        "confirmee_le",
        "desinscrite_le",
    ]
    subscribers = Subscriber.objects.prefetch_related("themes").order_by("email")
    rows = (
        [
            subscriber.email,
            subscriber.name,
            subscriber.get_status_display(),
            subscriber.departement,
            ", ".join(theme.name for theme in subscriber.themes.all()),
            subscriber.consent_at.isoformat() if subscriber.consent_at else "",
            subscriber.consent_source,
            subscriber.consent_text,
            subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else "",
        ]
        for subscriber in subscribers.iterator(chunk_size=1000)
    )
    return exports.csv_response(filename="abonnes-lettre.csv", header=header, rows=rows)
