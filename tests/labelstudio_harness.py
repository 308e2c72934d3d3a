"""Harness that drives a REAL Label Studio 1.23.2 server and its REAL web UI (headless Chromium).

No pytest dependency; tests/test_labelstudio_server.py wraps it in fixtures.

Server side
    make_db_template(dir) -> sqlite path        (migrate once, ~20 s; start-up then ~3 s)
    start_server(data_dir, port, db_template=None) -> Server(base_url, token, process, ...)
    Server.stop()                               (SIGTERM/SIGKILL to the whole process group)
    create_user(server, email, password)        (second annotator, via `label-studio init`)
    create_project / validate_config / import_tasks / list_tasks / task_id_by_data_id /
    get_annotations / export (GET /export) / export_snapshot (POST /exports/ + download)

Browser side (Playwright sync API, chromium at /usr/bin/chromium)
    launch_browser() -> (playwright, context)   (fresh user-data dir; non-127.0.0.1 requests aborted)
    login, logout, open_task, wait_annotation_ready, create_new_annotation, ensure_own_annotation,
    click_label, draw_span, select_region, unselect_all, set_per_region_choice,
    fill_per_region_textarea, set_document_choice, fill_document_textarea,
    draw_relation, set_relation_label, toggle_relation_direction, relations_info, regions_info,
    current_result, rendered_text, submit, skip, screenshot

Offsets: LS 1.23 stores Text-region start/end in Unicode CODE POINTS (= Python str indices), verified
with flags / ZWJ emoji / combining marks. The DOM (JS) works in UTF-16 code units, so the mouse helper
converts code points -> UTF-16 (py_to_js_offset) only to locate glyphs; "\n" is rendered as <br>.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# The server runs from its own venv (it pins ~150 packages that clash with ours); .ci/run makes
# it at .venv-labelstudio in the repository, NEWSCORPUS_LABEL_STUDIO_VENV points elsewhere.
LS_VENV = Path(
    os.environ.get(
        "NEWSCORPUS_LABEL_STUDIO_VENV", Path(__file__).resolve().parent.parent / ".venv-labelstudio"
    )
)
LS_BIN = LS_VENV / "bin" / "label-studio"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Label Studio's reserved networks, loopback left out (see _ls_env).
BANNED_BUT_LOOPBACK = ",".join(
    (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "255.255.255.255/32", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    )
)  # fmt: skip

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Adm1n-Passw0rd!"


# --------------------------------------------------------------------------- offsets
def py_to_js_offset(text: str, cp: int) -> int:
    """Python code-point offset -> UTF-16 code-unit offset (what LS stores)."""
    return len(text[:cp].encode("utf-16-le")) // 2


def js_to_py_offset(text: str, cu: int) -> int:
    """UTF-16 code-unit offset -> Python code-point offset."""
    n = 0
    for i, ch in enumerate(text):
        if n >= cu:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


# --------------------------------------------------------------------------- server
def _ls_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            # no outbound calls: pypi version check, tele.labelstud.io, sentry
            "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
            "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "false",
            # The tests' ML backend (`newscorpus serve-suggestions`) listens on 127.0.0.1 too.
            # Label Studio 1.23 checks the backend's URL and, when the backend is added, its
            # /webhook URL against a list of reserved networks that includes loopback, so the
            # default list is replaced by the same list without 127.0.0.0/8.
            "ML_BLOCK_LOCAL_IP": "false",
            "USE_DEFAULT_BANNED_SUBNETS": "false",
            "USER_ADDITIONAL_BANNED_SUBNETS": BANNED_BUT_LOOPBACK,
            "PYTHONUNBUFFERED": "1",
            # predictable, keep the dev server quiet
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": env.get("SECRET_KEY", "ls-harness-" + "x" * 40),
        }
    )
    # the LS venv must win over whatever venv runs the harness
    env["PATH"] = f"{LS_VENV / 'bin'}:{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@dataclass
class Server:
    base_url: str
    token: str
    process: subprocess.Popen
    data_dir: Path
    port: int
    email: str = ADMIN_EMAIL
    password: str = ADMIN_PASSWORD
    startup_seconds: float = 0.0
    log_path: Path | None = None
    _log_fh: object = field(default=None, repr=False)

    # -- HTTP helpers (token auth) -------------------------------------
    def request(self, method: str, path: str, body=None, raw: bool = False, timeout: float = 60):
        url = self.base_url + path
        data = None
        headers = {"Authorization": f"Token {self.token}"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                payload = r.read()
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path} -> {e.code}: {e.read()[:2000]!r}") from None
        if raw:
            return payload
        return json.loads(payload) if payload else None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def stop(self, timeout: float = 10):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        if self._log_fh:
            self._log_fh.close()
            self._log_fh = None


def make_db_template(template_dir) -> Path:
    """Run the ~20 s of Django migrations once into template_dir (via `label-studio version`,
    which migrates before doing anything else) and return the path of the migrated, user-less
    label_studio.sqlite3. Pass it to start_server(..., db_template=...) to skip migrations."""
    template_dir = Path(template_dir).absolute()
    db = template_dir / "label_studio.sqlite3"
    if not db.exists():
        template_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(LS_BIN), "version", "--data-dir", str(template_dir)],
            env=_ls_env(template_dir),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            cwd=str(template_dir),
            timeout=300,
        )
    return db


def start_server(
    data_dir,
    port: int,
    timeout: float = 120,
    email: str = ADMIN_EMAIL,
    password: str = ADMIN_PASSWORD,
    db_template=None,
) -> Server:
    """Start `label-studio start` on 127.0.0.1:port with a private data dir.

    The admin user and its API token are created at start-up, non-interactively:
    `--username/--password` create the superuser, `--user-token` sets its legacy DRF token
    and `--enable-legacy-api-token` creates the organization with legacy_api_tokens_enabled=True,
    so `Authorization: Token <token>` works immediately (no JWT/settings dance needed).
    """
    data_dir = Path(data_dir).absolute()
    data_dir.mkdir(parents=True, exist_ok=True)
    if db_template and not (data_dir / "label_studio.sqlite3").exists():
        import shutil

        shutil.copyfile(db_template, data_dir / "label_studio.sqlite3")
    token = secrets.token_hex(20)
    log_path = data_dir / "label-studio.log"
    log_fh = open(log_path, "ab")  # noqa: SIM115 (closed by Server.stop)
    cmd = [
        str(LS_BIN),
        "start",
        "--no-browser",
        "--data-dir",
        str(data_dir),
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
        "--username",
        email,
        "--password",
        password,
        "--user-token",
        token,
        "--enable-legacy-api-token",
        "--log-level",
        "WARNING",
    ]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        env=_ls_env(data_dir),
        stdout=log_fh,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        cwd=str(data_dir),
    )
    base = f"http://127.0.0.1:{port}"
    srv = Server(
        base_url=base,
        token=token,
        process=proc,
        data_dir=data_dir,
        port=port,
        email=email,
        password=password,
        log_path=log_path,
        _log_fh=log_fh,
    )
    deadline = t0 + timeout
    last_err = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log_fh.flush()
            raise RuntimeError(
                f"label-studio exited rc={proc.returncode}; log:\n{log_path.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as r:
                if r.status == 200:
                    # the health endpoint answers before the user exists? check the token too.
                    srv.get("/api/current-user/whoami")
                    srv.startup_seconds = time.monotonic() - t0
                    return srv
        except Exception as e:  # noqa: BLE001
            last_err = e
        time.sleep(0.25)
    srv.stop()
    raise TimeoutError(f"label-studio not healthy after {timeout}s: {last_err}; log {log_path}")


def create_user(server: Server, email: str, password: str) -> int:
    """Create another (superuser) account in the same organization via `label-studio init`.

    OSS LS has no API to create a user *with a password*; `init --username --password`
    runs the same _create_user() as `start`, adding the user to the first organization.
    Works against the live SQLite DB of the running server (~3 s).
    """
    cmd = [
        str(LS_BIN),
        "init",
        "--data-dir",
        str(server.data_dir),
        "--username",
        email,
        "--password",
        password,
        "--quiet",
    ]
    subprocess.run(
        cmd,
        env=_ls_env(server.data_dir),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=str(server.data_dir),
        timeout=120,
    )
    users = server.get("/api/users/")
    for u in users:
        if u["email"] == email:
            return u["id"]
    raise RuntimeError(f"user {email} not found after init")


def create_project(server: Server, title: str, config_xml: str, **extra) -> int:
    body = {"title": title, "label_config": config_xml, "show_skip_button": True}
    body.update(extra)
    return server.post("/api/projects/", body)["id"]


def validate_config(server: Server, config_xml: str):
    return server.post("/api/projects/validate/", {"label_config": config_xml})


def import_tasks(server: Server, project_id: int, tasks: list) -> dict:
    """POST /api/projects/{id}/import (JSON list body; predictions inline per task).

    Returns the import response. Task ids are assigned by LS; use list_tasks() to map
    our data.id -> LS task id."""
    return server.post(f"/api/projects/{project_id}/import?commit_to_project=true", tasks)


def list_tasks(server: Server, project_id: int) -> list:
    out, page = [], 1
    while True:
        r = server.get(f"/api/tasks/?project={project_id}&page={page}&page_size=100")
        out.extend(r["tasks"])
        if len(out) >= r["total"] or not r["tasks"]:
            return out
        page += 1


def task_id_by_data_id(server: Server, project_id: int) -> dict:
    return {t["data"].get("id"): t["id"] for t in list_tasks(server, project_id)}


def get_annotations(server: Server, task_id: int) -> list:
    return server.get(f"/api/tasks/{task_id}/annotations/")


def export(server: Server, project_id: int, fmt: str = "JSON", download_all_tasks: bool = False):
    """GET /api/projects/{id}/export?exportType=FMT  (synchronous, returns the file body).

    fmt: "JSON" or "JSON_MIN" (also CSV, TSV, CONLL2003 ... as bytes)."""
    q = urllib.parse.urlencode(
        {"exportType": fmt, "download_all_tasks": str(download_all_tasks).lower()}
    )
    raw = server.get(f"/api/projects/{project_id}/export?{q}", raw=True, timeout=120)
    if fmt in ("JSON", "JSON_MIN"):
        return json.loads(raw)
    return raw


def export_snapshot(
    server: Server,
    project_id: int,
    fmt: str = "JSON",
    completed_by_object: bool = True,
    timeout: float = 60,
):
    """Snapshot export (the "Export" dialog path): POST /api/projects/{id}/exports/ with
    serialization_options, poll GET /api/projects/{id}/exports/{pk} until status=completed, then
    GET /api/projects/{id}/exports/{pk}/download?exportType=FMT.

    With serialization_options.annotations__completed_by.only_id=false, `completed_by` is an object
    {id, email, first_name, last_name} instead of the bare user id of the plain /export endpoint."""
    body = {
        "title": "harness",
        "serialization_options": {
            "annotations__completed_by": {"only_id": not completed_by_object}
        },
    }
    ex = server.post(f"/api/projects/{project_id}/exports/", body)
    deadline = time.monotonic() + timeout
    while ex.get("status") != "completed":
        if ex.get("status") == "failed" or time.monotonic() > deadline:
            raise RuntimeError(f"export snapshot {ex}")
        time.sleep(0.2)
        ex = server.get(f"/api/projects/{project_id}/exports/{ex['id']}")
    raw = server.get(
        f"/api/projects/{project_id}/exports/{ex['id']}/download?exportType={fmt}", raw=True
    )
    if fmt in ("JSON", "JSON_MIN"):
        return json.loads(raw)
    return raw


# --------------------------------------------------------------------------- browser
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_browser(user_data_dir=None, headless: bool = True):
    """Returns (playwright, context). A *persistent* context gives a fresh user-data dir."""
    import tempfile

    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    udd = user_data_dir or tempfile.mkdtemp(prefix="ls-chromium-")
    ctx = pw.chromium.launch_persistent_context(
        udd,
        executable_path=CHROMIUM,
        headless=headless,
        args=CHROMIUM_ARGS,
        viewport={"width": 1600, "height": 1000},
        locale="en-US",
    )
    _install_routing(ctx)
    return pw, ctx


# Same-origin endpoints that make the LS *server* call out to the internet; abort them in the browser.
#   /heidi-tips/ -> core.views.heidi_tips fetches raw.githubusercontent.com (returns 404 offline)
BLOCKED_LOCAL_PATHS = ("/heidi-tips",)


def _install_routing(ctx):
    """Abort every request that is not to 127.0.0.1 (and the few local ones that make LS call out).
    Aborted URLs are collected in ctx.aborted_urls for assertions/debugging."""
    ctx.aborted_urls = []

    def _route(route):
        url = route.request.url
        p = urllib.parse.urlparse(url)
        if url.startswith(("data:", "blob:")) or (
            p.hostname == "127.0.0.1" and not p.path.startswith(BLOCKED_LOCAL_PATHS)
        ):
            return route.continue_()
        ctx.aborted_urls.append(url)
        return route.abort()

    ctx.route("**/*", _route)


def login(page, server: Server, email: str | None = None, password: str | None = None):
    """Log in as `email` (the admin by default), whoever was logged in before.

    The session cookie is dropped first, so the login form is always served; a form that does
    not appear (a page still busy with the previous task) is asked for again, up to 3 times.
    """
    email = email or server.email
    password = password or server.password
    last = ""
    for _attempt in range(3):
        page.context.clear_cookies()
        page.goto(server.base_url + "/user/login/", wait_until="load")
        try:
            page.wait_for_selector("input[name=email]", state="visible", timeout=15000)
        except Exception as err:  # noqa: BLE001 (playwright's TimeoutError)
            last = f"{page.url}: {err}"
            continue
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("button[type=submit], input[type=submit]")
        if "/user/login" in page.url:
            last = "login refused: " + page.inner_text("body")[:500]
            continue
        # Under load the server can still answer for the previous session: make sure that
        # what the page does from now on is done as `email` before going on.
        who = page.evaluate(
            "() => fetch('/api/current-user/whoami', {credentials: 'same-origin'})"
            ".then(r => r.ok ? r.json() : {}).then(u => u.email || '')"
        )
        if who == email:
            return
        last = f"the session is {who or 'nobody'}'s, not {email}'s"
    raise RuntimeError(f"could not log in as {email}: {last}")


def logout(page, server: Server):
    """Leave the session: the cookies go (Django's logout view no longer answers GET)."""
    page.context.clear_cookies()


LSF_ROOT = ".lsf-main-view, .lsf-editor, [class*='lsf-main-view']"


def open_task(page, server: Server, project_id: int, task_id: int, timeout: float = 60000):
    page.goto(
        f"{server.base_url}/projects/{project_id}/data?task={task_id}",
        wait_until="domcontentloaded",
    )
    wait_text_ready(page, timeout=timeout)


def wait_annotation_ready(page, min_regions: int = 0, timeout: float = 30000):
    """Wait until LSF has an editable annotation selected (created from the prediction if any)."""
    page.wait_for_function(
        "(n) => window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected && "
        "window.Htx.annotationStore.selected.regionStore.regions.length >= n",
        arg=min_regions,
        timeout=timeout,
    )


def open_task_ready(
    page,
    server: Server,
    project_id: int,
    task_id: int,
    min_regions: int = 0,
    timeout: float = 60000,
    attempts: int = 2,
):
    """open_task + wait_annotation_ready, opening the task again if the editor did not come up
    (a busy machine can leave the first load without an annotation)."""
    for attempt in range(attempts):
        open_task(page, server, project_id, task_id)
        try:
            wait_annotation_ready(page, min_regions=min_regions, timeout=timeout)
            return
        except Exception:  # noqa: BLE001 (playwright's TimeoutError)
            if attempt == attempts - 1:
                raise


def create_new_annotation(page):
    """Click the '+' tab button (aria-label "Create an annotation") so the logged-in user gets a
    fresh, empty annotation. Needed when the task already has someone else's annotation: LSF then
    selects that one (and superusers can even edit it)."""
    n = page.evaluate("() => window.Htx.annotationStore.annotations.length")
    page.locator("button[aria-label='Create an annotation']").first.click()
    page.wait_for_function(
        "(n) => { const s = window.Htx.annotationStore; return s.annotations.length > n && "
        "s.selected && !s.selected.pk }",
        arg=n,
        timeout=10000,
    )


def ensure_own_annotation(page, email: str):
    """Select/create an annotation owned by `email` (unsaved new one if none)."""
    st = page.evaluate("""() => { const s = window.Htx.annotationStore; const a = s.selected;
        return a ? {pk: a.pk, user: a.user && a.user.email} : null }""")
    if st is None or (st["pk"] and st["user"] != email):
        create_new_annotation(page)


def text_root(page):
    """Locator of the element holding the rendered task text (Text tag)."""
    return page.locator(".lsf-htx-richtext").first


def wait_text_ready(page, timeout: float = 60000):
    page.wait_for_selector(".lsf-htx-richtext", state="visible", timeout=timeout)
    # text nodes present
    page.wait_for_function(
        "() => { const r = document.querySelector('.lsf-htx-richtext'); return r && r.textContent.length > 0 }",
        timeout=timeout,
    )


_JS_RANGE_RECTS = r"""
([start, end]) => {
  // start/end: UTF-16 offsets into the task text as rendered by the Text tag.
  // LS renders each "\n" as a <br> between <span class="lsf-richtext__line"> elements, so a BR
  // counts as one character; region highlights are nested <span class="htx-highlight"> (no text added).
  const root = document.querySelector('.lsf-htx-richtext');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, null);
  let pos = 0, node, sNode = null, sOff = 0, eNode = null, eOff = 0;
  while ((node = walker.nextNode())) {
    if (node.nodeType === 1) { if (node.tagName === 'BR') pos += 1; continue; }
    const el = node.parentElement;
    if (el && el.closest('[data-skip-node]')) continue;
    const len = node.nodeValue.length;
    if (sNode === null && start < pos + len) { sNode = node; sOff = start - pos; }
    if (sNode !== null && eNode === null && end <= pos + len) { eNode = node; eOff = end - pos; }
    pos += len;
    if (sNode && eNode) break;
  }
  if (!sNode || !eNode) return {error: 'offsets out of range', pos};
  const full = document.createRange(); full.setStart(sNode, sOff); full.setEnd(eNode, eOff);
  // scroll the nearest scrollable ancestor so the range is in the middle of the viewport
  let sc = root.parentElement;
  while (sc && !(sc.scrollHeight > sc.clientHeight + 2 && /(auto|scroll)/.test(getComputedStyle(sc).overflowY))) sc = sc.parentElement;
  const br = full.getBoundingClientRect();
  if (sc) {
    const cr = sc.getBoundingClientRect();
    if (br.top < cr.top + 20 || br.bottom > cr.bottom - 20) sc.scrollTop += (br.top - cr.top) - sc.clientHeight / 3;
  } else if (br.top < 0 || br.bottom > window.innerHeight) {
    window.scrollBy(0, br.top - window.innerHeight / 3);
  }
  const mk = (n, a, b) => { const r = document.createRange(); r.setStart(n, a); r.setEnd(n, b); return r; };
  const first = mk(sNode, sOff, Math.min(sOff + 1, sNode.nodeValue.length)).getClientRects()[0];
  const lr = mk(eNode, Math.max(eOff - 1, 0), eOff).getClientRects();
  const last = lr[lr.length - 1];
  return {first: {x: first.left, y: first.top, w: first.width, h: first.height},
          last: {x: last.left, y: last.top, w: last.width, h: last.height},
          vh: window.innerHeight, text: full.toString()};
}
"""


def rendered_text(page) -> str:
    """The task text as the Text tag holds it (text nodes + one "\\n" per <br>)."""
    return page.evaluate("""() => { const root = document.querySelector('.lsf-htx-richtext');
      const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, null);
      let out = '', n; while ((n = w.nextNode())) { if (n.nodeType === 1) { if (n.tagName === 'BR') out += '\\n'; }
      else if (!(n.parentElement && n.parentElement.closest('[data-skip-node]'))) out += n.nodeValue; } return out; }""")


def _span_boxes(page, js_start: int, js_end: int):
    res = page.evaluate(_JS_RANGE_RECTS, [js_start, js_end])
    if "error" in res:
        raise ValueError(f"range [{js_start},{js_end}) not in text: {res}")
    return res


def click_label(page, label_value: str, control_name: str | None = None):
    """Make `label_value` the (only) active label button of the Labels tags.

    Buttons are `.lsf-label` with text in `.lsf-label__text`; active ones get `.lsf-label_selected`.
    Clicking an active label de-activates it, and clicking a label while a region is selected
    RE-LABELS that region, so: unselect regions first, then click only if not active."""
    unselect_all_safe(page)
    btn = page.locator(".lsf-label", has=page.locator(".lsf-label__text", has_text=label_value))
    btn = (
        btn.filter(has=page.locator(f".lsf-label__text >> text='{label_value}'"))
        if btn.count() > 1
        else btn
    )
    if btn.count() != 1:
        # exact match on the text span
        btn = page.locator(".lsf-label").filter(has=page.get_by_text(label_value, exact=True))
    btn = btn.first
    # deactivate any other active label
    for other in page.locator(".lsf-label.lsf-label_selected").all():
        if other.locator(".lsf-label__text").inner_text().strip() != label_value:
            other.click()
    if "lsf-label_selected" not in (btn.get_attribute("class") or ""):
        btn.click()
    page.wait_for_function(
        "(v) => [...document.querySelectorAll('.lsf-label.lsf-label_selected .lsf-label__text')]"
        ".some(e => e.textContent.trim() === v)",
        arg=label_value,
        timeout=5000,
    )


def draw_span(
    page, label_value: str, start: int, end: int, text: str | None = None, unit: str = "cp"
):
    """Select exactly [start,end) of the task text with the real mouse after clicking the label.

    unit="cp": start/end are Python code points of `text` (required); converted to UTF-16.
    unit="js": start/end already UTF-16 offsets.
    Returns the new region's id (cleanId); raises if LS stored a different range."""
    if unit == "cp":
        if text is None:
            text = rendered_text(page)
        js_start, js_end = py_to_js_offset(text, start), py_to_js_offset(text, end)
    else:
        js_start, js_end = start, end
    before = region_count(page)
    click_label(page, label_value)
    text_root(page).scroll_into_view_if_needed()
    b = _span_boxes(page, js_start, js_end)
    first, last = b["first"], b["last"]
    y1 = first["y"] + first["h"] / 2
    y2 = last["y"] + last["h"] / 2
    # start a hair inside the first glyph's left edge, end at the last glyph's right edge
    x1 = first["x"] + min(1.0, first["w"] / 4)
    x2 = last["x"] + last["w"] - min(0.5, last["w"] / 4)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=3)
    page.mouse.move(x2, y2, steps=3)
    page.mouse.up()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.htx-highlight').length > 0 && "
        "window.Htx && window.Htx.annotationStore.selected.regionStore.regions.length > n",
        arg=before,
        timeout=5000,
    )
    new = page.evaluate("""() => { const rs = window.Htx.annotationStore.selected.regionStore.regions;
        const r = rs[rs.length - 1]; return {id: r.cleanId, start: r.startOffset, end: r.endOffset, text: r.text} }""")
    if unit == "cp" and (new["start"], new["end"]) != (start, end):
        raise AssertionError(f"drew {new}, wanted [{start},{end}) {text[start:end]!r}")
    return new["id"]


