// hostmesh TCP event-bus bridge client, Node.js standard library only.
// Framing (Vert.x TCP bridge): 4-byte big-endian length, then a UTF-8 JSON frame.
import net from 'node:net';
import { EventEmitter } from 'node:events';

// sysexits.h, as the hostmesh command uses them (README.md, "Exit codes")
export const EX_USAGE = 64;
export const EX_NOINPUT = 66;
export const EX_UNAVAILABLE = 69;
export const EX_PROTOCOL = 76;

// A failure worth one line and an exit code, never a stack trace.
export class BridgeError extends Error {
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

// A bridge frame is a small JSON object; a "length" this large is another protocol talking.
const MAX_FRAME = 16 * 1024 * 1024;

export class Bridge extends EventEmitter {
  constructor(socket, where) {
    super();
    this.socket = socket;
    this.where = where;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        if (buf.subarray(0, 4).toString('latin1') === 'HTTP') {
          return this.fail(`${where} answered HTTP, not the event-bus bridge: that is an HTTP port (the API?); `
            + 'give the bridge.port of hostmesh.json');
        }
        const len = buf.readUInt32BE(0);
        if (len > MAX_FRAME) {
          return this.fail(`${where} does not speak the event-bus bridge protocol (a frame of ${len} bytes): `
            + 'is it the bridge.port of hostmesh.json?');
        }
        if (buf.length < 4 + len) break;
        let frame;
        try {
          frame = JSON.parse(buf.subarray(4, 4 + len).toString('utf8'));
        } catch (e) {
          return this.fail(`${where} sent a frame that is not JSON: is it the bridge.port of hostmesh.json?`);
        }
        buf = buf.subarray(4 + len);
        this.emit('frame', frame);
        if (frame.type === 'message') this.emit('message', frame.address, frame.body, frame);
        if (frame.type === 'err') this.emit('bridge-error', frame.message, frame);
      }
    });
    socket.on('error', (e) => this.fail(`connection to ${where} failed: ${e.message}`, EX_UNAVAILABLE));
    socket.on('close', () => this.emit('close'));
  }

  fail(message, exitCode = EX_PROTOCOL) {
    this.socket.destroy();
    this.emit('error', new BridgeError(message, exitCode));
  }

  // Resolves once connected; rejects with a BridgeError naming the address and the likely fix.
  static connect(port, host = '127.0.0.1', timeoutMs = 5000) {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      let s;
      try {
        s = net.connect({ port, host });
      } catch (e) {
        reject(new BridgeError(`cannot connect to ${where}: ${e.message}`, EX_USAGE));
        return;
      }
      const timer = setTimeout(() => {
        s.destroy();
        reject(new BridgeError(`no answer from ${where} within ${timeoutMs / 1000} s: is the mesh running?`, EX_UNAVAILABLE));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(new Bridge(s, where));
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(new BridgeError(e.code === 'ECONNREFUSED'
          ? `no hostmesh bridge on ${where} (connection refused): is the mesh running, with bridge.port set in hostmesh.json?`
          : `cannot connect to ${where}: ${e.message}`, EX_UNAVAILABLE));
      });
    });
  }

  send(frame) {
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(json.length, 0);
    this.socket.write(Buffer.concat([head, json]));
  }

  register(address) {
    this.send({ type: 'register', address });
  }

  // Frames are handled in order, so the pong proves every earlier frame (a register) was seen.
  // Rejects when the other end is not the bridge: it answers otherwise, closes, or stays silent.
  ping(timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.off('frame', on);
        this.off('error', failed);
        this.off('close', closed);
      };
      const on = (f) => {
        if (f.type === 'pong') {
          done();
          resolve();
        }
      };
      const failed = (e) => {
        done();
        reject(e);
      };
      const closed = () => failed(new BridgeError(`${this.where} closed the connection without answering as the`
        + ' event-bus bridge: is it the bridge.port of hostmesh.json?', EX_PROTOCOL));
      const timer = setTimeout(() => failed(new BridgeError(`${this.where} did not answer as the event-bus bridge`
        + ` within ${timeoutMs / 1000} s: is it the bridge.port of hostmesh.json?`, EX_PROTOCOL)), timeoutMs);
      this.on('frame', on);
      this.on('error', failed);
      this.on('close', closed);
      this.send({ type: 'ping' });
    });
  }

  close() {
    this.socket.end();
  }
}
