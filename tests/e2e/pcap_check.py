#!/usr/bin/env python3
"""Checks a pcap file skboutput() wrote (tests/e2e/skboutput.test): the header (magic,
version, link type) and that every record is whole; prints what it found, one fact per
line, for the case's EXPECT lines. With --payload, reports the first record whose data
holds it: its length fields and where the IPv4 header and the payload start."""
import argparse
import struct
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--payload", default="")
    args = parser.parse_args()
    data = open(args.path, "rb").read()
    if len(data) < 24:
        print(f"short file: {len(data)} bytes")
        return 1
    magic, major, minor, _zone, _sigfigs, snaplen, linktype = struct.unpack("<IHHiIII", data[:24])
    print(f"magic 0x{magic:08x}")
    print(f"version {major}.{minor} snaplen {snaplen} linktype {linktype}")
    offset, records, found, first = 24, 0, None, ""
    while offset + 16 <= len(data):
        sec, nsec, incl, orig = struct.unpack("<IIII", data[offset:offset + 16])
        body = data[offset + 16:offset + 16 + incl]
        if len(body) != incl or nsec >= 1_000_000_000 or orig < incl:
            print(f"bad record {records} at {offset}")
            return 1
        if records == 0:
            first = f"first record: incl {incl} orig {orig}"
        if args.payload and found is None and args.payload.encode() in body:
            found = (sec, incl, orig, body)
        offset += 16 + incl
        records += 1
    print("whole" if offset == len(data) else f"trailing bytes at {offset}")
    print(first if records else "no records")
    if found:
        sec, incl, orig, body = found
        print(f"payload found: incl {incl} orig {orig}")
        print(f"ip version {body[0] >> 4}, payload at {body.find(args.payload.encode())}")
        # The wall-clock time of the packet, not the time since boot.
        print("timestamp " + ("recent" if sec > 1_600_000_000 else f"wrong {sec}"))
    elif args.payload:
        print("payload not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