def region_count(page) -> int:
    return page.evaluate(
        "() => (window.Htx && window.Htx.annotationStore.selected) ? "
        "window.Htx.annotationStore.selected.regionStore.regions.length : 0"
    )


def current_result(page) -> list:
    """The selected annotation serialized exactly as LSF would send it (for assertions)."""
    return page.evaluate("() => window.Htx.annotationStore.selected.serializeAnnotation()")


def regions_info(page) -> list:
    return page.evaluate("""() => window.Htx.annotationStore.selected.regionStore.regions.map(r => ({
        id: r.id, pid: r.pid, cleanId: r.cleanId, start: r.startOffset, end: r.endOffset, text: r.text,
        labels: r.labeling ? r.labeling.value.labels || null : null, type: r.type,
        from_name: r.labeling ? r.labeling.from_name.name : null }))""")


def _region_index(page, region_id: str) -> int:
    idx = page.evaluate(
        """(rid) => window.Htx.annotationStore.selected.regionStore.regions
        .findIndex(r => r.cleanId === rid || r.id === rid || r.pid === rid)""",
        region_id,
    )
    if idx < 0:
        raise ValueError(f"no region {region_id}")
    return idx


def _region_span(page, index: int, last: bool = True):
    page.evaluate(
        "(i) => { const r = window.Htx.annotationStore.selected.regionStore.regions[i]; "
        "r._spans && r._spans[0] && r._spans[0].scrollIntoView({block:'center'}); }",
        index,
    )
    h = page.evaluate_handle(
        "([i, last]) => { const r = window.Htx.annotationStore.selected.regionStore.regions[i];"
        " return r._spans ? r._spans[last ? r._spans.length-1 : 0] : null }",
        [index, last],
    )
    el = h.as_element()
    if el is None:
        raise RuntimeError(f"region #{index} has no rendered span")
    return el


