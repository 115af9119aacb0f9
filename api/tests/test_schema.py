"""The OpenAPI schema validates under drf-spectacular's own check and lists every endpoint;
the documentation page loads from our own files only (strict CSP, no inline code)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.utils.regex_helper import normalize

from config.tests.urlmap import routes

pytestmark = pytest.mark.django_db

# Served by the API but not part of the interface it describes.
NOT_DESCRIBED = {"api:schema", "api:docs"}


def schema(tmp_path) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: the command
    fails on any warning or on a schema that is not valid OpenAPI 3."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def test_the_schema_validates_and_lists_every_endpoint(tmp_path):
    document = schema(tmp_path)
    described = set(document["paths"])
    served = set()
    for route in routes():
        if route.name.startswith("api:") and route.name not in NOT_DESCRIBED:
            template, params = normalize(route.regex)[0]
            served.add("/" + template % dict.fromkeys(params, "{id}"))
    assert served == described
    assert len(described) == 15
    assert document["paths"]["/api/v1/progress-updates/"]["post"]
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert set(document["components"]["schemas"]["ProgressStatusEnum"]["enum"]) == {
        "not_started", "in_progress", "done", "delayed", "cancelled"
    }  # fmt: skip


def test_the_schema_is_served_to_anyone():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/activities/" in response.content


def test_the_docs_page_loads_with_no_inline_code_and_its_script_is_ours():
    client = Client()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    assert all('src="/' in attributes and not body.strip() for attributes, body in scripts)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "Content-Security-Policy" in response
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    init = client.get("/api/v1/docs/?script=")
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in init.content
    assert finders.find("api/swagger.css")
