"""A minimal SMTP server on 127.0.0.1 that accepts every message and counts it.

Just enough SMTP for Django's smtp backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
one thread per connection, no asyncio and no dependency. For benchmarks, not for tests of
email content: the messages are counted, their recipients kept, their bodies dropped.
"""

import socketserver
import threading
import time

END_OF_DATA = b"\r\n.\r\n"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.count = 0
        self.recipients: list[str] = []
        self.received_at: list[float] = []  # time.monotonic() of each message's final "."
        self._lock = threading.Lock()
        self._server = _Server((host, port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

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

    def _record(self, recipients: list[str]) -> None:
        with self._lock:
            self.count += 1
            self.recipients.extend(recipients)
            self.received_at.append(time.monotonic())


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


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
                    sink._record(recipients)
                    recipients = []
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