def selected_region_id(page):
    return page.evaluate(
        "() => { const h = window.Htx.annotationStore.selected.highlightedNode; "
        "return h ? h.cleanId : null }"
    )


def select_region(
    page, region_id: str | None = None, index: int | None = None, region_text: str | None = None
):
    """Select a region by clicking its highlighted span in the text (real mouse click).

    region_id: our id (prediction ids are kept as region cleanId) or LS id; or index into regions.
    Clicking an already selected region would UNselect it, so that case is a no-op."""
    if region_id is not None:
        index = _region_index(page, region_id)
    if index is None:
        index = page.evaluate(
            "(t) => window.Htx.annotationStore.selected.regionStore.regions"
            ".findIndex(r => r.text === t)",
            region_text,
        )
        if index < 0:
            raise ValueError(f"no region with text {region_text!r}")
    target = page.evaluate(
        "(i) => window.Htx.annotationStore.selected.regionStore.regions[i].cleanId", index
    )
    if selected_region_id(page) == target:
        return target
    _region_span(page, index).click()
    page.wait_for_function(
        "(t) => { const h = window.Htx.annotationStore.selected.highlightedNode; "
        "return h && h.cleanId === t }",
        arg=target,
        timeout=5000,
    )
    return target


def unselect_all(page):
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => window.Htx.annotationStore.selected.highlightedNode == null", timeout=5000
    )


