#!/usr/bin/env python3
"""A minimal RDP client for the end-to-end tests: X.224 Connection Request with RDP_NEG_REQ, then a TLS
handshake when the server selects TLS. Enough to make xrdp run its per-connection certificate and key
checks (and log them). Prints the selected protocol or the failure code. Not the product's probe."""
import socket
import ssl
import struct
import sys

host, port = sys.argv[1], int(sys.argv[2])
requested = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0x3  # SSL|HYBRID

with socket.create_connection((host, port), timeout=5) as sock:
    neg_req = struct.pack('<BBHI', 0x01, 0x00, 8, requested)
    x224 = bytes([len(neg_req) + 6, 0xE0, 0, 0, 0, 0, 0]) + neg_req
    sock.sendall(struct.pack('>BBH', 3, 0, len(x224) + 4) + x224)
    reply = sock.recv(64)
    if len(reply) < 11:
        print('closed' if not reply else 'short-reply')
        sys.exit(0)
    if len(reply) >= 19 and reply[11] == 0x02:
        selected = struct.unpack('<I', reply[15:19])[0]
        print('selected=%d' % selected)
        if selected in (1, 2, 8):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            try:
                with ctx.wrap_socket(sock, server_hostname=None) as tls:
                    print('tls=%s' % tls.version())
            except (ssl.SSLError, OSError) as e:
                print('tls-failed=%s' % type(e).__name__)
    elif len(reply) >= 19 and reply[11] == 0x03:
        print('failure=%d' % struct.unpack('<I', reply[15:19])[0])
    else:
        print('legacy')
