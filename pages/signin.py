"""登录: a plain HTML form that posts to the app's own sign-in route (pages/common/auth_routes.py), which
sets the HttpOnly cookie; Streamlit widgets cannot post a form, and no script may hold the token."""

from __future__ import annotations

from html import escape

import streamlit as st

from pages.common.auth_routes import REFUSALS, safe_next

FORM = """
<form method="post" action="/auth/login" class="signin" autocomplete="on">
  <input type="hidden" name="next" value="{next}">
  <label>用户名<input name="username" autocomplete="username" maxlength="40" required autofocus></label>
  <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">登录</button>
</form>
<style>
.signin {{display: flex; flex-direction: column; gap: 1rem; max-width: 26rem}}
.signin label {{display: flex; flex-direction: column; gap: .35rem; font-size: 1.05rem}}
.signin input {{font-size: 1.1rem; padding: .55rem .7rem; border: 1px solid #9ca3af; border-radius: .4rem}}
.signin button {{font-size: 1.1rem; padding: .6rem; background: #1d4ed8; color: #fff; border: 0; border-radius: .4rem}}
</style>
"""


def render(next_path: str | None = None, reason: str = "") -> None:
    """The form; after signing in the browser goes back to ``next_path`` (a deep link keeps its filter)."""
    target = safe_next(next_path or st.query_params.get("next") or "/")
    error = REFUSALS.get(st.query_params.get("error", ""))
    if error:
        st.error(error, icon=":material/error:")
    elif reason:
        st.info(reason, icon=":material/lock:")
    st.html(FORM.format(next=escape(target, quote=True)))
    st.caption("登录后，本浏览器在一个工作日内保持登录；在公用电脑上用完请点右上角“退出”。")