def set_per_region_choice(page, choice_value: str, region_id: str | None = None):
    """Click a per-region Choice. The per-region controls live in a View with
    visibleWhen="region-selected" and are only rendered while a matching region is selected."""
    if region_id:
        select_region(page, region_id=region_id)
    page.locator(".lsf-choice__item, .ant-checkbox-wrapper, label").locator("visible=true").filter(
        has_text=choice_value
    ).get_by_text(choice_value, exact=True).first.click()
    page.wait_for_function(
        "(v) => { const h = window.Htx.annotationStore.selected.highlightedNode; "
        "return JSON.stringify(window.Htx.annotationStore.selected.serializeAnnotation()"
        ".filter(r => r.id === h.cleanId && r.type === 'choices')).includes(JSON.stringify(v)) }",
        arg=choice_value,
        timeout=5000,
    )


def _fill_textarea(page, control_name: str, value: str, prefix_match: bool):
    inp = page.locator(f"textarea[name='{control_name}'], input[name='{control_name}']").locator(
        "visible=true"
    )
    if inp.count() == 0:
        # maxSubmissions reached: the value is shown as a text box with an "Edit Region" button
        # (<div data-testid=htx-textbox-content name="CONTROL:REGIONID">); edit replaces the value.
        box = (
            page.locator(f"[data-testid='htx-textbox-content'][name^='{control_name}:']")
            .locator("visible=true")
            .last
        )
        row = page.locator("[data-testid='textarea-region']").filter(has=box).last
        row.locator("[data-testid='htx-textbox-edit-button']").click()
        ed = (
            page.locator(f"[data-testid='htx-textbox-input'][name^='{control_name}:']")
            .locator("visible=true")
            .first
        )
        ed.fill(value)
        ed.press("Enter")
    else:
        ta = inp.last
        ta.click()
        ta.fill(value)
        ta.press("Enter")
    page.wait_for_function(
        "([n, v]) => window.Htx.annotationStore.selected.serializeAnnotation()"
        ".some(r => r.from_name === n && r.value && Array.isArray(r.value.text) && r.value.text.includes(v))",
        arg=[control_name, value],
        timeout=5000,
    )


