from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminPageChooser, Button, ListingButton
from wagtail.models import Page

from accounts.selectors import user_is_hub_staff
from core.admin_views import AuditHistoryView, DependentsDeleteViewMixin
from core.errors import DomainError

from . import admin_views, services
from .models import Registration, Session, SessionPageMixin, session_page_models
from .selectors import session_queryset


class SessionPageChooser(AdminPageChooser):
    def get_instance(self, value):
        """A refused form shows back what was posted: a value that is no page id is no page
        (Wagtail's chooser would look it up and fail with a 500)."""
        if isinstance(value, str) and not value.isdecimal():
            return None
        return super().get_instance(value)


class SessionAdminForm(WagtailAdminModelForm):
    def validate_constraints(self):
        """Skipped: the services check the dates and refuse in French; the database
        constraint, whose message only names it, stays the backstop."""


class DomainErrorFormMixin:
    """Turn a service's refusal into a form error; the surrounding transaction rolls back."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            self.produced_error_message = error.message
            return self.form_invalid(form)


def _page_from_query(request):
    """The session page named by `?page_id=` (from its "Sessions" button), or None."""
    page_id = request.GET.get("page_id", "")
    if not page_id.isdecimal():
        return None
    page = Page.objects.filter(pk=page_id).first()
    return page.specific if page and issubclass(page.specific_class, SessionPageMixin) else None


class SessionCreateView(DomainErrorFormMixin, generic.CreateView):
    # Wagtail's own French reads « créé(e) ».
    success_message = _("Session « %(object)s » créée.")

    @cached_property
    def for_page(self):
        return _page_from_query(self.request)

    def get_initial(self):
        """A new session of the page it was asked from, with that page's defaults."""
        initial = super().get_initial()
        if self.for_page is not None:
            initial.update(self.for_page.session_defaults())
        return initial

    def get_add_url(self):
        """The form posts back with `?page_id=`, so that saving still knows where staff came
        from."""
        url = super().get_add_url()
        if self.for_page is None:
            return url
        return f"{url}{'&' if '?' in url else '?'}page_id={self.for_page.pk}"

    def get_success_url(self):
        """Back to the sessions of the page staff came from, the new one among them (not to
        every session of the Hub, where they would lose their place)."""
        if self.for_page is None:
            return super().get_success_url()
        return f"{reverse(self.index_url_name)}?page_id={self.object.page_id}"

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


class SessionDeleteView(DependentsDeleteViewMixin, generic.DeleteView):
    def delete_action(self):
        services.session_delete(session=self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            messages.error(self.request, error.message)
            return redirect("events_sessions:manage", pk=self.object.pk)


class SessionIndexView(generic.IndexView):
    # Wagtail's own French reads « Ajouter un(e) session ».
    add_item_label = _("Ajouter une session")

    @cached_property
    def for_page(self):
        return _page_from_query(self.request)

    def get_base_queryset(self):
        """Seat counts annotated once for the whole listing; one page's sessions when asked
        from that page."""
        queryset = session_queryset(live_only=False)
        if self.for_page is not None:
            queryset = queryset.filter(page=self.for_page)
        return queryset

    def get_page_subtitle(self):
        return self.for_page.title if self.for_page is not None else super().get_page_subtitle()

    @cached_property
    def add_url(self):
        url = super().add_url
        return f"{url}?page_id={self.for_page.pk}" if url and self.for_page is not None else url


class SeatsColumn(Column):
    def get_value(self, instance):
        # None is unlimited; 0 is a session with no seat (registrations go to the waiting list).
        if instance.capacity is None:
            return gettext("%(confirmed)s / illimité") % {"confirmed": instance.confirmed_total}
        return gettext("%(confirmed)s / %(capacity)s (%(waiting)s en attente)") % {
            "confirmed": instance.confirmed_total,
            "capacity": instance.capacity,
            "waiting": instance.waitlisted_total,
        }


class LinksColumn(Column):
    """Registrations, attendance, exports and message of each session, one click away."""

    def get_value(self, instance):
        return render_to_string("events/admin/session_links.html", {"session": instance})


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
        Column("state_label", label=_("Statut")),
        LinksColumn("manage", label=_("Gérer")),
    ]

    @property
    def edit_handler(self):
        """Only page types that take sessions are offered (the service refuses the others);
        built when the admin's URLs are, once every app's page types are loaded."""
        return ObjectList(
            [
                FieldPanel("page", widget=SessionPageChooser(target_models=session_page_models())),
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
                            [
                                FieldPanel("registration_opens_at"),
                                FieldPanel("registration_closes_at"),
                            ]
                        ),
                        FieldPanel("external_registration_url"),
                    ],
                    heading=_("Inscriptions"),
                ),
                FieldPanel("themes"),
            ],
            base_form_class=SessionAdminForm,
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("manage/<int:pk>/", admin_views.session_manage, name="manage"),
            path("manage/<int:pk>/capacity/", admin_views.session_capacity, name="capacity"),
            path("manage/<int:pk>/cancel/", admin_views.session_cancel, name="cancel"),
            path("manage/<int:pk>/message/", admin_views.session_message, name="message"),
            path("manage/<int:pk>/attendance/", admin_views.attendance_sheet, name="attendance"),
            path(
                "manage/<int:pk>/attendance/walk-in/",
                admin_views.attendance_walk_in,
                name="attendance_walk_in",
            ),
            path(
                "manage/<int:pk>/register/", admin_views.registration_add, name="registration_add"
            ),
            path("manage/<int:pk>/export.csv", admin_views.export_csv, name="export_csv"),
            path("manage/<int:pk>/export.xlsx", admin_views.export_xlsx, name="export_xlsx"),
            path(
                "manage/<int:pk>/registrations/<int:registration_pk>/cancel/",
                admin_views.registration_cancel,
                name="registration_cancel",
            ),
            path(
                "registrations/<int:pk>/history/",
                AuditHistoryView.as_view(**self.registration_history_kwargs),
                name="registration_history",
            ),
            path(
                "registrations/<int:pk>/history-results/",
                AuditHistoryView.as_view(**self.registration_history_kwargs, results_only=True),
                name="registration_history_results",
            ),
        ]

    @property
    def registration_history_kwargs(self):
        """A registration's audit trail (staff cancellations, attendance)."""
        return {
            "model": Registration,
            "history_url_name": self.get_url_name("registration_history"),
            "history_results_url_name": self.get_url_name("registration_history_results"),
        }


session_viewset = SessionViewSet("events_sessions")


@hooks.register("register_admin_viewset")
def register_session_viewset():
    return session_viewset


def _sessions_url(page, user):
    """The page's sessions in the one session admin, for a page type that takes them."""
    if issubclass(page.specific_class, SessionPageMixin) and user_is_hub_staff(user):
        return f"{reverse('events_sessions:index')}?page_id={page.pk}"
    return None


@hooks.register("register_page_listing_buttons")
def page_listing_sessions_button(page, user, next_url=None):
    """A visible "Sessions" button on the page's row in the explorer (not under "⋯")."""
    if url := _sessions_url(page, user):
        yield ListingButton(_("Sessions"), url, icon_name="date", priority=15)


@hooks.register("register_page_header_buttons")
def page_header_sessions_button(page, user, view_name, next_url=None):
    if url := _sessions_url(page, user):
        yield Button(_("Sessions"), url, icon_name="date", priority=12)
