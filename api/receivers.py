"""Keep api.freshness in step with the data the API publishes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from directory.models import Organisation, Place
from events.models import Registration, Session
from numeritheque.models import Category, Item, ItemPhoto
from taxonomy.models import Competence, Theme

from .freshness import data_changed

WATCHED = (
    Session,
    Registration,
    Place,
    Organisation,
    Theme,
    Competence,
    Category,
    Item,
    ItemPhoto,
)


@receiver(post_save, dispatch_uid="api_data_saved")
@receiver(post_delete, dispatch_uid="api_data_deleted")
def _model_changed(sender, **kwargs):
    if sender in WATCHED:
        data_changed()


@receiver(m2m_changed, sender=Session.themes.through, dispatch_uid="api_session_themes")
@receiver(page_published, dispatch_uid="api_page_published")
@receiver(page_unpublished, dispatch_uid="api_page_unpublished")
def _content_changed(sender, **kwargs):
    data_changed()
