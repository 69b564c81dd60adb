"""The admin's searchable choosers: a modal whose one search box finds rows word by word
(« médiathèque quimper », « martin quimper.fr ») among thousands, instead of a drop-down of
every row. Each app declares its model, the fields a word is looked for in and the columns
shown (directory: places and structures; accounts: people, for Hub staff only)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

SEARCH_MAX_LENGTH = 100


class WordSearchForm(BaseFilterForm):
    """One search box: every word must be in one of `search_fields` (`icontains`)."""

    search_fields: tuple[str, ...] = ()
    placeholder = ""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        for word in query.split():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            objects = objects.filter(match)
        self.is_searching = True
        self.search_query = query
        return objects


class ExtraColumns:
    """The listing's title column, then one column per (field, label) of `extra_columns`."""

    extra_columns: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self):
        return [
            *super().columns,
            *(Column(name, label=label) for name, label in self.extra_columns),
        ]


class SearchChooseView(ExtraColumns, chooser.ChooseView):
    pass


class SearchChooseResultsView(ExtraColumns, chooser.ChooseResultsView):
    pass


class IdChooser(BaseChooser):
    def get_instance(self, value):
        """A refused form shows back what was posted: a value that is no id is no object
        (Wagtail's chooser would look it up and fail with a 500)."""
        if isinstance(value, str) and not value.strip().isdecimal():
            return None
        return super().get_instance(value)


class SearchChooserViewSet(ChooserViewSet):
    """A chooser searched through `search_form_class`, listing `extra_columns` beside the
    title; configured by attributes or by keyword arguments (one instance per model)."""

    search_form_class = WordSearchForm
    extra_columns: tuple[tuple[str, str], ...] = ()
    search_tab_label = _("Rechercher")
    per_page = 20
    base_widget_class = IdChooser
    choose_view_class = SearchChooseView
    choose_results_view_class = SearchChooseResultsView

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            filter_form_class=self.search_form_class, extra_columns=self.extra_columns, **kwargs
        )
