"""A minimal SMTP server on 127.0.0.1 that accepts every message and counts it per recipient.

Just enough SMTP for Django's smtp backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
one thread per connection, no asyncio and no dependency. The messages are counted and their
recipients kept, their bodies dropped: for counting what arrived (the `smtp_sink` fixture of
conftest.py, the fault tests, benchmarks/fanout.py), not for tests of email content.

`delay` slows the server down: each message is counted as soon as its data has arrived, and
answered ("250") only `delay` seconds later. A client killed meanwhile has handed the message
off without hearing so: the message is in flight, the way a worker dies in real life.
"""

import socketserver
import sys
import threading
import time
from collections import Counter

END_OF_DATA = b"\r\n.\r\n"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, delay: float = 0.0):
        self.delay = delay
        self.count = 0
        self.recipients: list[str] = []
        self.received_at: list[float] = []  # time.monotonic() of each message's final "."
        self._lock = threading.Lock()
        self._server = _Server((host, port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return self._server.server_address[0]

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> "SmtpSink":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.count = 0
            self.recipients.clear()
            self.received_at.clear()

    # What was received ----------------------------------------------------------------

    def per_recipient(self) -> Counter:
        """How many messages each address received."""
        with self._lock:
            return Counter(self.recipients)

    def duplicates(self) -> Counter:
        """The addresses that received more than one message, with how many."""
        return Counter({address: n for address, n in self.per_recipient().items() if n > 1})

    def _record(self, recipients: list[str]) -> None:
        with self._lock:
            self.count += 1
            self.recipients.extend(recipients)
            self.received_at.append(time.monotonic())


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many worker processes connect at once

    def handle_error(self, request, client_address):
        # A client killed mid-conversation is what the fault tests do: not an error here.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Connection:
    """Buffered reads of lines (commands) and of a DATA block, straight from the socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def read_line(self) -> bytes | None:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                return None
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def read_data(self) -> bytes | None:
        # The terminator may follow the DATA command's line at once: look from the start.
        probe = b"\r\n" + self.buffer
        while END_OF_DATA not in probe:
            if not self._fill():
                return None
            probe = b"\r\n" + self.buffer
        data, rest = probe.split(END_OF_DATA, 1)
        self.buffer = rest
        return data[2:]

    def reply(self, text: str) -> None:
        self.sock.sendall(text.encode() + b"\r\n")


def _handler_for(sink: SmtpSink):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            conn = _Connection(self.request)
            conn.reply("220 sink ESMTP")
            recipients: list[str] = []
            while (line := conn.read_line()) is not None:
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.reply("250-sink\r\n250-8BITMIME\r\n250 SIZE 52428800")
                elif verb == b"HELO":
                    conn.reply("250 sink")
                elif verb == b"MAIL":
                    recipients = []
                    conn.reply("250 OK")
                elif verb == b"RCPT":
                    address = line.split(b":", 1)[-1].split(b">")[0].strip(b" <")
                    recipients.append(address.decode(errors="replace"))
                    conn.reply("250 OK")
                elif verb == b"DATA":
                    conn.reply("354 End data with <CR><LF>.<CR><LF>")
                    if conn.read_data() is None:
                        return
                    sink._record(recipients)  # handed off: counted even if the client dies now
                    recipients = []
                    if sink.delay:
                        time.sleep(sink.delay)
                    conn.reply("250 OK queued")
                elif verb == b"QUIT":
                    conn.reply("221 Bye")
                    return
                elif verb in (b"RSET", b"NOOP"):
                    recipients = [] if verb == b"RSET" else recipients
                    conn.reply("250 OK")
                else:
                    conn.reply("502 Command not implemented")

    return Handler
