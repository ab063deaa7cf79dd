"""A small fake of Twilio's Messages and Calls APIs on 127.0.0.1, for the real twilio SDK.

It records every request (messages in `requests`, calls in `call_requests`; look-ups of what
was sent in `checks` and `call_checks`) and answers, for
chosen numbers (`answer`, `always`) or for every number (`mode`), with one of:

- 429, 500, 503: refused for now, not accepted;
- a Twilio error code such as 21211: refused for good (HTTP 400), not accepted;
- "timeout": not accepted, and a late 503 after `timeout_sleep` seconds;
- "slow": accepted (it is listed at once by GET, as a sent message), but answered only
  after `slow_sleep` seconds: a provider that sent the message after the client gave up;
- "drop": accepted and listed, then the connection is closed without any answer: the
  connection was lost after the request was written.

The outcome of "slow" and "drop" is unknown to the client, while the message did leave.
Calls answer the same way ("placed" where a message is "accepted"); their list honours the
`StartTime>` filter of `calls.list(start_time_after=...)`.
Used by the tests (as a pytest fixture) and by benchmarks/fanout.py.
"""

import json
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ERROR_MESSAGES = {
    20429: "Too Many Requests",
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    21635: "'To' number cannot be a landline",
    13224: "The phone number you are attempting to call is not valid.",
    21215: "Geo Permission configuration is not permitting call",
    30006: "Landline or unreachable carrier",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many workers connect at once: Python's default backlog is 5


class FakeTwilio:
    def __init__(self, *, delay: float = 0.0, timeout_sleep: float = 2.0, slow_sleep: float = 2.0, mode=None):
        self.delay = delay
        self.timeout_sleep = timeout_sleep
        self.slow_sleep = slow_sleep
        self.mode = mode  # the behaviour for a number with none of its own left; None: success
        self.requests: list[dict] = []
        self.checks: list[dict] = []  # GET of the messages list: {"To": ..., "at": monotonic}
        self.call_requests: list[dict] = []  # POST of Calls.json, as `requests` for messages
        self.call_checks: list[dict] = []  # GET of the calls list: {"To", "StartTime>", "at"}
        self.behaviours: dict[str, list] = {}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # Control -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTwilio":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, number: str, *behaviours) -> None:
        """Next answers for `number`, in order, then `mode` (success by default). A behaviour
        is 429, 500, 503, "timeout", "slow", "drop", or a Twilio error code such as 21211
        (answered with HTTP 400): see the module's docstring."""
        with self._lock:
            self.behaviours[number] = list(behaviours)

    def always(self, number: str, behaviour) -> None:
        with self._lock:
            self.behaviours[number] = [behaviour] * 1_000_000

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.checks.clear()
            self.call_requests.clear()
            self.call_checks.clear()
            self.behaviours.clear()
            self.mode = None

    # What was received ----------------------------------------------------------------

    @property
    def accepted(self) -> list[dict]:
        with self._lock:
            return [r for r in self.requests if r["accepted"]]

    def accepted_per_number(self) -> Counter:
        return Counter(r["To"] for r in self.accepted)

    def duplicates(self) -> Counter:
        """The numbers whose message was accepted more than once, with how many times."""
        return Counter({number: n for number, n in self.accepted_per_number().items() if n > 1})

    @property
    def placed_calls(self) -> list[dict]:
        """The calls Twilio accepted (and would place), oldest first."""
        with self._lock:
            return [r for r in self.call_requests if r["accepted"]]

    def calls_to(self, number: str) -> list[dict]:
        return [r for r in self.placed_calls if r["To"] == number]

    def call_checks_of(self, number: str) -> list[dict]:
        with self._lock:
            return [c for c in self.call_checks if c["To"] == number]

    def checks_of(self, number: str) -> list[float]:
        """When (time.monotonic()) the messages sent to `number` were looked up."""
        with self._lock:
            return [c["at"] for c in self.checks if c["To"] == number]

    # Serving ----------------------------------------------------------------------------

    def _next_behaviour(self, number: str):
        with self._lock:
            queue = self.behaviours.get(number)
            return queue.pop(0) if queue else self.mode

    def _record(self, entry: dict) -> None:
        with self._lock:
            (self.call_requests if entry["resource"] == "Calls" else self.requests).append(entry)

    def _list_calls(self, to: str | None, started_after: str | None) -> list[dict]:
        since = _parse_time(started_after) if started_after else None
        with self._lock:
            self.call_checks.append({"To": to, "StartTime>": started_after, "at": time.monotonic()})
            return [
                _call_json(r)
                for r in reversed(self.call_requests)
                if r["accepted"] and (to is None or r["To"] == to) and (since is None or r["epoch"] >= since)
            ]

    def _list(self, to: str | None) -> list[dict]:
        with self._lock:
            self.checks.append({"To": to, "at": time.monotonic()})
            return [
                _message_json(r)
                for r in reversed(self.requests)
                if r["accepted"] and (to is None or r["To"] == to)
            ]


def _message_json(entry: dict) -> dict:
    return {
        "sid": entry["sid"],
        "to": entry["To"],
        "from": entry.get("From"),
        "messaging_service_sid": entry.get("MessagingServiceSid"),
        "body": entry["Body"],
        "status": "queued",
        "num_segments": "1",
        "date_created": entry["date"],
        "date_sent": entry["date"],
        "account_sid": entry["account"],
        "api_version": "2010-04-01",
        "error_code": None,
        "error_message": None,
        "uri": f"/2010-04-01/Accounts/{entry['account']}/Messages/{entry['sid']}.json",
    }


def _parse_time(value: str) -> float:
    """`2026-12-01` or `2026-12-01T09:30:00Z`, as the SDK writes them, in seconds since the epoch."""
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise ValueError(value)


def _call_json(entry: dict) -> dict:
    return {
        "sid": entry["sid"],
        "to": entry["To"],
        "from": entry.get("From"),
        "status": "queued",
        "direction": "outbound-api",
        "date_created": entry["date"],
        "start_time": entry["date"],
        "account_sid": entry["account"],
        "api_version": "2010-04-01",
        "uri": f"/2010-04-01/Accounts/{entry['account']}/Calls/{entry['sid']}.json",
    }


def _handler_for(fake: FakeTwilio):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, not after a delayed ACK

        def log_message(self, *args):  # keep test output clean
            pass

        def _send(self, status: int, payload: dict) -> None:
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # a client that gave up ("timeout", "slow") may be gone
                self.close_connection = True

        def _target(self) -> tuple[str | None, str]:
            """The account and the resource ("Messages" or "Calls") of the request's path."""
            parts = urlparse(self.path).path.strip("/").split("/")
            resources = ("Messages.json", "Calls.json")
            if len(parts) == 4 and parts[:2] == ["2010-04-01", "Accounts"] and parts[3] in resources:
                return parts[2], parts[3].removesuffix(".json")
            return None, ""

        def _account(self) -> str | None:
            return self._target()[0]

        def do_GET(self):
            account, resource = self._target()
            if account is None:
                return self._send(404, {"code": 20404, "message": "Not found", "status": 404})
            query = parse_qs(urlparse(self.path).query)
            to = query.get("To", [None])[0]
            if resource == "Calls":
                calls = fake._list_calls(to, query.get("StartTime>", [None])[0])
                return self._send(200, {"calls": calls, "next_page_uri": None, "page": 0, "page_size": 50})
            messages = fake._list(to)
            self._send(200, {"messages": messages, "next_page_uri": None, "page": 0, "page_size": 50})

        def do_POST(self):
            account, resource = self._target()
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if len(raw) < length:  # the client died mid-request: Twilio drops it, and so do we
                self.close_connection = True
                return None
            values = parse_qs(raw.decode())
            form = {k: v[0] for k, v in values.items()}
            if "StatusCallbackEvent" in values:  # sent once per event
                form["StatusCallbackEvent"] = values["StatusCallbackEvent"]
            if account is None:
                return self._send(404, {"code": 20404, "message": "Not found", "status": 404})
            if fake.delay:
                time.sleep(fake.delay)
            to = form.get("To", "")
            entry = {
                **form,
                "account": account,
                "resource": resource,
                "sid": ("CA" if resource == "Calls" else "SM") + uuid.uuid4().hex,
                "date": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
                "epoch": int(time.time()),
                "received_at": time.monotonic(),
                "accepted": False,
                "authorization": self.headers.get("Authorization", ""),
            }
            behaviour = fake._next_behaviour(to)
            if behaviour == "timeout":
                fake._record(entry)
                time.sleep(fake.timeout_sleep)
                return self._send(503, {"code": 20503, "message": "late", "status": 503})
            if behaviour in (429, 500, 503):
                fake._record(entry)
                code = 20429 if behaviour == 429 else 20500
                return self._send(behaviour, {"code": code, "message": "try later", "status": behaviour})
            if isinstance(behaviour, int):
                fake._record(entry)
                message = ERROR_MESSAGES.get(behaviour, "Error")
                return self._send(400, {"code": behaviour, "message": message, "status": 400})
            entry["accepted"] = True
            fake._record(entry)  # accepted, and listed, before any answer: Twilio sent it
            if behaviour == "slow":
                time.sleep(fake.slow_sleep)
            elif behaviour == "drop":
                self.close_connection = True  # closed without a status line: the client's
                return  # request was written, its answer never comes
            self._send(201, _call_json(entry) if resource == "Calls" else _message_json(entry))

    return Handler
