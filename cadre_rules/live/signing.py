"""Signed checkpoints of a journal: Ed25519 signatures over its head, with a key kept outside it.

Why: a hash chain alone proves only that the entries fit together. Whoever can write the file can
cut its tail and update the head, rewrite history recomputing every hash, or put back an older copy.
A checkpoint is a statement "journal J had N entries and entry N had hash H", signed with a private
key the writer of the file does not hold (or that is kept off the machine). Any checkpoint made after
a change catches it: its entry is missing, or has another hash. Kept outside the file (exported), it
also catches a rollback of the whole file, which takes the checkpoints inside it back too.

A checkpoint is the JSON document

    {"checkpoint": {"format": "cadre-rules-checkpoint/1", "journal": ID, "seq": N, "hash": H,
                    "signed": ISO-TIME, "key": HEX-PUBLIC-KEY},
     "signature": BASE64(Ed25519(private key, UTF-8(JCS(checkpoint))))}

JCS is RFC 8785 (cadre_rules/live/canonical.py); the key is the raw 32-byte Ed25519 public key in
hex. Signatures are made and checked by the `cryptography` package.
"""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from cadre_rules.errors import CanonicalError, Said, SigningError, os_reason
from cadre_rules.live.canonical import jcs, strict_loads

CHECKPOINT_FORMAT = "cadre-rules-checkpoint/1"


def _crypto():
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    return InvalidSignature, serialization, Ed25519PrivateKey, Ed25519PublicKey


def _why(exc: Exception) -> Said:
    """Why a file could not be read, in both languages (the system's reason; a parser's as it said it)."""
    return os_reason(exc) if isinstance(exc, OSError) else Said(str(exc), str(exc))


def _raw_public(public: Any) -> str:
    _, serialization, _, _ = _crypto()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


class Signer:
    """An Ed25519 private key that signs journal heads. Keep its file away from the journal."""

    def __init__(self, private_key: Any) -> None:
        self._key = private_key
        self.public_hex = _raw_public(private_key.public_key())

    @classmethod
    def generate(cls) -> "Signer":
        _, _, Ed25519PrivateKey, _ = _crypto()
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_file(cls, path: str | Path) -> "Signer":
        _, serialization, Ed25519PrivateKey, _ = _crypto()
        try:
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise SigningError(f"{path}: cannot read an Ed25519 private key ({exc})",
                               zh=f"{path}：无法读取 Ed25519 私钥（{_why(exc).zh}）") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningError(f"{path}: not an Ed25519 private key", zh=f"{path}：不是 Ed25519 私钥")
        return cls(key)

    def save(self, path: str | Path) -> Path:
        """Write the private key (PEM, PKCS#8, mode 0600) to `path` and the public key to `path`.pub."""
        _, serialization, _, _ = _crypto()
        target = Path(path)
        pem = self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        public = Path(str(target) + ".pub")
        public.write_text(self.public_hex + "\n", encoding="ascii")
        return public

    def sign(self, body: Mapping[str, Any]) -> str:
        return base64.b64encode(self._key.sign(jcs(dict(body)).encode("utf-8"))).decode("ascii")


def read_public_key(text_or_path: str) -> str:
    """A trusted public key: 64 hex digits, or a file holding them (as `journal keygen` writes)."""
    text = text_or_path.strip()
    if len(text) != 64 or any(c not in "0123456789abcdefABCDEF" for c in text):
        try:
            text = Path(text_or_path).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise SigningError(f"{text_or_path}: not a public key (64 hex digits) nor a readable key file ({exc})",
                               zh=f"{text_or_path}：既不是公钥（64 位十六进制数字），也不是可读取的密钥文件（{_why(exc).zh}）"
                               ) from None
    if len(text) != 64 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise SigningError(f"{text_or_path}: a public key is 64 hex digits (the .pub file of `journal keygen`)",
                           zh=f"{text_or_path}：公钥是 64 位十六进制数字（`journal keygen` 写出的 .pub 文件）")
    return text.lower()


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of a journal's head (see the module docstring)."""

    journal: str
    seq: int
    hash: str
    signed: str
    key: str
    signature: str

    def body(self) -> dict[str, Any]:
        return {"format": CHECKPOINT_FORMAT, "journal": self.journal, "seq": self.seq, "hash": self.hash,
                "signed": self.signed, "key": self.key}

    def to_dict(self) -> dict[str, Any]:
        return {"checkpoint": self.body(), "signature": self.signature}

    def to_json(self) -> str:
        return jcs(self.to_dict())

    @classmethod
    def make(cls, signer: Signer, journal: str, seq: int, digest: str, signed: str) -> "Checkpoint":
        body = {"format": CHECKPOINT_FORMAT, "journal": journal, "seq": seq, "hash": digest, "signed": signed,
                "key": signer.public_hex}
        return cls(journal, seq, digest, signed, signer.public_hex, signer.sign(body))

    @classmethod
    def from_json(cls, text: str, where: str | Said = "checkpoint") -> "Checkpoint":
        try:
            data = strict_loads(text)
        except CanonicalError as exc:
            named = Said.of(where)
            raise SigningError(f"{named.en}: {exc}", zh=f"{named.zh}：{exc}") from None
        return cls.from_dict(data, where)

    @classmethod
    def from_dict(cls, data: Any, where: str | Said = "checkpoint") -> "Checkpoint":
        body = data.get("checkpoint") if isinstance(data, dict) else None
        if (not isinstance(body, dict) or set(data) != {"checkpoint", "signature"}
                or set(body) != {"format", "journal", "seq", "hash", "signed", "key"}
                or body.get("format") != CHECKPOINT_FORMAT or not isinstance(body.get("seq"), int)
                or not all(isinstance(body.get(k), str) for k in ("journal", "hash", "signed", "key"))
                or not isinstance(data.get("signature"), str)):
            named = Said.of(where)
            raise SigningError(f"{named.en}: not a {CHECKPOINT_FORMAT} document",
                               zh=f"{named.zh}：不是 {CHECKPOINT_FORMAT} 文档")
        return cls(body["journal"], body["seq"], body["hash"], body["signed"], body["key"], data["signature"])

    def signature_ok(self) -> bool:
        """Whether the signature is the embedded key's over this body (trust in the key is checked apart)."""
        InvalidSignature, _, _, Ed25519PublicKey = _crypto()
        try:
            public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.key))
            public.verify(base64.b64decode(self.signature, validate=True), jcs(self.body()).encode("utf-8"))
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True


def load_checkpoints(path: str | Path) -> list[Checkpoint]:
    """Checkpoints from a file: one JSON document, a JSON list, or one document per line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningError(f"{path}: cannot read ({exc})", zh=f"{path}：无法读取（{_why(exc).zh}）") from None
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = strict_loads(stripped)
        except CanonicalError as exc:
            raise SigningError(f"{path}: {exc}", zh=f"{path}：{exc}") from None
        return [Checkpoint.from_dict(item, f"{path}[{i}]") for i, item in enumerate(items)]
    return [Checkpoint.from_json(line, f"{path}:{n}") for n, line in enumerate(text.splitlines(), 1) if line.strip()]


__all__ = ["CHECKPOINT_FORMAT", "Checkpoint", "Signer", "SigningError", "load_checkpoints", "read_public_key"]
