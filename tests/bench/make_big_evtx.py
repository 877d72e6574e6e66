#!/usr/bin/env python3
"""Builds one large, valid .evtx file from the chunks of real samples, for the memory and throughput figures.

Usage: make_big_evtx.py OUT SIZE_MIB SAMPLE.evtx...

Each sample's chunks whose magic and header CRC are right are taken in order and repeated until the file holds
SIZE_MIB of chunks; the file header is the first sample's with the chunk count, last chunk number and header CRC
rewritten, and the dirty flag cleared, so a reader trusting the header reads every chunk. Chunks are
self-contained (strings and templates are chunk-relative), so a copied chunk reads as it did in its own file;
record ids repeat between copies, which no reader is asked to mind here.
"""
import struct
import sys
import zlib

HEADER = 4096
CHUNK = 65536


def good_chunks(path):
    with open(path, 'rb') as f:
        data = f.read()
    out = []
    for off in range(HEADER, len(data) - CHUNK + 1, CHUNK):
        chunk = data[off:off + CHUNK]
        if chunk[:8] != b'ElfChnk\0':
            continue
        crc = zlib.crc32(chunk[0:120] + chunk[128:512]) & 0xffffffff
        if struct.unpack_from('<I', chunk, 124)[0] == crc:
            out.append(chunk)
    return data[:HEADER], out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out_path, size_mib, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    wanted = size_mib * 1024 * 1024 // CHUNK
    if not 1 <= wanted <= 0xffff:
        sys.exit(f'make_big_evtx: {size_mib} MiB is {wanted} chunks; the header counts 1 to 65535')
    header = None
    chunks = []
    for sample in samples:
        h, c = good_chunks(sample)
        if header is None and h[:8] == b'ElfFile\0':
            header = bytearray(h)
        chunks.extend(c)
    if header is None or not chunks:
        sys.exit('make_big_evtx: no sample with a valid file header and chunks')
    struct.pack_into('<Q', header, 8, 0)             # first chunk number
    struct.pack_into('<Q', header, 16, wanted - 1)   # last chunk number
    struct.pack_into('<H', header, 42, wanted)       # number of chunks
    flags = struct.unpack_from('<I', header, 120)[0]
    struct.pack_into('<I', header, 120, flags & ~0x1)  # not dirty
    struct.pack_into('<I', header, 124, zlib.crc32(bytes(header[:120])) & 0xffffffff)
    with open(out_path, 'wb') as f:
        f.write(header)
        for i in range(wanted):
            f.write(chunks[i % len(chunks)])
    print(f'{out_path}: {wanted} chunks from {len(chunks)} distinct ones, {(HEADER + wanted * CHUNK) / 1048576:.0f} MiB')


if __name__ == '__main__':
    main()
