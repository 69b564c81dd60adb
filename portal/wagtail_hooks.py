from wagtail import hooks

from .dashboard import WeekPanel


@hooks.register("construct_homepage_panels")
def add_week_panel(request, panels):
    """The week's to-do list first on the admin home."""
    panels.insert(0, WeekPanel(request.user))
