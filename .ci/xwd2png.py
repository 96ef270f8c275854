#!/usr/bin/env python3
"""Convert an X window dump (xwd, ZPixmap, 32 bits a pixel) to PNG with the standard library
only, and fail if the picture is blank: usage xwd2png.py IN.xwd OUT.png [MIN_COLOURS]."""

from __future__ import annotations

import struct
import sys
import zlib


def read_xwd(data: bytes) -> tuple[int, int, list[bytes]]:
    fields = struct.unpack(">25I", data[:100])
    header_size, _version, pixmap_format, depth, width, height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    red_mask, green_mask, blue_mask, ncolours = fields[14], fields[15], fields[16], fields[19]
    if pixmap_format != 2 or bits_per_pixel != 32 or depth < 24:
        raise SystemExit(f"xwd2png: unsupported dump (format {pixmap_format}, {bits_per_pixel} bits)")
    offset = header_size + ncolours * 12
    order = "<" if byte_order == 0 else ">"

    def shift(mask: int) -> int:
        return (mask & -mask).bit_length() - 1

    shifts = [(m, shift(m)) for m in (red_mask, green_mask, blue_mask)]
    rows = []
    for y in range(height):
        start = offset + y * bytes_per_line
        pixels = struct.unpack(f"{order}{width}I", data[start:start + width * 4])
        rows.append(bytes(v for p in pixels for v in ((p & m) >> s for m, s in shifts)))
    return width, height, rows


def write_png(path: str, width: int, height: int, rows: list[bytes]) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\0" + r for r in rows)
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def main() -> int:
    src, dst = sys.argv[1], sys.argv[2]
    least = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    with open(src, "rb") as fh:
        width, height, rows = read_xwd(fh.read())
    write_png(dst, width, height, rows)
    colours = {r[i:i + 3] for r in rows for i in range(0, len(r), 3)}
    print(f"xwd2png: {width}x{height}, {len(colours)} colours -> {dst}")
    if len(colours) < least:
        print(f"xwd2png: the screenshot is blank ({len(colours)} colours)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
