#!/usr/bin/python3
"""
An independent implementation of docs/receipts-and-tickets.md, written from the document alone:
it shares no code with ektp-bridge (no Node, no jose, no canonicalize). It uses Debian's
python3-cryptography for ECDSA P-256 and the standard library for everything else, including its
own RFC 8785 canonical JSON.

    /usr/bin/python3 test/independent/check_vectors.py test/vectors

checks every vector of test/vectors/{jcs,receipts,tickets} and prints one JSON document:
{"checked": N, "failures": [...], "results": [...]}. Exit status 0 when every vector has the
outcome and reason its manifest states, 1 otherwise.
"""
import base64
import hashlib
import json
import math
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

CLOCK_SKEW = 30
MAX_TICKET_LIFETIME = 300
MAX_TICKET_LENGTH = 8192  # characters of the compact JWS (ASCII, so also bytes)
MAX_NONCE_LENGTH = 256  # Unicode code points: Python's len() of a str
GENESIS = "A" * 43


class Refused(Exception):
    def __init__(self, reason, why=""):
        super().__init__(f"{reason}: {why}")
        self.reason = reason


# ---------- RFC 8785 canonical JSON ----------

def jcs_number(x):
    if isinstance(x, int):
        x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError("NaN and Infinity have no JSON form")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + jcs_number(-x)
    r = repr(x)  # shortest round-trip digits
    mant, _, exp = r.partition("e")
    exp = int(exp) if exp else 0
    intpart, _, frac = mant.partition(".")
    digits = intpart + frac
    n = len(intpart) + exp
    while digits.startswith("0"):
        digits = digits[1:]
        n -= 1
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    m = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{m}e{sign}{abs(e)}"


ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def jcs_string(s):
    out = ['"']
    for ch in s:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError("lone surrogate")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jcs(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return jcs_number(v)
    if isinstance(v, str):
        return jcs_string(v)
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v.keys(), key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(jcs_string(k) + ":" + jcs(v[k]) for k in keys) + "}"
    raise ValueError(f"not JSON: {type(v)}")


# ---------- digests ----------

def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def sha256_b64u(b):
    return b64u(hashlib.sha256(b).digest())


def card_digest(card):
    return sha256_b64u(jcs(card).encode("utf-8"))


def jwk_thumbprint(jwk):
    # RFC 7638: required members of an EC key, sorted, no whitespace
    text = '{"crv":"%s","kty":"EC","x":"%s","y":"%s"}' % (jwk["crv"], jwk["x"], jwk["y"])
    return sha256_b64u(text.encode("ascii"))


def public_key(jwk):
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("not a P-256 key")
    x = int.from_bytes(b64u_decode(jwk["x"]), "big")
    y = int.from_bytes(b64u_decode(jwk["y"]), "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


# ---------- JWS ES256 compact ----------

B64U_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def json_object(part, what):
    # strict UTF-8 (latin-1 bytes are refused, not repaired); a BOM is not JSON; NaN and Infinity,
    # which Python's json would take, are not JSON either
    try:
        v = json.loads(b64u_decode(part).decode("utf-8"), parse_constant=no_constant)
    except Exception:
        raise Refused("MALFORMED", f"{what} is not JSON")
    if not isinstance(v, dict):
        raise Refused("MALFORMED", f"{what} is not an object")
    return v


def verify_es256(token, jwks, max_length=None):
    if not isinstance(token, str):
        raise Refused("MALFORMED", "not a string")
    if max_length is not None and len(token) > max_length:
        raise Refused("MALFORMED", f"longer than {max_length} characters")
    parts = token.split(".")
    if len(parts) != 3 or any(not p or not set(p) <= B64U_CHARS for p in parts):
        raise Refused("MALFORMED", "not three base64url parts")
    header = json_object(parts[0], "header")
    if header.get("alg") != "ES256":
        raise Refused("ALG_NOT_ES256", repr(header.get("alg")))
    if "crit" in header:
        raise Refused("MALFORMED", "crit")
    sig = b64u_decode(parts[2])
    signing_input = (parts[0] + "." + parts[1]).encode("ascii")
    ok = False
    if len(sig) == 64:  # JWS ES256 is r||s, 32 bytes each; DER or anything else is wrong
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        for jwk in jwks:
            try:
                public_key(jwk).verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
                ok = True
                break
            except InvalidSignature:
                continue
    if not ok:
        raise Refused("BAD_SIGNATURE", "")
    return header, json_object(parts[1], "payload")


# ---------- receipts ----------

B64_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def image_digest(text):
    # the image is RFC 4648 section 4 base64 exactly as the daemon writes it: standard alphabet, `=`
    # padding, nothing else; any other text (base64url, unpadded, line breaks) binds no image
    body = text.rstrip("=")
    if len(text) % 4 or len(text) - len(body) > 2 or not set(body) <= B64_CHARS:
        return None
    data = base64.b64decode(text, validate=True)
    if base64.b64encode(data).decode("ascii") != text:  # non-zero bits after the last byte
        return None
    return sha256_b64u(data)


def check_receipt(jws, device_jwk, now, card=None, image=None, nonce=None, candidates=None):
    header, c = verify_es256(jws, [device_jwk])
    device_id = jwk_thumbprint(device_jwk)
    if not (isinstance(c.get("iss"), str) and isinstance(c.get("iat"), (int, float)) and not isinstance(c.get("iat"), bool)
            and isinstance(c.get("prev"), str) and isinstance(c.get("op"), str) and isinstance(c.get("origin"), str)):
        raise Refused("MISSING_CLAIM", "iss, iat, prev, op, origin")
    if c["iss"] != device_id:
        raise Refused("WRONG_ISSUER", "iss")
    if "kid" in header and header["kid"] != device_id:
        raise Refused("WRONG_ISSUER", "kid")
    if c["iat"] > now + CLOCK_SKEW:
        raise Refused("IAT_IN_FUTURE", "")
    if nonce is not None and c.get("nonce") != nonce:
        raise Refused("NONCE_MISMATCH", "")
    if card is not None and c.get("cardDigest") != card_digest(card):
        raise Refused("CARD_DIGEST_MISMATCH", "")
    if image is not None and (image_digest(image) is None or c.get("imageDigest") != image_digest(image)):
        raise Refused("IMAGE_DIGEST_MISMATCH", "")
    if candidates is not None and c.get("candidatesDigest") != sha256_b64u(jcs(candidates).encode("utf-8")):
        raise Refused("CANDIDATES_DIGEST_MISMATCH", "")
    return c


def run_receipt_vector(path, device_jwk, now):
    v = json.load(open(path, encoding="utf-8"))
    expected_prev = GENESIS if v.get("fromGenesis") else None
    for i, e in enumerate(v["entries"]):
        try:
            c = check_receipt(e["jws"], device_jwk, now, e.get("card"), e.get("image"), e.get("nonce"),
                              e.get("candidates"))
            if expected_prev is not None and c["prev"] != expected_prev:
                raise Refused("CHAIN_BROKEN", "prev")
        except Refused as r:
            return {"expect": "invalid", "reason": r.reason, "index": i}
        expected_prev = sha256_b64u(e["jws"].encode("ascii"))
    return {"expect": "valid"}


# ---------- tickets ----------

def check_ticket(token, backend_jwks, ctx, seen):
    _, c = verify_es256(token, backend_jwks, MAX_TICKET_LENGTH)
    for name in ("aud", "origin", "op", "nonce"):
        if not isinstance(c.get(name), str) or c[name] == "":
            raise Refused("MISSING_CLAIM", name)
    if len(c["nonce"]) > MAX_NONCE_LENGTH or any(0xD800 <= ord(ch) <= 0xDFFF for ch in c["nonce"]):
        raise Refused("MISSING_CLAIM", "nonce: more than 256 code points, or a lone surrogate")
    for name in ("iat", "exp"):
        if not isinstance(c.get(name), (int, float)) or isinstance(c.get(name), bool) or not math.isfinite(c[name]):
            raise Refused("MISSING_CLAIM", name)
    if not isinstance(c.get("scope"), list) or not all(isinstance(s, str) for s in c["scope"]):
        raise Refused("MISSING_CLAIM", "scope")
    if c["aud"] != ctx["deviceId"] and c["aud"] != "*":
        raise Refused("WRONG_AUDIENCE", "")
    if c["origin"] != ctx["origin"]:
        raise Refused("WRONG_ORIGIN", "")
    if c["op"] != ctx["op"]:
        raise Refused("WRONG_OP", "")
    if c["exp"] <= c["iat"] or c["exp"] - c["iat"] > MAX_TICKET_LIFETIME:
        raise Refused("LIFETIME_TOO_LONG", "")
    now = ctx["now"]
    if c["exp"] + CLOCK_SKEW <= now:
        raise Refused("EXPIRED", "")
    if c["iat"] - CLOCK_SKEW > now:
        raise Refused("NOT_YET_VALID", "")
    if c["nonce"] in seen:
        raise Refused("NONCE_REPLAYED", "")
    seen.add(c["nonce"])
    return c


def run_ticket_vector(path, backend_jwk, ctx):
    tickets = json.load(open(path, encoding="utf-8"))["tickets"]
    seen = set()
    try:
        for t in tickets[:-1]:
            check_ticket(t, [backend_jwk], ctx, seen)
    except Refused as r:
        return {"expect": "setup-failed", "reason": r.reason}
    try:
        check_ticket(tickets[-1], [backend_jwk], ctx, seen)
        return {"expect": "valid"}
    except Refused as r:
        return {"expect": "invalid", "reason": r.reason}


# ---------- main ----------

def main(root):
    results, failures = [], []

    def record(name, got, want):
        entry = {"vector": name, "got": got, "want": want}
        results.append(entry)
        if got != want:
            failures.append(entry)

    jcs_vectors = json.load(open(os.path.join(root, "jcs/rfc8785.json"), encoding="utf-8"))
    for n in jcs_vectors["numbers"]:
        x = struct.unpack(">d", bytes.fromhex(n["bits"]))[0]
        try:
            got = jcs_number(x)
        except ValueError:
            got = None
        record(f"jcs number {n['bits']}", got, n["canonical"])
    for d in jcs_vectors["documents"]:
        record(f"jcs {d['name']}", jcs(json.loads(d["input"])), d["canonical"])

    keys = json.load(open(os.path.join(root, "keys.json"), encoding="utf-8"))["keys"]
    device_jwk = keys["device"]["publicJwk"]
    manifest = json.load(open(os.path.join(root, "receipts/manifest.json"), encoding="utf-8"))
    for vec in manifest["vectors"]:
        want = {"expect": "valid"} if vec["expect"] == "valid" else {
            "expect": "invalid", "reason": vec["reason"], "index": vec["index"]}
        got = run_receipt_vector(os.path.join(root, "receipts", vec["file"]), device_jwk, manifest["now"])
        record("receipts/" + vec["file"], got, want)

    manifest = json.load(open(os.path.join(root, "tickets/manifest.json"), encoding="utf-8"))
    for vec in manifest["vectors"]:
        want = {"expect": "valid"} if vec["expect"] == "valid" else {"expect": "invalid", "reason": vec["reason"]}
        got = run_ticket_vector(os.path.join(root, "tickets", vec["file"]), keys["backend"]["publicJwk"],
                                manifest["context"])
        record("tickets/" + vec["file"], got, want)

    print(json.dumps({"checked": len(results), "failures": failures, "results": results}, indent=1))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "test/vectors"))
