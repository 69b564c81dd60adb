"""Baselines: a bare Django view rendering a template of a page's size, and a trivial
authenticated POST, served by the same gunicorn as the portal."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

FILLER = "Lorem ipsum dolor sit amet, médiation numérique. " * 40


def baseline_page(request):
    size = int(request.GET.get("size", "20000"))
    return render(request, "bench/baseline.html", {"filler": FILLER * max(1, size // len(FILLER))})


@login_required
@require_POST
def baseline_post(request):
    return HttpResponse("ok")
