// An independent verifier of a cadre-rules journal, in JavaScript (Node.js >= 16, no packages).
//
//   cadre-rules journal export cases.journal --format chain -o chain.json
//   node docs/examples/verify-journal.mjs chain.json [--public-key HEX]... [--checkpoint FILE]...
//
// It re-implements what docs/journal.md publishes, and nothing of the Python library:
//   - each entry's stored `content` text must be its own RFC 8785 (JCS) form (so no duplicate member,
//     no other spelling of the same value);
//   - hash = SHA-256(UTF-8(JCS({case, content, event, kind, prev, recorded, rulebook, seq}))), with the
//     stored content text put in verbatim; `prev` is the previous entry's hash (64 zeros first);
//   - the sequence runs 1, 2, 3 … and the head record is "SEQ:HASH" of the last entry;
//   - each signed checkpoint verifies (Ed25519 over JCS of its body, with the key in it, which must
//     be one of --public-key when given) and names an entry the chain holds, with the same hash.
// Exit status: 0 intact, 1 tampered (the first problem is printed), 2 unusable input.
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";

// RFC 8785: JSON.stringify already writes strings and numbers as JCS wants; members are sorted by
// UTF-16 code units, which is what JavaScript's default string comparison does.
function jcs(value) {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("a number that is not finite");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return "[" + value.map(jcs).join(",") + "]";
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + jcs(value[k])).join(",") + "}";
}

const sha256 = (text) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
const GENESIS = "0".repeat(64);

function publicKey(hex) {
  // The SubjectPublicKeyInfo DER of an Ed25519 key is a fixed 12-byte prefix and the raw 32 bytes.
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(hex, "hex")]);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

function main(argv) {
  const trusted = [];
  const extra = [];
  let file = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--public-key") trusted.push(String(argv[++i]).toLowerCase());
    else if (argv[i] === "--checkpoint") extra.push(...readFileSync(argv[++i], "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)));
    else file = argv[i];
  }
  if (!file) {
    console.error("usage: verify-journal.mjs CHAIN.json [--public-key HEX] [--checkpoint FILE]");
    return 2;
  }
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`${file}: not a chain export (${err.message})`);
    return 2;
  }
  if (doc.format !== "cadre-rules-journal-chain/1" || !Array.isArray(doc.entries)) {
    console.error(`${file}: not a cadre-rules-journal-chain/1 document`);
    return 2;
  }
  if (doc.jcs_from !== 1) {
    console.error(`${file}: entries before ${doc.jcs_from} use the older Python-only hashing; this verifier checks JCS journals`);
    return 2;
  }
  const fail = (seq, message) => {
    console.log(`tampered: entry ${seq}: ${message}`);
    return 1;
  };
  const hashes = new Map();
  let prev = GENESIS;
  let expected = 1;
  for (const e of doc.entries) {
    if (e.seq !== expected) return fail(e.seq, `sequence number ${e.seq} where ${expected} was expected`);
    let content;
    try {
      content = JSON.parse(e.content);
    } catch (err) {
      return fail(e.seq, `content is not JSON (${err.message})`);
    }
    if (jcs(content) !== e.content) return fail(e.seq, "the stored content is not in its canonical (RFC 8785) form");
    if (e.prev !== prev) return fail(e.seq, "its previous hash does not match the entry before it");
    const body = "{" + [
      ["case", jcs(e.case)], ["content", e.content], ["event", jcs(e.event)], ["kind", jcs(e.kind)],
      ["prev", jcs(e.prev)], ["recorded", jcs(e.recorded)], ["rulebook", jcs(e.rulebook)], ["seq", jcs(e.seq)],
    ].map(([k, v]) => `"${k}":${v}`).join(",") + "}";
    if (sha256(body) !== e.hash) return fail(e.seq, "its content does not match its hash (altered)");
    hashes.set(e.seq, e.hash);
    prev = e.hash;
    expected++;
  }
  const count = expected - 1;
  const head = count ? `${count}:${prev}` : null;
  if ((doc.head ?? null) !== head) return fail(count, `the head record ${doc.head} does not match the last entry`);
  const checkpoints = [...(doc.checkpoints || []), ...extra];
  const keys = new Set();
  for (const c of checkpoints) {
    const body = c.checkpoint;
    let ok = false;
    try {
      ok = verify(null, Buffer.from(jcs(body), "utf8"), publicKey(body.key), Buffer.from(c.signature, "base64"));
    } catch (err) {
      ok = false;
    }
    if (!ok) return fail(body.seq, "a checkpoint's signature does not verify");
    if (trusted.length && !trusted.includes(body.key)) return fail(body.seq, `checkpoint signed by an untrusted key ${body.key}`);
    if (body.journal !== doc.journal) return fail(body.seq, "a checkpoint of another journal");
    if (!hashes.has(body.seq)) return fail(body.seq, `a checkpoint signs entry ${body.seq}, but the journal has ${count}`);
    if (hashes.get(body.seq) !== body.hash) return fail(body.seq, "the signed hash differs: the journal was rewritten");
    keys.add(body.key);
  }
  console.log(`intact: ${count} entries; head ${head}; ${checkpoints.length} signed checkpoints (${[...keys].join(", ")})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
