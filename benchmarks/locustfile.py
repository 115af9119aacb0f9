"""Locust scenario for the load test (run by `benchmarks/load.py`, which prepares the
targets and starts gunicorn; see docs/benchmarks.md, "Load").

Each simulated user is a provincial manager (`lanhdao.<code>`, or the central `tw.lanhdao`) of
the national data set: they log in once, then browse like a person at work, 1–3 s between
clicks: dashboards (overview, their program's dashboard, the activity list), their yearly plan
pages (opening one task area of a folded plan) and activity pages, and now and then record a progress update (GET the form, POST it)."""

import json
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["HOPLUC_LOAD_TARGETS"], encoding="utf-8").read())
PASSWORD = TARGETS["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AREA_LINK = re.compile(r'href="\?noi_dung=(\d+)#')


def _only_loopback(host: str) -> None:
    if urlparse(host).hostname != "127.0.0.1":
        raise SystemExit(f"the load test only targets 127.0.0.1, not {host}")


class Manager(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        _only_loopback(self.host)
        self.me = random.choice(TARGETS["users"])
        page = self.client.get("/dang-nhap/", name="/dang-nhap/")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/dang-nhap/",
            {"username": self.me["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/dang-nhap/ (POST)",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.me['username']} failed: {response.status_code}")

    @task(3)
    def overview(self):
        self.client.get("/bao-cao/", name="/bao-cao/ (tổng quan)")

    @task(2)
    def program_dashboard(self):
        self.client.get(
            f"/bao-cao/chuong-trinh/{self.me['program']}/", name="/bao-cao/chuong-trinh/<id>/"
        )

    @task(1)
    def activity_list(self):
        self.client.get(
            f"/bao-cao/hoat-dong/?program={self.me['program']}", name="/bao-cao/hoat-dong/?program="
        )

    @task(3)
    def plan_page(self):
        url = f"/ke-hoach/{random.choice(self.me['plans'])}/"
        page = self.client.get(url, name="/ke-hoach/<id>/")
        # A large plan opens folded: the manager then opens one task area, as people do.
        areas = AREA_LINK.findall(page.text)
        if areas:
            # The link is an htmx one: the browser asks for that task area's section alone.
            area = random.choice(areas)
            self.client.get(
                f"{url}?noi_dung={area}",
                name="/ke-hoach/<id>/?noi_dung= (htmx)",
                headers={"HX-Request": "true", "HX-Target": f"area-{area}"},
            )

    @task(2)
    def activity_page(self):
        activity = random.choice(self.me["activities"])
        self.client.get(f"/hoat-dong/{activity}/", name="/hoat-dong/<id>/")

    @task(1)
    def record_progress(self):
        activity = random.choice(self.me["activities"])
        url = f"/hoat-dong/{activity}/tien-do/"
        form = self.client.get(url, name="/hoat-dong/<id>/tien-do/ (GET)")
        token = CSRF.search(form.text)
        if token is None:
            form.failure("no form")
            return
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token.group(1),
                "reported_on": TARGETS["today"],
                "status": "in_progress",
                "percent": str(random.randint(10, 90)),
                "actual_value": "",
                "budget_spent": "1.000.000",
                "note": "Kiểm thử tải: cập nhật tiến độ",
            },
            name="/hoat-dong/<id>/tien-do/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"progress not recorded ({response.status_code})")
