"""Malware scanners behind one interface: ``scanner.scan(data)`` for each of
``scanners_from_settings()``.

``scan`` returns the name of what it found, or None for a clean file; it raises ScannerError
when it cannot tell. The built-in EICAR scan always runs, so the industry's test string is
caught anywhere in a file even where no ClamAV is set up; EVIDENCE_SCANNER "clamd" adds a
ClamAV daemon on CLAMD_SOCKET ("eicar" and empty mean the built-in scan alone).
"""

import socket
import struct

from django.conf import settings

from reviews.checks.base import TransientCheckError

# The industry-standard harmless test file every scanner reports.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024


class ScannerError(TransientCheckError):
    """The scanner could not be reached or gave an answer we cannot read."""


class EicarScanner:
    name = "EICAR test scanner"

    def scan(self, data: bytes) -> str | None:
        return "Eicar-Test-Signature" if EICAR in data else None


class ClamdScanner:
    """clamd's INSTREAM command over its Unix socket."""

    name = "ClamAV (clamd)"

    def __init__(self, socket_path: str, timeout: float):
        self.socket_path, self.timeout = socket_path, timeout

    def scan(self, data: bytes) -> str | None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(self.timeout)
                conn.connect(self.socket_path)
                conn.sendall(b"zINSTREAM\0")
                for start in range(0, len(data), CHUNK):
                    chunk = data[start : start + CHUNK]
                    conn.sendall(struct.pack("!L", len(chunk)) + chunk)
                conn.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    part = conn.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as exc:
            raise ScannerError(f"clamd at {self.socket_path} did not answer: {exc}") from exc
        answer = reply.rstrip(b"\0").decode("utf-8", "replace")
        # "stream: OK", "stream: Eicar-Signature FOUND", or "... ERROR".
        verdict = answer.split(": ", 1)[-1]
        if verdict == "OK":
            return None
        if verdict.endswith(" FOUND"):
            return verdict.removesuffix(" FOUND")
        raise ScannerError(f"clamd answered {answer!r}")


def scanners_from_settings() -> list[EicarScanner | ClamdScanner]:
    scanners: list[EicarScanner | ClamdScanner] = [EicarScanner()]
    if settings.EVIDENCE_SCANNER == "clamd":
        scanners.append(ClamdScanner(settings.CLAMD_SOCKET, settings.CLAMD_TIMEOUT_SECONDS))
    return scanners
