"""A minimal FastCGI client (the FastCGI 1.0 specification's responder role) for run.py's
worker-CPU phase: requests straight to a php-fpm pool over one kept connection
(FCGI_KEEP_CONN), as nginx sends them, without nginx or wrk on the machine's cores.

Only what that phase needs: one request at a time, its stdout parsed into a status and a body.
"""

from __future__ import annotations

import socket
import struct
from typing import Dict, Tuple

VERSION = 1
BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6
RESPONDER, KEEP_CONN = 1, 1
REQUEST_ID = 1
MAX_CONTENT = 65535


def record(kind: int, content: bytes) -> bytes:
    """One record (or several, for content over 64 KiB), padded to 8 bytes."""
    out = b""
    for start in range(0, max(len(content), 1), MAX_CONTENT):
        chunk = content[start : start + MAX_CONTENT]
        pad = -len(chunk) % 8
        out += struct.pack("!BBHHBx", VERSION, kind, REQUEST_ID, len(chunk), pad) + chunk + b"\0" * pad
    return out


def name_value(name: bytes, value: bytes) -> bytes:
    def length(n: int) -> bytes:
        return struct.pack("!B", n) if n < 128 else struct.pack("!I", n | 0x8000_0000)

    return length(len(name)) + length(len(value)) + name + value


def encode_request(script: str, path: str, headers: Dict[str, str], body: bytes) -> bytes:
    """A POST of `body` to `script` (SCRIPT_FILENAME) with `headers` as HTTP_* parameters."""
    params = {
        "SCRIPT_FILENAME": script, "SCRIPT_NAME": path, "REQUEST_URI": path, "QUERY_STRING": "",
        "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
        "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1", "REMOTE_ADDR": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
    }
    for name, value in headers.items():
        params["HTTP_" + name.upper().replace("-", "_")] = value
    encoded = b"".join(name_value(k.encode(), v.encode("latin-1")) for k, v in params.items())
    begin = struct.pack("!HB5x", RESPONDER, KEEP_CONN)
    return record(BEGIN_REQUEST, begin) + record(PARAMS, encoded) + record(PARAMS, b"") + record(STDIN, body) + record(STDIN, b"")


class Connection:
    """One kept connection to a FastCGI server."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def close(self) -> None:
        self.sock.close()

    def _read(self, n: int) -> bytes:
        while len(self.pending) < n:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the FastCGI server closed the connection")
            self.pending += data
        out, self.pending = self.pending[:n], self.pending[n:]
        return out

    def send(self, request: bytes) -> Tuple[int, bytes]:
        """Sends an encoded request; returns the answer's status (CGI `Status:`, else 200) and body."""
        self.sock.sendall(request)
        stdout = b""
        while True:
            _, kind, _, length, pad = struct.unpack("!BBHHBx", self._read(8))
            content = self._read(length + pad)[:length]
            if kind == STDOUT:
                stdout += content
            elif kind == END_REQUEST:
                break
        head, _, body = stdout.partition(b"\r\n\r\n")
        status = 200
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"status:"):
                status = int(line.split(b":", 1)[1].split()[0])
        return status, body
