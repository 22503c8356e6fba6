"""The app's own HTTP routes beside Streamlit (``st.App`` in dashboard.py): sign in and sign out.

The sign-in form posts here; a right password sets an HttpOnly, SameSite cookie holding an opaque token
(the store keeps its hash) and goes back to the page asked for. No script ever sees the token.
"""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import quote, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from data_layer import auth
from data_layer.domain.errors import StoreUnavailable
from data_layer.infra import settings

# What the sign-in page says after a refusal (a code in the URL, never free text a link could forge).
REFUSALS = {
    "wrong": auth.WRONG,
    "empty": "请填写用户名和密码",
    "disabled": "这个账号已停用，请联系管理员",
    "wait": "失败次数太多，请稍后再试",
    "gone": "登录已失效，请重新登录",
    "store": "数据库现在不能写入，暂时无法登录。请稍后再试，或联系管理员。",
}


def _code(message: str) -> str:
    for code, words in REFUSALS.items():
        if message == words:
            return code
    return "wait" if "秒后再试" in message else "wrong"


def safe_next(target: object) -> str:
    """Back to a page of this app only (``/projects?year=2023``), never to another host."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _same_site(request: Request) -> bool:
    """A sign-in posted from another site's page is refused (the cookie is SameSite too)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    return origin is None or urlparse(origin).netloc == request.url.netloc


async def sign_in(request: Request):
    if not _same_site(request):
        return PlainTextResponse("请从本系统的登录页登录", status_code=403)
    form = await request.form()
    target = safe_next(form.get("next"))
    url = settings.database_url()
    try:
        address = request.client.host if request.client else ""
        token = await run_in_threadpool(auth.sign_in, url, form.get("username"), form.get("password"), address)
    except auth.SignInRefused as refused:
        return RedirectResponse(f"/signin?error={_code(refused.message)}&next={quote(target)}", status_code=303)
    except StoreUnavailable:  # a sign-in is a write (the token, the audit): read-only, busy or gone
        return RedirectResponse(f"/signin?error=store&next={quote(target)}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(auth.COOKIE, token, max_age=auth.SIGN_IN_HOURS * 3600, httponly=True, samesite="lax", path="/")
    return response


async def sign_out(request: Request):
    if not _same_site(request):
        return PlainTextResponse("请从本系统退出", status_code=403)
    with suppress(StoreUnavailable):  # the token cannot be ended now; the cookie still goes from this browser
        await run_in_threadpool(auth.sign_out, settings.database_url(), request.cookies.get(auth.COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response


ROUTES = [
    Route("/auth/login", sign_in, methods=["POST"]),
    Route("/auth/logout", sign_out, methods=["POST"]),
]
