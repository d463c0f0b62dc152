// What a Node user would run instead of `proactive validate --ndjson FILE`: ajv 8 (draft 2020-12)
// with ajv-formats, every error collected, on the same schema files proactive compiles.
//
//   node validate.js FILE.ndjson [SCHEMA_DIR]      (SCHEMA_DIR defaults to the repository's schemas/)
//
// Each body's envelope is checked against envelope.json and, when event.name is a known event and
// event.payload an object, the payload against that event's schema (the envelope only says the
// payload is an object: proactive checks it against the named event's schema, and so does this).
// An unknown event name is an error, as in proactive. Prints one line per error,
// `FILE:LINE: error: POINTER: MESSAGE`, like `proactive validate`, and a summary on standard error;
// exits 1 when any body is invalid.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.js FILE.ndjson [SCHEMA_DIR]');
  process.exit(2);
}
const dir = process.argv[3] || path.resolve(__dirname, '..', '..', 'schemas');

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const envelope = ajv.compile(read('envelope.json'));
const events = new Map();
for (const name of fs.readdirSync(dir)) {
  const m = /^(AMAZON\..+)\.json$/.exec(name);
  if (m) events.set(m[1], ajv.compile(read(name)));
}

const text = fs.readFileSync(file, 'utf8');
const out = [];
let pending = 0;
const flush = () => {
  if (out.length) fs.writeSync(1, out.join(''));
  out.length = 0;
  pending = 0;
};
const error = (n, pointer, message) => {
  out.push(`${file}:${n}: error: ${pointer || '(root)'}: ${message}\n`);
  if (++pending >= 4096) flush();
};

let checked = 0;
let invalid = 0;
let start = 0;
for (let n = 1; start <= text.length; n++) {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  start = end + 1;
  if (line.trim() === '') continue;
  checked++;
  let body;
  try {
    body = JSON.parse(line);
  } catch (e) {
    invalid++;
    error(n, '', `invalid JSON: ${e.message}`);
    continue;
  }
  let ok = true;
  if (!envelope(body)) {
    ok = false;
    for (const e of envelope.errors) error(n, e.instancePath, e.message);
  }
  const name = body && body.event && body.event.name;
  if (typeof name === 'string') {
    const payloadSchema = events.get(name);
    const payload = body.event.payload;
    if (!payloadSchema) {
      ok = false;
      error(n, '/event/name', `unknown event \`${name}\``);
    } else if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
      if (!payloadSchema(payload)) {
        ok = false;
        for (const e of payloadSchema.errors) error(n, `/event/payload${e.instancePath}`, e.message);
      }
    }
  }
  if (!ok) invalid++;
}
flush();
console.error(`${checked} request(s) checked: ${checked - invalid} valid, ${invalid} invalid`);
process.exitCode = invalid > 0 ? 1 : 0;
