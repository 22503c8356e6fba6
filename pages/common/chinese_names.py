"""Streamlit's own English, in Chinese: the words it draws (a dropdown's "No results") and the names a screen
reader reads ("Close" on a toast, "Open" on a select, "Increment" on a number field). Streamlit has no language
setting and hard-codes them in its frontend, so one small script in the frame sets them after they are drawn —
the one place where this happens; the CSS in frame.py handles the few that CSS can replace.
"""

from __future__ import annotations

import json

import streamlit as st

# text that Streamlit draws on screen
WORDS = {
    "No results": "没有匹配的选项",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Select all": "全选",
    "Skip to main content": "跳到主要内容",
}

# names and hints a screen reader reads, or a tooltip shows (aria-label, title, placeholder)
NAMES = {
    "Close": "关闭",
    "Open": "展开选项",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Clear": "清除",
    "Increment": "加一",
    "Decrement": "减一",
    "Choose date": "选择日期",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Select all": "全选",
    "Show/hide columns": "显示或隐藏列",
    "Download as CSV": "下载为 CSV 文件",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Help": "帮助",
    "App": "应用",
    "App pages": "页面导航",
    "Dismiss": "关闭",
    "Notifications": "通知",
    "file upload": "选择文件",
    "Link to heading": "标题链接",
    "Delete": "删除",
    "Remove": "移除",
    "Main menu": "主菜单",
    "Expand sidebar": "展开侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "YYYY/MM/DD": "年/月/日",
    "YYYY-MM-DD": "年-月-日",
}

# English before a name of ours: a date field's parts (“year, 日期”), a chosen file's remove button
PREFIXES = {"year, ": "年，", "month, ": "月，", "day, ": "日，", "Remove ": "移除 "}

# elements whose own words frame.py's CSS hides (drawn in Chinese with ::after): their name for a screen reader
LABELLED = {'[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]': "选择文件"}

# drawn for the eye only: a chart's SVG reads its labels and values apart; the text before it reads them together
HIDDEN = ['[data-testid="stPlotlyChart"]']

SCRIPT = """
(() => {
  document.documentElement.lang = 'zh-CN';
  if (window.__chineseNames) return;  // once per page: the observer sees every later change
  window.__chineseNames = true;
  const words = %s, names = %s, prefixes = %s, labelled = %s, hidden = %s;
  const attributes = ['aria-label', 'title', 'placeholder'];
  const named = (value) => {
    const v = value.trim();
    if (names[v]) return names[v];
    const p = Object.keys(prefixes).find((k) => v.startsWith(k));
    return p ? prefixes[p] + v.slice(p.length) : null;
  };
  const fix = (root) => {
    if (!root) return;
    if (root.nodeType === Node.TEXT_NODE) {
      const said = words[root.nodeValue.trim()];
      if (said) root.nodeValue = said;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    for (const selector of hidden) {
      for (const el of root.matches(selector) ? [root] : root.querySelectorAll(selector)) {
        if (el.getAttribute('aria-hidden') !== 'true') el.setAttribute('aria-hidden', 'true');
      }
    }
    for (const [selector, name] of Object.entries(labelled)) {
      for (const el of root.matches(selector) ? [root] : root.querySelectorAll(selector)) {
        if (el.getAttribute('aria-label') !== name) el.setAttribute('aria-label', name);
      }
    }
    for (const el of [root, ...root.querySelectorAll('[aria-label], [title], [placeholder]')]) {
      for (const a of attributes) {
        const said = el.hasAttribute(a) && named(el.getAttribute(a));
        if (said) el.setAttribute(a, said);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const said = words[node.nodeValue.trim()];
      if (said) node.nodeValue = said;
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'childList') change.addedNodes.forEach(fix);
      else fix(change.target);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: attributes});
  fix(document.body);
})();
"""


def chinese_names() -> None:
    """The script, in a container that takes no room (frame.py's CSS hides ``quiet-scripts``)."""
    script = SCRIPT % tuple(json.dumps(d, ensure_ascii=False) for d in (WORDS, NAMES, PREFIXES, LABELLED, HIDDEN))
    with st.container(key="quiet-scripts"):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
