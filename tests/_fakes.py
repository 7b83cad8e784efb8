"""A fake geocoding service on 127.0.0.1 that answers what a test tells it to."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str -> raw text
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    time: float


class FakeService:
    """Serve ``handler(request) -> Reply`` on a free loopback port; record every request."""

    def __init__(self, handler: Callable[[Request], Reply]):
        self.handler = handler
        self.requests: list[Request] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                req = Request(parts.path, params, dict(self.headers), time.monotonic())
                outer.requests.append(req)
                reply = outer.handler(req)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body, ensure_ascii=False)
                data = body.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def amap_answer(
    lon: float, lat: float, address: str = "吉林省长春市南关区某地", level: str = "兴趣点"
) -> dict[str, Any]:
    return {"status": "1", "info": "OK", "infocode": "10000", "count": "1",
            "geocodes": [{"formatted_address": address, "location": f"{lon:.6f},{lat:.6f}", "level": level,
                          "city": "长春市", "district": "南关区"}]}  # fmt: skip


def baidu_answer(lon: float, lat: float, precise: int = 1) -> dict[str, Any]:
    return {"status": 0, "result": {"location": {"lng": lon, "lat": lat}, "precise": precise, "confidence": 80,
                                    "comprehension": 100, "level": "门址"}}  # fmt: skip


def nominatim_answer(lon: float, lat: float, name: str = "某公园, 南关区, 长春市") -> list[dict[str, Any]]:
    return [{"place_id": 1, "osm_type": "way", "osm_id": 123, "lat": f"{lat}", "lon": f"{lon}",
             "display_name": name, "class": "leisure", "type": "park", "addresstype": "leisure",
             "boundingbox": [f"{lat - 0.001}", f"{lat + 0.001}", f"{lon - 0.001}", f"{lon + 0.001}"]}]  # fmt: skip
