#!/usr/bin/env node
// Prints unit state changes from a running mesh's TCP bridge, each validated against the shipped
// schema.  usage: node watch-units.mjs PORT SCHEMA_DIR [--once]
//   PORT: the mesh's bridge.port; SCHEMA_DIR: a folder with index.json (e.g. hostmesh.jar's
//   /schemas/ unpacked).  Prints "ready" once registered; with --once exits 0 after the first
//   valid message, 1 on an invalid one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bridge } from './bridge.mjs';
import { validate } from './schema.mjs';

const [port, dir, once] = [Number(process.argv[2]), process.argv[3], process.argv.includes('--once')];
if (!Number.isInteger(port) || !dir) {
  console.error('usage: node watch-units.mjs PORT SCHEMA_DIR [--once]');
  process.exit(2);
}
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const address = 'unit.bridge.state-changes';
const topic = index.topics.find((t) => t.address === address);
if (!topic || !topic.schema) {
  console.error(`no schema for ${address} in ${dir}/index.json`);
  process.exit(2);
}
const schema = JSON.parse(readFileSync(join(dir, topic.schema), 'utf8'));
const bridge = await Bridge.connect(port);
bridge.on('bridge-error', (m) => { console.error(`bridge error: ${m}`); process.exit(1); });
bridge.on('error', (e) => { console.error(`bridge: ${e.message}`); process.exit(1); });
bridge.on('message', (addr, body) => {
  const errors = validate(schema, body);
  if (errors.length) {
    console.log(`invalid ${JSON.stringify(body)}: ${errors.join('; ')}`);
    process.exit(1);
  }
  console.log(`valid ${topic.type} ${JSON.stringify(body)}`);
  if (once) { bridge.close(); process.exit(0); }
});
bridge.register(address);
await bridge.ping();
console.log('ready');
