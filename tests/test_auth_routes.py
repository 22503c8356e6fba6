"""The sign-in and sign-out routes (pages/common/auth_routes.py) as a browser calls them: the HttpOnly cookie,
the way back to the page asked for (never another site), refusals by code, and sign-out ending the token."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from data_layer import auth
from pages.common import auth_routes
from tests.conftest import PASSWORD


def call(handler, form: dict | None = None, headers: dict | None = None, cookie: str = ""):
    body = urlencode(form or {}).encode()
    raw = [(b"content-type", b"application/x-www-form-urlencoded"), (b"host", b"dpf.lan:8501")]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    if cookie:
        raw.append((b"cookie", f"{auth.COOKIE}={cookie}".encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": raw,
        "query_string": b"",
        "scheme": "http",
        "server": ("dpf.lan", 8501),
    }

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    return asyncio.run(handler(Request(scope, receive)))


@pytest.fixture
def store(staff, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", staff)
    return staff


def test_a_right_password_sets_an_http_only_cookie_and_goes_back(store):
    response = call(auth_routes.sign_in, {"username": "zhangsan", "password": PASSWORD, "next": "/subsidies?year=2023"})
    assert response.status_code == 303 and response.headers["location"] == "/subsidies?year=2023"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert auth.signed_in(store, token).actor.username == "zhangsan"
    signed_out = call(auth_routes.sign_out, cookie=token)
    assert signed_out.status_code == 303 and auth.signed_in(store, token) is None


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "\\\\evil", "javascript:alert(1)"])
def test_the_way_back_never_leads_to_another_site(store, target):
    response = call(auth_routes.sign_in, {"username": "zhangsan", "password": PASSWORD, "next": target})
    assert response.headers["location"] == "/"


def test_a_wrong_password_goes_back_to_the_form_with_a_code_and_no_cookie(store):
    response = call(auth_routes.sign_in, {"username": "zhangsan", "password": "nope", "next": "/overview"})
    assert response.headers["location"] == "/signin?error=wrong&next=/overview"
    assert "set-cookie" not in response.headers
    assert auth_routes.REFUSALS["wrong"] == auth.WRONG


def test_a_sign_in_posted_from_another_site_is_refused(store):
    response = call(
        auth_routes.sign_in, {"username": "zhangsan", "password": PASSWORD}, headers={"origin": "http://evil.example"}
    )
    assert response.status_code == 403 and "set-cookie" not in response.headers


def test_a_store_that_cannot_be_written_sends_back_to_the_form_with_a_message(store):
    from tests.test_faults import read_only

    read_only(store)
    response = call(auth_routes.sign_in, {"username": "zhangsan", "password": PASSWORD, "next": "/overview"})
    assert response.headers["location"] == "/signin?error=store&next=/overview"
    assert "set-cookie" not in response.headers and "不能写入" in auth_routes.REFUSALS["store"]
