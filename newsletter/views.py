from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.page_cache import reads_query

from . import services
from .forms import SubscribeForm
from .models import Campaign, Subscriber

SOURCES = {
    "pied-de-page": gettext_lazy("Formulaire du pied de page"),
    "page-inscription": gettext_lazy("Page d'inscription à la lettre"),
}


@csrf_exempt
def subscribe(request):
    """The subscription form: posted from every page's footer, or shown on its own page.

    No CSRF token: a forged post can only send a confirmation link to an address, which the
    attacker could do by filling the form; the double opt-in is the protection. Without a
    token, the footer no longer makes every page depend on the visitor, so anonymous pages
    can be cached whole (core/page_cache.py)."""
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        source = SOURCES.get(request.POST.get("source"), SOURCES["page-inscription"])
        try:
            services.subscriber_subscribe(
                email=form.cleaned_data["email"],
                interests=form.interests(),
                source=str(source),
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "newsletter/subscribe_sent.html")
    status = 400 if form.is_bound else 200
    return render(request, "newsletter/subscribe.html", {"form": form}, status=status)


def confirm(request, token):
    """GET shows a button, POST confirms: link scanners in mailboxes only ever GET."""
    if request.method == "POST":
        try:
            services.subscriber_confirm(token=token)
        except DomainError as error:
            return render(request, "newsletter/token_error.html", {"error": error}, status=400)
        return render(request, "newsletter/confirmed.html")
    return render(request, "newsletter/confirm.html")


@csrf_exempt
def unsubscribe(request, token):
    """One-click unsubscribe (RFC 8058): mail clients POST here without cookies nor CSRF token,
    the secret token in the URL is the authorisation. GET only shows the button."""
    subscriber = Subscriber.objects.filter(unsubscribe_token=token).first()
    if subscriber is None:
        error = DomainError(_("Ce lien de désinscription n'est pas valide."), code="invalid_token")
        return render(request, "newsletter/token_error.html", {"error": error}, status=404)
    if request.method != "POST":
        return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
    campaign_pk = request.GET.get("campagne", "")
    campaign = Campaign.objects.filter(pk=campaign_pk).first() if campaign_pk.isdigit() else None
    already = False
    try:
        services.subscriber_unsubscribe(token=token, campaign=campaign)
    except DomainError:
        already = True
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(_("Désinscription enregistrée."), content_type="text/plain")
    return render(request, "newsletter/unsubscribed.html", {"already": already})


@login_required
@require_POST
def my_space_subscribe(request):
    try:
        services.subscriber_subscribe_account(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous êtes inscrit·e à la lettre d'information."))
    return redirect("portal:my_space")


@reads_query("page")
def archive(request):
    campaigns = Campaign.objects.filter(status=Campaign.Status.SENT).order_by("-finished_at")
    page = Paginator(campaigns.only("pk", "subject", "preheader", "finished_at"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "newsletter/archive.html", {"campaigns": page})


def archive_detail(request, pk):
    """The web version of a sent campaign: its frozen content, with no personal link."""
    campaign = get_object_or_404(Campaign, pk=pk, status=Campaign.Status.SENT)
    return render(request, "newsletter/archive_detail.html", {"campaign": campaign})
