"""The reviewers' search page: applications by company, brand, trademark, registration or
reference number, with filters; an identifier naming one application opens it."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from reviews import search
from reviews.forms import SearchForm
from reviews.views.access import reviewer_required
from sellers.actors import Actor


@require_GET
@reviewer_required
def search_page(request, actor: Actor):
    form = SearchForm(request.GET)
    context = {"form": form, "page": None}
    if form.is_valid():
        text, filters = form.cleaned_data["q"], form.filters()
        page_number = request.GET.get("page")
        if not page_number:
            only = search.application_only_match(actor=actor, text=text, filters=filters)
            if only is not None:
                return redirect("reviews:workspace", pk=only)
        page = search.application_search_page(
            actor=actor, text=text, filters=filters, page_number=page_number
        )
        # The form's values without the page, for the pager's links.
        query = request.GET.copy()
        query.pop("page", None)
        context |= {"page": page, "text": text, "query": query.urlencode()}
    return render(request, "reviews/search.html", context)