def fill_per_region_textarea(page, control_name: str, value: str, region_id: str | None = None):
    """Type into the per-region TextArea (a one-line TextArea renders as <input name=CONTROL>) and
    press Enter, which commits the value. With maxSubmissions="1" and a value already present
    (e.g. from a prediction) the input is gone; the value is then edited via its Edit button."""
    if region_id:
        select_region(page, region_id=region_id)
    _fill_textarea(page, control_name, value, True)


def set_document_choice(page, choice_value: str):
    """Toggle a document-level Choice (checkbox) — no region must be selected."""
    unselect_all_safe(page)
    page.get_by_text(choice_value, exact=True).locator("visible=true").first.click()


def unselect_all_safe(page):
    try:
        if page.evaluate("() => window.Htx.annotationStore.selected.highlightedNode != null"):
            unselect_all(page)
    except Exception:  # noqa: BLE001
        pass


def fill_document_textarea(page, control_name: str, value: str):
    unselect_all_safe(page)
    _fill_textarea(page, control_name, value, False)


def relations_info(page) -> list:
    return page.evaluate("""() => window.Htx.annotationStore.selected.relationStore.relations.map(r => ({
        from: r.node1.cleanId, to: r.node2.cleanId, direction: r.direction,
        labels: r.labels ? [...r.labels] : [] }))""")


