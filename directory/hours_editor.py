"""The French opening-hours editor: a week of days × time ranges (several a day, a day left
empty is closed) and public holidays, written as the OSM `opening_hours` string of the
national standard and read back from it. A stored string the week cannot show stays as text
under « Saisie avancée », with a French message saying why (unreadable, or rules the week
cannot show), never silently."""

import itertools

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import hours

_SLOTS = len(hours.OSM_DAYS) * hours.RANGES_PER_DAY * 2
HOLIDAY_CHOICES = [
    ("", gettext_lazy("Comme les autres jours")),
    ("off", gettext_lazy("Fermé les jours fériés")),
]


class _TimeInput(forms.TimeInput):
    input_type = "time"


def _slot(day: int, index: int, end: bool) -> int:
    return (day * hours.RANGES_PER_DAY + index) * 2 + int(end)


class OpeningHoursWidget(forms.MultiWidget):
    template_name = "directory/widgets/opening_hours.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = []
        for day in hours.DAY_NAMES:
            for index in range(1, hours.RANGES_PER_DAY + 1):
                for bound in (_("ouverture"), _("fermeture")):
                    label = f"{day}, {_('plage')} {index}, {bound}"
                    widgets.append(_TimeInput(format="%H:%M", attrs={"aria-label": label}))
        widgets.append(forms.Select(choices=HOLIDAY_CHOICES))
        widgets.append(forms.Textarea(attrs={"rows": 2}))
        super().__init__(widgets, attrs)

    def decompress(self, value):
        week = hours.editable_week(value or "")
        if week is None:
            return [None] * _SLOTS + ["", value]
        values = [None] * _SLOTS
        for day, ranges in enumerate(week.days):
            for index, (start, end) in enumerate(ranges):
                values[_slot(day, index, False)] = start
                values[_slot(day, index, True)] = end
        return [*values, "off" if week.closed_on_holidays else "", ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        stored = value if isinstance(value, str) else ""

        def time_input(slot: int) -> dict:
            subwidget = subwidgets[slot]
            return {
                "name": subwidget["name"],
                "id": subwidget["attrs"].get("id", ""),
                "label": subwidget["attrs"]["aria-label"],
                "value": subwidget["value"] or "",
            }

        context["days"] = [
            {
                "name": day_name,
                "ranges": [
                    (time_input(_slot(day, index, False)), time_input(_slot(day, index, True)))
                    for index in range(hours.RANGES_PER_DAY)
                ],
            }
            for day, day_name in enumerate(hours.DAY_NAMES)
        ]
        context["holidays"], context["raw"] = subwidgets[_SLOTS], subwidgets[_SLOTS + 1]
        context["stored"] = stored
        context["unreadable"] = bool(stored.strip()) and hours.parse(stored) is None
        context["kept_as_text"] = not context["unreadable"] and hours.editable_week(stored) is None
        context["usual_week"] = hours.usual_week(stored) if stored else []
        return context

    def value_from_datadict(self, data, files, name):
        """The week's inputs; a plain `opening_hours` text (a script, a form without the
        editor) is read as the advanced text."""
        if name in data and f"{name}_0" not in data:
            return [None] * _SLOTS + ["", data[name]]
        return super().value_from_datadict(data, files, name)

    def _render(self, template_name, context, renderer=None):
        # The project's template directories (Django's form renderer reads only the apps').
        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class OpeningHoursField(forms.MultiValueField):
    """Cleans to the OSM string: the week when any range is filled, else the advanced text
    as typed (the form checks that a changed text is readable). "" for no hours."""

    widget = OpeningHoursWidget

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        fields = [forms.TimeField(required=False) for _slot_index in range(_SLOTS)]
        fields.append(forms.ChoiceField(choices=HOLIDAY_CHOICES, required=False))
        fields.append(forms.CharField(required=False))
        super().__init__(fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return ""
        week = hours.EditableWeek(closed_on_holidays=data_list[_SLOTS] == "off")
        errors = []
        for day, day_name in enumerate(hours.DAY_NAMES):
            ranges = []
            for index in range(hours.RANGES_PER_DAY):
                start = data_list[_slot(day, index, False)]
                end = data_list[_slot(day, index, True)]
                where = {"day": day_name, "index": index + 1}
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    errors.append(
                        _("%(day)s, plage %(index)s : indiquez l'ouverture et la fermeture.")
                        % where
                    )
                elif end <= start:
                    errors.append(
                        _("%(day)s, plage %(index)s : la fermeture doit suivre l'ouverture.")
                        % where
                    )
                else:
                    ranges.append((start, end))
            ranges.sort()
            if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(ranges)):
                errors.append(_("%(day)s : deux plages se chevauchent.") % {"day": day_name})
            week.days[day] = ranges
        if errors:
            raise ValidationError(errors, code="invalid_hours")
        if not week.is_empty:
            return hours.week_to_text(week)
        return (data_list[_SLOTS + 1] or "").strip()


def unreadable_hours_error(text: str) -> ValidationError:
    return ValidationError(
        _(
            "Ces horaires ne peuvent pas être lus : « %(text)s ». Remplissez le tableau des "
            "jours, ou écrivez-les comme « Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00 »."
        ),
        params={"text": text},
        code="unreadable_hours",
    )
