"""Baselines: a bare Django view rendering a template of a page's size (`bare_view`), and a
trivial authenticated POST that writes one row (`trivial_post`), served by the same gunicorn
as the portal."""

from django.contrib.auth.decorators import login_required
from django.db import connection
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
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_post (user_id, at) VALUES (%s, now())", [request.user.pk])
    return HttpResponse("ok")
