from django import template

register = template.Library()


@register.simple_tag
def reading_figures(doc, first_page: str = "") -> list:
    """The page pictures of a document's reading panel, each with the fields read on it
    (``DocumentCheck.figures``): a template cannot pass the first page's picture itself."""
    return doc.figures(first_page)
