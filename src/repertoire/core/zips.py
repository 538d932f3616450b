"""What a zip file (an XLSX workbook) declares, checked before anything is uncompressed:
a small file that expands to hundreds of megabytes (a decompression bomb) is refused on
its directory, without reading a byte of its members."""

from __future__ import annotations

import io
import zipfile

from repertoire.core.limits import (
    XLSX_MAX_RATIO,
    XLSX_MAX_UNCOMPRESSED_BYTES,
    XLSX_RATIO_FROM_BYTES,
)

MEGABYTE = 2**20


def check_zip(
    content: bytes,
    *,
    max_total: int = XLSX_MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = XLSX_MAX_RATIO,
    ratio_from: int = XLSX_RATIO_FROM_BYTES,
) -> None:
    """Raise ValueError (a French message) when the zip's members declare more than
    ``max_total`` bytes once uncompressed, or when a member over ``ratio_from`` bytes
    expands more than ``max_ratio`` times. A file that is no zip is left to its reader."""
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the workbook reader says it is unreadable
    total = 0
    for member in members:
        total += member.file_size
        if total > max_total:
            raise ValueError(
                f"{total // MEGABYTE} Mo une fois décompressé, {max_total // MEGABYTE} Mo au plus"
            )
        if member.file_size > ratio_from and (
            member.file_size > max_ratio * max(member.compress_size, 1)
        ):
            raise ValueError(
                f"la partie « {member.filename[:80]} » se décompresse "
                f"{member.file_size // max(member.compress_size, 1)} fois "
                f"({member.file_size // MEGABYTE} Mo) : ce n'est pas un classeur ordinaire"
            )