def _relation_count(page) -> int:
    return page.evaluate("() => window.Htx.annotationStore.selected.relationStore.relations.length")


def open_relations_tab(page):
    tab = page.locator(".lsf-panel-tabs__tab", has_text="Relations").locator("visible=true").first
    tab.click()
    page.locator(".lsf-relations__item").first.wait_for(state="visible", timeout=5000)


def open_regions_tab(page):
    page.locator(".lsf-panel-tabs__tab", has_text="Regions").locator("visible=true").first.click()


def draw_relation(
    page, from_region: str, to_region: str, label: str | None = None, via: str = "hotkey"
) -> int:
    """UI flow: click the `from` region's span (selects it), press Alt+R ("Create relation",
    LSF hotkey; via="button" clicks the Info panel's button[aria-label="Create Relation"]), then click
    the `to` region's span. Optional relation label via the Relations panel.
    Regions are given by id (cleanId) — prediction ids such as "m12" are kept as cleanId.
    Returns the index of the new relation."""
    n_before = _relation_count(page)
    select_region(page, region_id=from_region)
    if via == "hotkey":
        page.keyboard.press("Alt+r")
    else:  # the Info panel's "Create Relation" icon button
        page.locator("button[aria-label='Create Relation']").locator("visible=true").first.click()
    page.wait_for_function(
        "() => window.Htx.annotationStore.selected.isLinkingMode === true", timeout=5000
    )
    _region_span(page, _region_index(page, to_region), last=False).click()
    page.wait_for_function(
        "(n) => window.Htx.annotationStore.selected.relationStore.relations.length > n",
        arg=n_before,
        timeout=5000,
    )
    if label:
        set_relation_label(page, n_before, label)
    return n_before


