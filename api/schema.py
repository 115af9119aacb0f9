"""How the OpenAPI schema describes our token authentication (drf-spectacular finds this
extension when the module is imported: api/urls.py imports it, so that the schema views,
which only exist through the URLconf, always have it, and commands that load no URLs do not
pay for drf-spectacular at start-up)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (hl_…), created at /tai-khoan/api-token/.",
        }
