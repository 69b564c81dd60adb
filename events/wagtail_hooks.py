from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.errors import DomainError

from . import admin_views, services
from .models import Session
from .selectors import session_queryset


class DomainErrorFormMixin:
    """Turn a service's refusal into a form error; the surrounding transaction rolls back."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)


class SessionCreateView(DomainErrorFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.session_create(
            page=data["page"],
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            title=data["title"],
            venue=data["venue"],
            outside_commune=data["outside_commune"],
            outside_location=data["outside_location"],
            online_url=data["online_url"],
            capacity=data["capacity"],
            registration_opens_at=data["registration_opens_at"],
            registration_closes_at=data["registration_closes_at"],
            waiting_list_enabled=data["waiting_list_enabled"],
            external_registration_url=data["external_registration_url"],
            themes=data["themes"],
        )


class SessionEditView(DomainErrorFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        changed = set(self.form.changed_data)
        session = services.session_update(
            session=self.object,
            themes=data["themes"] if "themes" in changed else None,
            **{field: data[field] for field in changed & services.UPDATABLE_FIELDS},
        )
        if "capacity" in changed:
            session = services.session_change_capacity(session=session, capacity=data["capacity"])
        return session


class SessionDeleteView(generic.DeleteView):
    def delete_action(self):
        services.session_delete(session=self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            messages.error(self.request, error.message)
            return redirect("events_sessions:manage", pk=self.object.pk)


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        """Seat counts annotated once for the whole listing."""
        return session_queryset(live_only=False)


class SeatsColumn(Column):
    def get_value(self, instance):
        if instance.capacity is None:
            return f"{instance.confirmed_total} / ∞"
        return f"{instance.confirmed_total} / {instance.capacity} ({instance.waitlisted_total} en attente)"


class ManageColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a class="button button-small" href="{}">{}</a>',
            reverse("events_sessions:manage", args=[instance.pk]),
            _("Inscriptions"),
        )


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 250
    add_to_admin_menu = True
    url_namespace = "events_sessions"
    url_prefix = "agenda/sessions"
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    list_filter = ["kind", "status", "departement"]
    search_fields = ["title", "page__title"]
    ordering = ["-start"]
    list_display = [
        "__str__",
        "kind",
        "venue",
        SeatsColumn("seats", label=_("Confirmé·es / places")),
        "status",
        ManageColumn("manage", label=_("Gérer")),
    ]
    panels = [
        FieldPanel("page"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("outside_commune", widget=forms.TextInput),
                FieldPanel("outside_location"),
                FieldPanel("online_url"),
            ],
            heading=_("Lieu, action hors les murs ou lien en ligne"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("waiting_list_enabled"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("external_registration_url"),
            ],
            heading=_("Inscriptions"),
        ),
        FieldPanel("themes"),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("manage/<int:pk>/", admin_views.session_manage, name="manage"),
            path("manage/<int:pk>/capacity/", admin_views.session_capacity, name="capacity"),
            path("manage/<int:pk>/cancel/", admin_views.session_cancel, name="cancel"),
            path("manage/<int:pk>/message/", admin_views.session_message, name="message"),
            path("manage/<int:pk>/attendance/", admin_views.attendance_sheet, name="attendance"),
            path("manage/<int:pk>/export.csv", admin_views.export_csv, name="export_csv"),
            path("manage/<int:pk>/export.xlsx", admin_views.export_xlsx, name="export_xlsx"),
            path(
                "manage/<int:pk>/registrations/<int:registration_pk>/cancel/",
                admin_views.registration_cancel,
                name="registration_cancel",
            ),
        ]


session_viewset = SessionViewSet("events_sessions")


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return session_viewset