def _relation_item(page, rel_index: int):
    open_relations_tab(page)
    item = page.locator(".lsf-relations__item").nth(rel_index)
    item.scroll_into_view_if_needed()
    item.hover()
    return item


def set_relation_label(page, rel_index: int, label: str):
    """Relations panel -> hover item -> 'Show Relation Labels' -> select trigger -> option."""
    item = _relation_item(page, rel_index)
    show = item.locator("button[aria-label='Show Relation Labels']")
    if show.count():
        show.click()
    # the meta row (.lsf-relation-meta) is rendered right after the item, inside the same wrapper
    wrapper = page.locator(".lsf-relations__section-content .lsf-relations > *").nth(rel_index)
    trig = wrapper.locator(".lsf-relation-meta [data-testid^='select-trigger']")
    if trig.count() == 0:
        trig = page.locator(".lsf-relation-meta [data-testid^='select-trigger']").nth(rel_index)
    trig.first.click()
    opt = page.locator(f"[data-testid='select-popup'] [data-testid='select-option-{label}']")
    opt.click()
    page.wait_for_function(
        "([i, l]) => { const r = window.Htx.annotationStore.selected.relationStore"
        ".relations[i]; return r && r.labels && r.labels.includes(l) }",
        arg=[rel_index, label],
        timeout=5000,
    )
    page.keyboard.press("Escape")  # close the popover
    page.locator("[data-testid='select-popup']").wait_for(state="hidden", timeout=5000)


