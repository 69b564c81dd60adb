"""Many Wagtail pages at once, for the constant-queries tests. Django's bulk_create refuses
multi-table inheritance, and treebeard adds pages one by one: here the tree paths are computed
up front, then one INSERT writes the pages and one their own table."""

from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.utils import timezone

from wagtail.models import Page


def bulk_child_pages(parent: Page, model: type[Page], count: int, **fields) -> list[Page]:
    """`count` live pages of `model` under `parent`, each built with `fields` (a title and a
    slug are numbered when not given)."""
    parent.refresh_from_db()
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    depth = parent.depth + 1
    pages = []
    for number in range(parent.numchild + 1, parent.numchild + count + 1):
        slug = f"{model._meta.model_name}-{parent.pk}-{number}"
        title = fields.get("title", f"{model._meta.verbose_name} {number}")
        pages.append(
            model(
                **{
                    "slug": slug,
                    "draft_title": title,
                    "live": True,
                    "first_published_at": now,
                    "last_published_at": now,
                    **fields,
                    "title": title,
                    "path": Page._get_path(parent.path, depth, number),
                    "depth": depth,
                    "numchild": 0,
                    "url_path": f"{parent.url_path}{slug}/",
                    "content_type": content_type,
                    "locale_id": parent.locale_id,
                }
            )
        )
    page_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    rows = Page.objects.bulk_create(
        Page(**{field.attname: getattr(page, field.attname) for field in page_fields})
        for page in pages
    )
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    model._base_manager._insert(
        pages, fields=model._meta.local_concrete_fields, using=router.db_for_write(model)
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    return pages
