import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allauth.account.forms import ResetPasswordForm

from accounts import services as account_services
from accounts.forms import AccountDeleteForm, ProfileForm
from core import my_space
from core.errors import DomainError
from core.hub import absolute_url
from core.page_cache import reads_query

from .search import TYPES, portal_search


@login_required
def my_space_view(request):
    """Mon espace: the person's profile and every section the apps register."""
    sections = [
        {"template": section.template, **section.context(request.user)}
        for section in my_space.sections()
    ]
    return render(request, "portal/my_space.html", {"sections": sections})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("portal:my_space")
    return render(request, "portal/profile_edit.html", {"form": form})


@login_required
def data_export(request):
    """The person's data, every app included, as a JSON download."""
    data = account_services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-maillage-{stamp}.json"'
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_services.user_delete(user=user)
        messages.success(request, _("Votre compte et vos données ont été supprimés."))
        return redirect("/")
    return render(request, "portal/account_delete.html", {"form": form})


@login_required
@require_POST
def calendar_token_regenerate(request):
    account_services.user_calendar_token_regenerate(user=request.user)
    messages.success(
        request, _("Votre adresse d'abonnement a changé : l'ancienne ne fonctionne plus.")
    )
    return redirect("portal:my_space")


@reads_query("q", "type")
def search(request):
    """The portal's one search, grouped by type; `type` (repeatable) keeps some types only."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    types = tuple(request.GET.getlist("type"))
    outcome = portal_search(query=query, types=types) if query else None
    return render(
        request,
        "portal/search.html",
        {"query": query, "outcome": outcome, "types": TYPES, "chosen": types},
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /mon-espace/",
        "Disallow: /comptes/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    """Every 403 of the site (handler403): a French page with the refusal's own reason, or a
    general one, and what the person can do next; never a bare « Accès refusé »."""
    reason = str(exception or "")
    return render(
        request,
        "403.html",
        {"title": getattr(exception, "title", "") or _("Accès réservé"), "reason": reason},
        status=403,
    )


def email_change_undo(request, token: str):
    """The link of the notice sent to the former address after an address change: a page that
    says what will happen, then (POST) the address is given back, every session closed, and a
    link to choose a new password sent to it."""
    try:
        user, former = account_services.email_change_undo_read(token=token)
    except DomainError as error:
        return render(
            request, "portal/email_change_undo.html", {"error": error.message}, status=400
        )
    if request.method == "POST":
        try:
            user = account_services.user_email_change_undo(token=token)
        except DomainError as error:
            return render(
                request, "portal/email_change_undo.html", {"error": error.message}, status=409
            )
        logout(request)
        reset = ResetPasswordForm(data={"email": user.email})
        if reset.is_valid():
            reset.save(request)
        return render(request, "portal/email_change_undone.html", {"email": user.email})
    return render(
        request, "portal/email_change_undo.html", {"former": former, "current": user.email}
    )