def toggle_relation_direction(page, rel_index: int) -> str:
    """Click the direction icon of a relation: cycles right -> bi -> left -> right."""
    before = page.evaluate(
        "(i) => window.Htx.annotationStore.selected.relationStore.relations[i].direction", rel_index
    )
    item = _relation_item(page, rel_index)
    item.locator(".lsf-relations__direction").click()
    page.wait_for_function(
        "([i, d]) => window.Htx.annotationStore.selected.relationStore.relations[i]"
        ".direction !== d",
        arg=[rel_index, before],
        timeout=5000,
    )
    return page.evaluate(
        "(i) => window.Htx.annotationStore.selected.relationStore.relations[i].direction", rel_index
    )


def submit(page) -> dict:
    """Click Submit (or Update for an existing annotation); returns the saved annotation JSON."""
    btn = page.locator(
        "button[aria-label='submit'], button:has-text('Submit'), button:has-text('Update')"
    )
    btn = btn.locator("visible=true").first
    with page.expect_response(
        lambda r: "/annotations" in r.url and r.request.method in ("POST", "PATCH"), timeout=30000
    ) as resp:
        btn.click()
    r = resp.value
    if r.status >= 300:
        raise RuntimeError(f"submit failed {r.status}: {r.text()[:500]}")
    return r.json()


def skip(page) -> dict:
    """Click Skip (needs project show_skip_button=True); creates an annotation with was_cancelled=True."""
    btn = (
        page.locator("button[aria-label='skip-task'], button:has-text('Skip')")
        .locator("visible=true")
        .first
    )
    with page.expect_response(
        lambda r: "/annotations" in r.url and r.request.method == "POST", timeout=30000
    ) as resp:
        btn.click()
    r = resp.value
    if r.status >= 300:
        raise RuntimeError(f"skip failed {r.status}: {r.text()[:500]}")
    return r.json()


def screenshot(page, path, full_page: bool = False):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)


# --------------------------------------------------------------------------- ML backend
def connect_ml_backend(server: Server, project_id: int, url: str, title: str) -> dict:
    """POST /api/ml/: Label Studio checks /health and /setup before it saves the backend."""
    return server.post("/api/ml/", {"url": url, "project": project_id, "title": title})


def retrieve_predictions_ui(page, server: Server, project_id: int, timeout: float = 60000):
    """Data Manager: tick every task, "N Tasks" > Retrieve Predictions, OK; returns when
    Label Studio answered the action (it calls the ML backend's /predict before answering)."""
    page.goto(f"{server.base_url}/projects/{project_id}/data", wait_until="domcontentloaded")
    header = page.locator("input[type=checkbox][aria-label='Select all rows']").first
    header.wait_for(state="attached", timeout=timeout)
    header.locator("xpath=..").click()  # the box drawn over the input takes the click
    page.wait_for_function(  # its label becomes "Deselect all rows" once every row is ticked
        "() => { const e = document.querySelector(\"input[aria-label='Select all rows']\");"
        " return e === null || e.getAttribute('aria-checked') !== 'false' }",
        timeout=10000,
    )
    page.locator("button[aria-label='Tasks Actions']").locator("visible=true").first.click()
    item = page.locator(":text('Retrieve Predictions')").first
    item.wait_for(state="visible", timeout=10000)
    page.wait_for_timeout(500)  # the menu opens with an animation that swallows early clicks
    item.click()
    confirm = page.locator("[data-testid='dialog-ok-button']").locator("visible=true")
    with page.expect_response(
        lambda r: "/api/dm/actions" in r.url and r.request.method == "POST", timeout=timeout
    ) as resp:
        confirm.first.click()
    if resp.value.status >= 300:
        raise RuntimeError(f"Retrieve Predictions failed {resp.value.status}: {resp.value.text()}")
    return resp.value.json()
