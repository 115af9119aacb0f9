from core.text import search_key


class ToneInsensitiveSearchMixin:
    """Admin search that ignores tone marks and đ/d: the term is turned into the same search key
    the model stores, so 'bu gia map' finds 'Bù Gia Mập'."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))
