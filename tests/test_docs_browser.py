"""A real browser reads the docs: headless Chromium opens /docs, runs GET /initiatives
with "Try it out", records a status change after "Authorize" with a curate key, opens /redoc,
and nothing is fetched from another host.

Needs Debian's `chromium` and `chromium-driver` (see .ci/run); skipped where they are
missing. COOP_UPDATE_SCREENSHOTS=1 also refreshes docs/img/swagger-ui.png for the README.
"""

import json
import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import uvicorn
from sqlalchemy import Engine

from app.curation.keys import create_key
from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.loader.load import load_all
from app.main import create_app
from app.models.vocab import KeyScope
from app.settings import PROJECT_ROOT, Settings
from tests.conftest import SEED_DIR

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a test extra: pip install -e '.[test]'")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow  # a live server and a headless browser

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
SCREENSHOT = PROJECT_ROOT / "docs" / "img" / "swagger-ui.png"
WAIT_S = 90  # a 2-core CI machine parses the 1.5 MB Swagger UI bundle slowly
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # running as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)
LIST_INITIATIVES = "#operations-initiatives-list_initiatives"


def _installed_browser() -> tuple[str, str] | None:
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """The real app under uvicorn on a free loopback port, over a seeded SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'coop.db'}"
    settings = Settings(database_url=url)
    engine: Engine = make_engine(settings, url)
    upgrade(engine)
    load_all(engine, SEED_DIR)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # the port is ours before the server starts: no race
    config = uvicorn.Config(create_app(settings, engine), log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    host, port = listener.getsockname()
    yield f"http://{host}:{port}", engine
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()
    engine.dispose()


@pytest.fixture(scope="module")
def live_url(live_server: tuple[str, Engine]) -> str:
    return live_server[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    installed = _installed_browser()
    if installed is None:
        pytest.skip("no browser: install Debian's chromium and chromium-driver to run the docs browser test")
    binary, driver_path = installed
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="coop-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # An explicit driver path: Selenium Manager never tries to download one.
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(browser: Any) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(browser, WAIT_S)


def _clickable(browser: Any, selector: str) -> Any:
    return _wait(browser).until(expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def _requests_to_other_hosts(browser: Any, own_host: str) -> list[str]:
    """http(s) requests the page sent to another host and the browser did not block."""
    sent: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if urlparse(url).scheme in ("http", "https") and urlparse(url).netloc != own_host:
                sent[params["requestId"]] = url
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    return [url for request_id, url in sent.items() if request_id not in blocked]


def test_swagger_ui_runs_a_request_against_the_live_api(browser: Any, live_url: str, tmp_path: Path) -> None:
    browser.get_log("performance")  # start with a clean slate
    browser.get(f"{live_url}/docs")
    _clickable(browser, f"{LIST_INITIATIVES} .opblock-summary").click()
    _clickable(browser, f"{LIST_INITIATIVES} .try-out__btn").click()
    _clickable(browser, f"{LIST_INITIATIVES} .execute").click()
    status = _wait(browser).until(
        expected_conditions.visibility_of_element_located(
            (
                By.CSS_SELECTOR,
                f"{LIST_INITIATIVES} .live-responses-table .response .response-col_status",
            )
        )
    )
    assert status.text.strip() == "200"
    body = browser.find_element(By.CSS_SELECTOR, f"{LIST_INITIATIVES} .live-responses-table .microlight").text
    assert '"items"' in body
    assert _requests_to_other_hosts(browser, urlparse(live_url).netloc) == []

    browser.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "swagger-ui.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("COOP_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)


def test_redoc_lists_every_operation(browser: Any, live_url: str) -> None:
    browser.get_log("performance")
    browser.get(f"{live_url}/redoc")
    section = '[data-section-id="tag/initiatives/operation/list_initiatives"]'
    _wait(browser).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, section)))
    document = json.loads(browser.execute_script(f"return fetch('{live_url}/openapi.json').then(r => r.text())"))
    operation_ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    rendered = {
        element.get_attribute("data-section-id").rsplit("/", 1)[-1]
        for element in browser.find_elements(By.CSS_SELECTOR, '[data-section-id*="/operation/"]')
    }
    assert set(operation_ids) <= rendered
    assert _requests_to_other_hosts(browser, urlparse(live_url).netloc) == []


CREATE_STATUS = "#operations-curation-create_status_statement"
NOTICE = (Path(__file__).parent / "fixtures" / "curation" / "departmental-notice-fictional.txt").read_text()


def _post(url: str, key: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def _type_into(element: Any, value: str) -> None:
    """Replace a React-controlled field's text as a user would (select all, type)."""
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(value)


def test_swagger_ui_authorize_records_a_status_change(browser: Any, live_server: tuple[str, Engine]) -> None:
    live_url, engine = live_server
    key = create_key(engine, "browser-curator", KeyScope.CURATE)
    document = {
        "slug": "browser-notice-fictional",
        "title": "Departmental notice (fictional)",
        "issuer": "A fictional department",
        "published_on": "2025-04-01",
        "text": NOTICE,
    }
    assert _post(f"{live_url}/documents", key, document) == 201
    initiative = "building-technology-research-institute"

    browser.get(f"{live_url}/docs")
    _clickable(browser, ".auth-wrapper .authorize").click()
    field = _clickable(browser, ".modal-ux input")
    _type_into(field, key)
    _clickable(browser, ".modal-ux .auth-btn-wrapper .authorize").click()
    _clickable(browser, ".modal-ux .btn-done").click()

    _clickable(browser, f"{CREATE_STATUS} .opblock-summary").click()
    _clickable(browser, f"{CREATE_STATUS} .try-out__btn").click()
    _type_into(_clickable(browser, f"{CREATE_STATUS} .parameters input[type=text]"), initiative)
    body = {
        "status": "launched",
        "effective": "in March 2025",
        "document": "browser-notice-fictional",
        "quote": "opened its doors in March 2025",
    }
    _type_into(_clickable(browser, f"{CREATE_STATUS} textarea.body-param__text"), json.dumps(body))
    _clickable(browser, f"{CREATE_STATUS} .execute").click()
    status = _wait(browser).until(
        expected_conditions.visibility_of_element_located(
            (By.CSS_SELECTOR, f"{CREATE_STATUS} .live-responses-table .response .response-col_status")
        )
    )
    assert status.text.strip() == "201", browser.find_element(
        By.CSS_SELECTOR, f"{CREATE_STATUS} .live-responses-table"
    ).text
    with urllib.request.urlopen(f"{live_url}/initiatives/{initiative}", timeout=30) as response:
        assert json.loads(response.read())["status"] == "launched"
    with urllib.request.urlopen(f"{live_url}/initiatives/{initiative}/history?kind=status", timeout=30) as response:
        recorded = [e for e in json.loads(response.read())["items"] if e["recorded_by"] == "browser-curator"]
    assert len(recorded) == 1
    assert _requests_to_other_hosts(browser, urlparse(live_url).netloc) == []
