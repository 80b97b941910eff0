"""ESC/POS printers through python-escpos: network, serial, USB and a device file.

One base (`EscposPrinter`) does the work; each transport implements `_connect()` (return an opened
python-escpos printer) and, where its read differs, `_read_answer()`. The connection is opened per job
and per status read, so a printer that was switched off, unplugged or restarted is simply found again.

Status: real-time status (DLE EOT 1 online, 2 offline cause, 4 paper sensor). Silence is "unknown",
never "plenty of paper" (python-escpos's `paper_status()` answers 2 when nothing comes back). Before a
job we read the status: paper out, cover open or offline keep the job in the spool with nothing sent.
Once bytes have started to flow, a broken connection leaves the job "in doubt" (see spool.py).
"""

from __future__ import annotations

import abc
import logging
import os

from appliance.printing.base import Printer
from appliance.printing.state import BLOCKING, PrinterError, parse_escpos_status

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"


def _parse_id(value) -> int:
    """USB vendor/product ids from settings: 0x0416, "0x0416", "0416" (hex, as lsusb prints them)."""
    if isinstance(value, int):
        return value
    text = str(value).strip().lower()
    return int(text[2:] if text.startswith("0x") else text, 16)


class EscposPrinter(Printer):
    backend = ""

    @abc.abstractmethod
    def _connect(self):
        """Return an opened python-escpos printer for this transport (raise PrinterError("offline"))."""

    def _read_answer(self, device) -> bytes:
        return device._read()

    def _prepare_read(self, device) -> None:
        """Drop stale bytes before a status query (serial ports keep them)."""

    def _close(self, device) -> None:
        try:
            device.close()
        except Exception as exc:  # closing a connection the other side already dropped
            log.debug("printer %s: close: %r", self.name, exc)

    def _query(self, device, n: int) -> bytes | None:
        try:
            self._prepare_read(device)
            device._raw(DLE_EOT + bytes([n]))
            answer = self._read_answer(device)
        except TimeoutError:
            return None
        except OSError as exc:
            raise PrinterError("offline", f"status query: {exc}") from exc
        return bytes(answer) if answer else None

    def _status_of(self, device) -> tuple[str, str]:
        if not self.reads_status:
            return "unknown", "this connection gives no status"
        online = self._query(device, 1)
        paper = self._query(device, 4)
        cause = self._query(device, 2) if online and online[-1] & 0x08 else None
        return parse_escpos_status(online, cause, paper)

    def _open(self):
        try:
            return self._connect()
        except PrinterError:
            raise
        except Exception as exc:  # DeviceNotFoundError, USBNotFoundError, OSError, serial errors
            raise PrinterError("offline", f"{type(exc).__name__}: {exc}") from exc

    def _read_status(self) -> tuple[str, str]:
        device = self._open()
        try:
            return self._status_of(device)
        finally:
            self._close(device)

    def _deliver(self, job, data: bytes) -> str | None:
        device = self._open()
        try:
            status, detail = self._status_of(device)
            if status in BLOCKING:
                raise PrinterError(status, detail)  # nothing sent: the job stays in the spool
            try:
                device._raw(data)
                self._flush(device)
            except Exception as exc:
                raise PrinterError("offline", f"{type(exc).__name__}: {exc}", in_doubt=True) from exc
        finally:
            self._close(device)
        return None

    def _flush(self, device) -> None:
        """Make sure the bytes left us before we call the job done."""


class NetworkPrinter(EscposPrinter):
    backend = "network"

    def describe(self) -> str:
        return f"{self.config['host']}:{self.config['port']}"

    def _connect(self):
        from escpos.printer import Network

        timeout = float(self.config["timeout_s"])
        printer = Network(host=str(self.config["host"]), port=int(self.config["port"]), timeout=timeout,
                          profile=self.config["profile"])
        printer.open()
        return printer

    def _read_answer(self, device) -> bytes:
        return device.device.recv(16)

    def _flush(self, device) -> None:
        # TCP hands the bytes to our kernel, not to the printer: a printer switched off part-way through
        # a long job would look printed. A status query after the data is answered only once the printer
        # has read everything before it; a reset connection raises here and the job is in doubt.
        if self.reads_status:
            self._query(device, 1)


class SerialPrinter(EscposPrinter):
    backend = "serial"

    def describe(self) -> str:
        return f"{self.config['port']} @ {self.config['baudrate']}"

    def _connect(self):
        if not os.path.exists(str(self.config["port"])):
            raise PrinterError("offline", f"{self.config['port']} is missing")
        from escpos.printer import Serial

        printer = Serial(devfile=str(self.config["port"]), baudrate=int(self.config["baudrate"]),
                         timeout=float(self.config["timeout_s"]), dsrdtr=bool(self.config["dsrdtr"]),
                         profile=self.config["profile"])
        printer.open()
        printer.device.write_timeout = float(self.config["timeout_s"]) * 5
        return printer

    def _prepare_read(self, device) -> None:
        device.device.reset_input_buffer()

    def _read_answer(self, device) -> bytes:
        # python-escpos reads 16 bytes and so always waits for the timeout; a status answer is 1 byte
        return device.device.read(1)

    def _flush(self, device) -> None:
        device.device.flush()

    def _close(self, device) -> None:
        # python-escpos flushes before it closes; on a port whose cable was pulled the flush fails
        # (termios EIO) and leaves the descriptor open for a later __del__ to fail again. Close the
        # pyserial port directly (its close() does not flush): a vanished port is simply offline.
        port = device.device
        try:
            if port is not None and port.is_open:
                port.close()
        except Exception as exc:
            log.debug("printer %s: close: %r", self.name, exc)
        device._device = False


class UsbPrinter(EscposPrinter):
    backend = "usb"

    def describe(self) -> str:
        return f"usb {self.config['vendor']}:{self.config['product']}"

    def _connect(self):
        try:
            from escpos.printer import Usb
        except ImportError as exc:
            raise PrinterError("offline", f"USB support missing: {exc}") from exc
        # keywords only: python-escpos 3.1 changed the meaning of the third positional argument
        printer = Usb(
            idVendor=_parse_id(self.config["vendor"]),
            idProduct=_parse_id(self.config["product"]),
            usb_args={},
            timeout=int(float(self.config["timeout_s"]) * 1000),
            in_ep=int(self.config["in_ep"]),
            out_ep=int(self.config["out_ep"]),
            profile=self.config["profile"],
        )
        printer.open()
        return printer


class DevicePrinter(EscposPrinter):
    backend = "device"

    def describe(self) -> str:
        return str(self.config["path"])

    def _connect(self):
        path = str(self.config["path"])
        if not os.path.exists(path):
            raise PrinterError("offline", f"{path} is missing")
        from escpos.printer import File

        printer = File(devfile=path, auto_flush=True, profile=self.config["profile"])
        printer.open()
        return printer
