"""A thermal printer for tests: it takes ESC/POS bytes and answers real-time status queries (DLE EOT n)
the way an Epson-compatible printer does. It is reached over a real TCP socket on 127.0.0.1 or over a
real pty, like the kiosk reaches a network or serial printer."""

from __future__ import annotations

import os
import select
import socket
import threading
import time

from appliance.config import Settings

DLE_EOT = b"\x10\x04"
# Fast polling and retries so state changes show within a fraction of a second.
FAST = {"poll_s": 0.2, "poll_attention_s": 0.1, "retry_base_s": 0.2, "retry_max_s": 0.5, "track_s": 0.2}


def wait_until(predicate, timeout: float = 5.0, step: float = 0.02):
    """Poll `predicate` until it returns something true (returned) or `timeout` seconds pass (its last value)."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


def make_settings(printers: dict | None = None, **sections) -> Settings:
    raw = {"printing": dict(FAST)}
    if printers is not None:
        raw["printers"] = printers
    raw.update(sections)
    return Settings(raw)


class PrinterModel:
    """The printer's insides: its paper and cover, what it printed, and how it answers."""

    def __init__(self):
        self.paper = "ok"  # ok | low | out
        self.cover_open = False
        self.silent = False  # a printer that never answers status queries
        self.hang_up_after: int | None = None  # drop the connection once this many bytes have printed
        self.printed = bytearray()
        self.queries = 0
        self.lock = threading.Lock()

    def status_byte(self, n: int) -> bytes:
        if n == 1:
            offline = self.cover_open or self.paper == "out"
            return bytes([0x16 | (0x08 if offline else 0)])
        if n == 2:
            return bytes([0x12 | (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)])
        if n == 4:
            return bytes([0x12 | {"ok": 0, "low": 0x0C, "out": 0x6C}[self.paper]])
        return b""

    def feed(self, buffer: bytearray) -> bytes:
        """Consume what arrived; return the answers to send back. Keeps a split DLE EOT for later."""
        answers = bytearray()
        with self.lock:
            while buffer:
                i = buffer.find(DLE_EOT)
                if i < 0:
                    keep = 1 if buffer.endswith(b"\x10") else 0
                    self.printed += buffer[: len(buffer) - keep]
                    del buffer[: len(buffer) - keep]
                    break
                if len(buffer) < i + 3:
                    self.printed += buffer[:i]
                    del buffer[:i]
                    break
                self.printed += buffer[:i]
                n = buffer[i + 2]
                del buffer[: i + 3]
                self.queries += 1
                if not self.silent:
                    answers += self.status_byte(n)
        return bytes(answers)

    def count(self, marker: bytes) -> int:
        with self.lock:
            return bytes(self.printed).count(marker)


class TcpPrinter:
    """The model behind a listening socket on 127.0.0.1 (random free port). stop() closes it (the
    kiosk sees "connection refused"); start() opens it again on the same port."""

    def __init__(self, model: PrinterModel | None = None):
        self.model = model or PrinterModel()
        self.port = 0
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._running = threading.Event()

    def start(self) -> TcpPrinter:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(8)
        sock.settimeout(0.1)
        self.port = sock.getsockname()[1]
        self._sock = sock
        self._running.set()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running.clear()
        if self._thread:
            self._thread.join(5)
        if self._sock:
            self._sock.close()
            self._sock = None

    def _serve(self) -> None:
        while self._running.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn: socket.socket) -> None:
        buffer = bytearray()
        conn.settimeout(0.1)
        with conn:
            while self._running.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                buffer += chunk
                answer = self.model.feed(buffer)
                if answer:
                    conn.sendall(answer)
                limit = self.model.hang_up_after
                if limit is not None and len(self.model.printed) >= limit:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return  # closing with linger 0 resets the connection, as a printer switched off


class PtyPrinter:
    """The model on the master side of a pty; the kiosk opens the slave as its serial port, through a
    stable link (as udev's /dev/serial/by-id/... names). close() closes the master and removes the link:
    the port disappears as when a USB-serial cable is pulled (and a pty number the system hands to
    someone else later is never reached through the link)."""

    read_size = 65536  # bytes taken per read
    pause_s = 0.0  # rest between reads (a real serial line's pace)

    def __init__(self, link: str, model: PrinterModel | None = None):
        self.model = model or PrinterModel()
        self.master, slave = os.openpty()
        self.device = os.ttyname(slave)
        os.close(slave)  # the kiosk opens it by name, like /dev/ttyUSB0
        self.port = str(link)
        os.symlink(self.device, self.port)
        self._running = threading.Event()
        self._running.set()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        buffer = bytearray()
        while self._running.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self.master, self.read_size)
            except OSError:
                time.sleep(0.02)  # nobody holds the slave open right now
                continue
            buffer += chunk
            answer = self.model.feed(buffer)
            if answer:
                os.write(self.master, answer)
            if self.pause_s:
                time.sleep(self.pause_s)

    def close(self) -> None:
        if os.path.lexists(self.port):
            os.unlink(self.port)
        self._running.clear()
        self._thread.join(5)
        os.close(self.master)
