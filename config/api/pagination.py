from rest_framework import exceptions, pagination

from config.web.lists import PAGE_SIZE, whole_number


class Pages(pagination.PageNumberPagination):
    """The pages' own parameter (?side=), and up to 100 rows a page with ?antal=."""

    page_size = PAGE_SIZE
    page_query_param = "side"
    page_size_query_param = "antal"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and not whole_number(value):
                raise exceptions.ValidationError({name: ["Skal være et helt tal fra 1 og op."]})
        return super().paginate_queryset(queryset, request, view)
