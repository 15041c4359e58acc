#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/).

Each seed is one settings byte (see the targets' headers) and a byte stream:
the example frames of PROTOCOL.md section 11, every message type, edge
lengths and the malformed payloads the protocol names. Run it again after a
protocol change; the files it writes are committed.

Usage: tests/fuzz/make_corpus.py [OUTPUT_DIR]   (default: tests/fuzz/corpus)
"""
import os
import struct
import sys


# --- a small CBOR encoder (RFC 8949), definite lengths unless asked ---------

def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(v):
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return head(3, len(b)) + b
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    if isinstance(v, Raw):
        return v.data
    raise TypeError(v)


class Raw:
    def __init__(self, data):
        self.data = data


def msg(t, **keys):
    return cbor({"t": t, **keys})


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


# --- the messages -----------------------------------------------------------

TS = 1700000000000

CLIENT_TO_SERVER = [
    msg("hello", v=1, nick="alice"),
    msg("hello", v=1, nick="小明", app="synack-fuzz", **{"pass": "s3cret"}),
    msg("say", text="你好", id=7),
    msg("say", text="psst", to="good", id=8),
    msg("say", text="to myself", to="fz"),
    msg("nick", nick="zoë"),
    msg("who"),
    msg("ping", seq=1, ts=TS),
    msg("pong", seq=1, ts=TS),
    msg("bye", reason="quit", text="see you"),
]

SERVER_TO_CLIENT = [
    msg("welcome", v=1, nick="alice", server="lab", session=1, hb=5000, timeout=15000,
        max_frame=65536, max_text=8192, users=["alice", "bob"], motd="be nice"),
    msg("msg", seq=1, **{"from": "alice"}, text="hi", ts=TS, id=3),
    msg("msg", **{"from": "alice"}, text="private", ts=TS, to="bob"),
    msg("msg", seq=2, **{"from": "bob"}, text="old", ts=TS, backlog=True),
    msg("join", nick="bob", ts=TS),
    msg("leave", nick="bob", ts=TS, reason="timeout"),
    msg("rename", **{"from": "bob", "to": "robert"}, ts=TS),
    msg("users", users=["alice", "robert"]),
    msg("error", code="text-size", text="too long", fatal=False, id=3),
    msg("error", code="frame-size", text="bad length", fatal=True),
]

DISCOVERY = [
    msg("discover", v=1),
    msg("here", v=1, name="lab", port=9527, users=3, **{"pass": False}),
]

# Payloads each receiver must refuse, from PROTOCOL.md sections 3 and 8.
MALFORMED = [
    bytes.fromhex("ff"),                                   # break at top level
    bytes.fromhex("1c"),                                   # reserved byte
    b"hello world",                                        # not CBOR
    bytes.fromhex("817461"),                               # an array, truncated
    bytes.fromhex("a161746377686f00"),                     # trailing byte
    bytes.fromhex("a2617463776f"),                         # truncated map
    bytes.fromhex("a2617463736179647465787462c328"),     # bad UTF-8
    bytes.fromhex("a2617463736179647465787463eda080"),     # UTF-8 surrogate
    bytes.fromhex("a261746377686f617463776f"),             # duplicate key, truncated
    bytes.fromhex("a2617463776f6f617463776f6f"),           # duplicate key
    bytes.fromhex("a1617401"),                             # t not text
    bytes.fromhex("a0"),                                   # t missing
    bytes.fromhex("bf61746377686fff"),                     # indefinite map: who
    bytes.fromhex("bf61746373617964746578747f626869626869ffff"),  # chunked text
    msg("say", text=Raw(bytes.fromhex("fb3ff0000000000000"))),   # float text
    msg("ping", seq=Raw(bytes.fromhex("c11a6553f100")), ts=TS),   # tagged seq
    msg("ping", seq=1, ts=Raw(bytes.fromhex("1bffffffffffffffff"))),  # ts > int64
    msg("ping", seq=1, ts=Raw(bytes.fromhex("3b7fffffffffffffff"))),  # int64 min
    msg("say", text="x", id=Raw(bytes.fromhex("3a00000001"))),   # negative id
    msg("hello", v=2, nick="alice"),
    msg("hello", v=1, nick=""),
    msg("hello", v=1, nick="a" * 33),
    msg("hello", v=1, nick="bad nick!"),
    msg("say", text=""),
    msg("say", text="x" * 8193),
    msg("nonsense", x=1),
    cbor({"t": "say", "text": "hi", 1: [1, {"a": b"\x00"}], "extra": Raw(b"\xf6")}),
    head(5, 1) + cbor("t") + b"\x81" * 20 + b"\x01",      # deep arrays
    cbor({"t": "who", "n": Raw(b"\xa1\x61a" * 17 + b"\x01")}),        # deep maps
]


def edge_length_streams():
    hello = frame(CLIENT_TO_SERVER[0])
    return [
        bytes(4),                                  # length 0
        bytes.fromhex("ffffffff"),                 # 4 GiB
        bytes.fromhex("80000000"),                 # 2 GiB
        bytes.fromhex("00010000") + bytes(16),     # exactly 64 KiB announced
        bytes.fromhex("00010001") + bytes(16),     # max_frame + 1
        bytes.fromhex("000000"),                   # a partial header
        bytes.fromhex("00000001"),                 # a header alone
        bytes.fromhex("0000000100"),               # one byte: the integer 0
        hello + bytes.fromhex("ffffffff"),         # good frame then a bad length
        hello[:10],                                # a frame cut short
        hello * 3,                                 # frames glued together
    ]


EXAMPLES = [  # PROTOCOL.md section 11, length prefix included
    "00 00 00 17 a3 61 74 65 68 65 6c 6c 6f 61 76 01 64 6e 69 63 6b 65 61 6c 69 63 65",
    "00 00 00 17 a3 61 74 63 73 61 79 64 74 65 78 74 66 e4 bd a0 e5 a5 bd 62 69 64 07",
    "00 00 00 19 a3 61 74 64 70 69 6e 67 63 73 65 71 01 62 74 73 1b 00 00 01 8b cf e5 68 00",
]


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    examples = [bytes.fromhex(e.replace(" ", "")) for e in EXAMPLES]

    # fuzz_protocol: settings = chunk (bits 0-3) | max frame index << 4
    proto = os.path.join(root, "protocol")
    n = 0
    for i, ex in enumerate(examples):
        write(proto, f"example-{i}", b"\x60" + ex)            # 64 KiB, all at once
        write(proto, f"example-{i}-bytewise", b"\x61" + ex)   # one byte at a time
    for group, payloads in (("c2s", CLIENT_TO_SERVER), ("s2c", SERVER_TO_CLIENT),
                            ("disc", DISCOVERY), ("bad", MALFORMED)):
        for i, p in enumerate(payloads):
            write(proto, f"{group}-{i}", b"\x60" + frame(p))
            n += 1
    for i, s in enumerate(edge_length_streams()):
        write(proto, f"length-{i}", b"\x53" + s)               # max 64, 3-byte chunks
        write(proto, f"length-{i}-server", b"\x60" + s)
    everything = b"".join(frame(p) for p in CLIENT_TO_SERVER + SERVER_TO_CLIENT + DISCOVERY)
    write(proto, "stream-all-types", b"\x67" + everything)
    write(proto, "stream-small-max", b"\x25" + everything)      # max 64: fails midway

    # fuzz_session: bit 0 pre-registers; bits 1-3 the write size; bit 4 FIN
    sess = os.path.join(root, "session")
    hello, say, private, self_say, nick, who, ping, pong, bye = (
        frame(p) for p in CLIENT_TO_SERVER[:1] + CLIENT_TO_SERVER[2:])
    write(sess, "example-hello", b"\x00" + examples[0])
    write(sess, "example-hello-say-ping", b"\x04" + b"".join(examples))  # 3-byte writes
    write(sess, "session-chat", b"\x00" + hello + say + private + self_say + nick + who + ping
          + pong + bye)
    write(sess, "registered-chat", b"\x01" + say + private + nick + who + ping + pong)
    write(sess, "registered-bye-fin", b"\x11" + say + bye)
    write(sess, "hello-twice", b"\x00" + hello + hello)
    write(sess, "nick-taken", b"\x00" + frame(msg("hello", v=1, nick="GOOD")))
    write(sess, "before-hello", b"\x00" + say)
    write(sess, "flood", b"\x01" + frame(msg("say", text="flood", id=1)) * 60)
    write(sess, "who-flood", b"\x01" + who * 45)
    write(sess, "long-text", b"\x0b" + frame(msg("say", text="x" * 8192, id=2))
          + frame(msg("say", text="y" * 8193, id=3)))
    write(sess, "unknown-user", b"\x01" + frame(msg("say", text="hi", to="nobody", id=4)))
    write(sess, "unknown-type", b"\x01" + frame(msg("dance", style="waltz")) + who)
    for i, p in enumerate(MALFORMED):
        write(sess, f"bad-{i}", bytes([i & 1]) + frame(p))
    for i, s in enumerate(edge_length_streams()):
        write(sess, f"length-{i}", bytes([i & 1]) + s)
    write(sess, "server-messages", b"\x01" + b"".join(frame(p) for p in SERVER_TO_CLIENT))


if __name__ == "__main__":
    main()
