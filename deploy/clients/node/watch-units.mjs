#!/usr/bin/env node
// Prints unit state changes from a running mesh's TCP bridge, each validated against the shipped
// schema.  usage: node watch-units.mjs PORT SCHEMA_DIR [--once]
//   PORT: the mesh's bridge.port; SCHEMA_DIR: a folder with index.json (e.g. hostmesh.jar's
//   /schemas/ unpacked).  Prints "ready" once registered; with --once exits 0 after the first
//   valid message, 1 on an invalid one.  Every failure is one line on stderr and an exit code:
//   64 usage, 66 no schemas, 69 no bridge at PORT, 76 PORT is not the bridge (e.g. the API port).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bridge, BridgeError, EX_NOINPUT, EX_USAGE } from './bridge.mjs';
import { validate } from './schema.mjs';

function fail(message, code) {
  console.error(`watch-units: ${message}`);
  process.exit(code);
}

async function main() {
  const [portArg, dir, once] = [process.argv[2], process.argv[3], process.argv.includes('--once')];
  const port = Number(portArg);
  if (!/^\d+$/.test(portArg ?? '') || port < 1 || port > 65535 || !dir) {
    fail('usage: node watch-units.mjs PORT SCHEMA_DIR [--once]  (PORT: bridge.port of hostmesh.json, 1-65535)', EX_USAGE);
  }
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile)) {
    fail(`no ${indexFile}: unpack the schemas first (unzip -o -q hostmesh.jar 'schemas/*' -d DIR; SCHEMA_DIR is DIR/schemas)`,
      EX_NOINPUT);
  }
  const index = JSON.parse(readFileSync(indexFile, 'utf8'));
  const address = 'unit.bridge.state-changes';
  const topic = index.topics.find((t) => t.address === address);
  if (!topic || !topic.schema) {
    fail(`no schema for ${address} in ${indexFile}`, EX_NOINPUT);
  }
  const schema = JSON.parse(readFileSync(join(dir, topic.schema), 'utf8'));
  const bridge = await Bridge.connect(port);
  bridge.on('bridge-error', (m) => fail(`bridge error: ${m}`, 1));
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
  // from here on a lost connection is the mesh going away
  bridge.on('error', (e) => fail(e.message, e.exitCode ?? 69));
  bridge.on('close', () => fail(`the bridge at 127.0.0.1:${port} closed the connection (the mesh stopped?)`, 69));
  console.log('ready');
}

main().catch((e) => fail(e instanceof BridgeError ? e.message : `unexpected error: ${e.message}`,
  e instanceof BridgeError ? e.exitCode : 70));
