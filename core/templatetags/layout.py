"""`{% per_language %}…{% end_per_language %}`: a piece of the layout that is the same for every
user, rendered once per process and language (issue 18, throughput per core).

The top bar's links are the same on every page for everyone: seven `{% url %}` reversals and
their translations, a millisecond of CPU on every page. Inside the tag go only things that
depend on the active language and the URL configuration — links and their labels, never
the user, the request, a form's token or anything from the database: what is inside is
rendered for the first request of each language and then repeated as it is."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()


class PerLanguageNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        # On the node: it lives as long as its compiled template (the cached loader's).
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        key = (get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def per_language(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("per_language takes no arguments")
    nodelist = parser.parse(("end_per_language",))
    parser.delete_first_token()
    return PerLanguageNode(nodelist)
