"""The files of claim documents: checked (size, and type by their first bytes, not by their name),
stored under the data directory (``JAMSOSTEK_DATA_DIR/claims/``, outside the static files and
anything the web server serves), and read back only by the services' callers after the access
check (``claims.selectors.document_file``)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from jamsostek.core.errors import InvalidField

MAX_BYTES = 5 * 1024 * 1024
"""The largest file accepted (a scanned page as PDF or a phone photo is well under it)."""
TYPES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
"""The accepted types, told by their first bytes."""


@dataclass(frozen=True)
class Upload:
    content_type: str
    extension: str
    size: int
    sha256: str


def check(data: bytes) -> Upload:
    """What the file is, or ``InvalidField('file')`` saying why it is refused."""
    if not data:
        raise InvalidField(_("the file is empty"), field="file", code="empty")
    if len(data) > MAX_BYTES:
        raise InvalidField(
            _("the file is %(size)s MB; at most %(limit)s MB is accepted")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024},
            field="file", code="too_large",
        )  # fmt: skip
    for magic, content_type, extension in TYPES:
        if data.startswith(magic):
            return Upload(content_type, extension, len(data), hashlib.sha256(data).hexdigest())
    raise InvalidField(_("only PDF, JPEG and PNG files are accepted"), field="file", code="file_type")


def root() -> Path:
    return Path(settings.DATA_DIR) / "claims"


def store(claim_id: int, kind: str, data: bytes, upload: Upload) -> str:
    """Write the file; returns its path relative to the data directory (what the document keeps)."""
    relative = Path("claims") / str(claim_id) / f"{kind}-{uuid.uuid4().hex}.{upload.extension}"
    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative.as_posix()


def path_of(relative: str) -> Path:
    """The stored file's path; never outside the claims directory."""
    path = (Path(settings.DATA_DIR) / relative).resolve()
    if not path.is_relative_to(root().resolve()):
        raise InvalidField(_("the stored file is not where claim documents are kept"), field="file")
    return path
