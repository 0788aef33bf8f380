"""A seed reload while clients read: every response shows the data before the reload or
after it, never a mix (a page from one and its embeds or total from the other)."""

import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml
from anyio.from_thread import BlockingPortal
from sqlalchemy import Engine

from app.db.migrate import upgrade
from app.loader.load import load_all
from tests.conftest import SEED_DIR, Api, make_api

pytestmark = pytest.mark.slow  # readers and reloads racing for seconds

MARK = " [revised]"
READERS = 4
RELOADS = 6


@pytest.fixture
def revised_seed(tmp_path: Path) -> Path:
    """The seed with every initiative title and metric label changed and two metrics gone."""
    folder = tmp_path / "revised"
    shutil.copytree(SEED_DIR, folder)
    for path in folder.glob("*.yaml"):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        for initiative in records["initiatives"]:
            initiative["title"] += MARK
        records["metrics"] = records["metrics"][:-2]
        for metric in records["metrics"]:
            metric["label"] += MARK
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def _states(texts: list[str]) -> set[bool]:
    return {text.endswith(MARK) for text in texts}


def _mixed(api: Api) -> str | None:
    """What is inconsistent in one read of initiatives with their metrics, or None."""
    response = api.get("/initiatives", params={"limit": 500, "include": "metrics", "count": "exact"})
    if response.status_code != 200:
        return f"{response.status_code}: {response.text[:200]}"
    page = response.json()
    titles = [item["title"] for item in page["items"]]
    labels = [metric["label"] for item in page["items"] for metric in item["metrics"]]
    if len(_states(titles) | _states(labels)) != 1:
        return "titles and embedded metric labels from different loads"
    if page["total"] != len(page["items"]):
        return f"total {page['total']} but {len(page['items'])} items"
    metrics = api.get("/metrics", params={"limit": 500, "count": "exact"}).json()
    if len(_states([m["label"] for m in metrics["items"]])) != 1 or metrics["total"] != len(metrics["items"]):
        return "metrics page from different loads"
    return None


def test_readers_see_the_old_data_or_the_new_never_a_mix(
    portal: BlockingPortal, empty_engine: Engine, revised_seed: Path
) -> None:
    upgrade(empty_engine)
    load_all(empty_engine, SEED_DIR)
    api = make_api(portal, empty_engine)
    stop = threading.Event()
    reads: list[str | None] = []

    def read() -> None:
        while not stop.is_set():
            reads.append(_mixed(api))

    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    try:
        for n in range(RELOADS):
            changes = load_all(empty_engine, revised_seed if n % 2 == 0 else SEED_DIR)
            assert changes.any
            time.sleep(0.05)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    failures = [failure for failure in reads if failure]
    assert len(reads) >= 20, "the readers hardly ran"
    assert not failures, f"{len(failures)} of {len(reads)} reads were inconsistent: {failures[:5]}"
    # After the last reload (the original seed) every reader sees it whole.
    assert _mixed(api) is None
    assert not _states([item["title"] for item in api.get("/initiatives", params={"limit": 500}).json()["items"]]) - {
        False
    }
