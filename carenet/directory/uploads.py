"""The import's upload: streamed to a temporary file by Django's handlers, and stopped at the size limit.

``LimitedUpload`` goes before ``TemporaryFileUploadHandler``: a request whose declared length is already above
the limit is refused before a byte is kept, and a body that grows past it is cut off as it arrives (the view
then shows the translated refusal naming the file). Nothing of the upload is ever held in memory whole.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload, TemporaryFileUploadHandler

from .datapackage.read import max_bytes

MARGIN = 64_000  # the form's other fields and the multipart boundaries


class LimitedUpload(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        # Known from the request's length alone: the file is refused as soon as its part begins (the fields
        # before it, the CSRF token among them, are still read).
        self.too_large = bool(content_length and content_length > max_bytes() + MARGIN)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        if self.too_large:
            self.request.carenet_upload_refused = file_name  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_bytes():
            self.request.carenet_upload_refused = self.file_name or ""  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def stream_to_disk(request: Any) -> None:
    """Call before the view reads ``request.POST`` or ``request.FILES``."""
    request.upload_handlers = [LimitedUpload(request), TemporaryFileUploadHandler(request)]
