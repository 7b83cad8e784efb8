"""The editor server's parts on their own: exception handlers, the id rule, the save path's reloads, the hub.

The real server over HTTP is tests/test_server.py (and test_faults.py, test_keys.py); these pin
what each room of geo/server/ promises, without a server. Coroutines run in their own thread's
loop (a worker's Playwright keeps the main thread's loop marked as running).
"""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.requests import Request

from geo import errors, model
from geo.server.handlers import EXCEPTION_HANDLERS
from geo.server.hub import EventHub
from geo.server.refusals import Refusal
from geo.server.saving import DataFile

from _server import hand_edit


def _run(coroutine):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def _request():
    scope = {"type": "http", "method": "PATCH", "path": "/api/places/x", "headers": [], "query_string": b"",
             "scheme": "http", "server": ("127.0.0.1", 8765)}  # fmt: skip
    return Request(scope)


def _answer(err):
    """Answer ``err`` as Starlette does: the handler of the first of its classes (most derived first) listed."""
    handler = next(EXCEPTION_HANDLERS[c] for c in type(err).__mro__ if c in EXCEPTION_HANDLERS)
    response = _run(handler(_request(), err))
    return response.status_code, json.loads(response.body)


@pytest.mark.parametrize(
    ("err", "status", "words"),
    [
        (Refusal(404, code="no_place", values={"ident": "'nope'"}), 404, "'nope'"),
        (errors.ValidationError([errors.Problem("x", "stated_area_m2", "must be > 0")]), 422, "must be > 0"),
        (errors.CoordinateError("lat out of range"), 422, "lat out of range"),
        (errors.StoreError("the history cannot be read"), 503, "the history cannot be read"),
        (errors.GeocodeServiceError("timed out"), 400, "timed out"),  # a GeoError first, though an OSError too
        (errors.MissingExtraError("needs [network]"), 400, "needs [network]"),
        (PermissionError(13, "Permission denied"), 503, "Permission denied"),
        (KeyError("surprise"), 500, ""),
    ],
    ids=["refusal", "validation", "coordinate", "store", "geocode-service", "missing-extra", "os", "other"],
)
def test_each_error_gets_its_status_and_the_refusal_body(err, status, words):
    got, body = _answer(err)
    assert got == status
    assert words in body["error"] and set(body) == {"error", "problems", "fields"}
    assert "Traceback" not in body["error"] and "surprise" not in body["error"]


def test_a_validation_error_is_answered_by_form_field():
    err = errors.ValidationError([errors.Problem("x", "stated_area_m2", "a"), errors.Problem("x", "park_class", "b")])
    _, body = _answer(err)
    assert set(body["fields"]) == {"area", "class"} and [p["field"] for p in body["problems"]] == [
        "stated_area_m2",
        "park_class",
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("mulin-pocket-park", True), ("a" * 80, True), ("0", True), ("a" * 81, False), ("-x", False), ("Mulin", False),
     ("x\n", False), ("x_y", False), ("", False), (5, False), (None, False)],
)  # fmt: skip
def test_the_server_takes_place_ids_by_the_models_rule(valid_path, value, ok):
    assert model.is_place_id(value) is ok
    feature = json.loads(valid_path.read_text(encoding="utf-8"))["features"][0]
    feature["properties"]["id"] = value
    assert ok is not any(p.field == "id" for p in model.check_feature(feature))  # the model's own check agrees


def test_the_save_path_reloads_a_hand_edit_and_refuses_to_trust_a_broken_file(valid_path):
    held = DataFile(valid_path, EventHub())
    assert not held.stale() and held.reload_if_changed() is None
    hand_edit(valid_path, "test-mall", notes="手改")
    assert held.stale()
    with held.lock:  # a save under way: no reload now, and the watcher is told to look again
        assert held.reload_if_changed() is None and held.stale()
    event = held.reload_if_changed()
    assert event["changed"] == ["test-mall"] and event["by"] == "(outside the editor)" and not held.stale()
    assert held.view.features["test-mall"]["properties"]["notes"] == "手改"
    hand_edit(valid_path, "test-mall", status="opne")
    broken = held.reload_if_changed()
    assert "cannot be loaded" in broken["error"] and held.broken == broken["error"]
    assert not held.stale() and held.reload_if_changed() is None  # the same broken file: nothing new to say
    with pytest.raises(errors.StoreError, match="cannot be loaded"):
        held.save("甲", lambda _editor: pytest.fail("a save ran over a file that cannot be loaded"))
    hand_edit(valid_path, "test-mall", status="open")
    assert held.stale() and held.reload_if_changed() is not None and held.broken is None


def test_the_hub_closes_only_the_streams_of_keys_that_stopped_working():
    async def scenario():
        hub = EventHub()
        hub.bind(asyncio.get_running_loop())
        kept, closed, viewer = hub.subscribe("key-a"), hub.subscribe("key-b"), hub.subscribe(None)
        hub.close_keys({"key-a"})
        hub.publish({"changed": ["x"]})
        await asyncio.sleep(0)
        out = {}
        for name, queue in (("kept", kept), ("closed", closed), ("viewer", viewer)):
            stream = hub.stream(queue)
            lines = [await stream.__anext__()]  # retry:
            try:
                lines.append(await asyncio.wait_for(stream.__anext__(), 10))
            except StopAsyncIteration:
                lines.append(None)
            await stream.aclose()
            out[name] = lines[1]
        return out, hub.subscribers, hub.streams

    out, subscribers, streams = _run(scenario())
    assert out["closed"] is None  # its stream ended
    assert out["kept"] == out["viewer"] == 'event: change\ndata: {"changed": ["x"]}\n\n'
    assert subscribers == set() and streams == {}  # every stream that ended unsubscribed
