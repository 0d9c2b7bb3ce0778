"""Prints the fraction of pixels of a PNG that are not white (8-bit RGB or RGBA, not interlaced),
so a test can tell a drawn screenshot from a blank one. Standard library only."""
import struct
import sys
import zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, channels = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        assert depth == 8 and interlace == 0 and color in (2, 6), f"unsupported PNG: depth {depth}, color {color}"
        channels = 3 if color == 2 else 4
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
raw, stride = zlib.decompress(idat), width * channels
previous, ink = bytearray(stride), 0
for row in range(height):
    start = row * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up, corner = previous[i], previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    ink += sum(1 for x in range(0, stride, channels) if min(line[x:x + 3]) < 240)
    previous = line
print(ink / (width * height))
