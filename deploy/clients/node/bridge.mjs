// hostmesh TCP event-bus bridge client, Node.js standard library only.
// Framing (Vert.x TCP bridge): 4-byte big-endian length, then a UTF-8 JSON frame.
import net from 'node:net';
import { EventEmitter } from 'node:events';

export class Bridge extends EventEmitter {
  constructor(socket) {
    super();
    this.socket = socket;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (buf.length < 4 + len) break;
        const frame = JSON.parse(buf.subarray(4, 4 + len).toString('utf8'));
        buf = buf.subarray(4 + len);
        this.emit('frame', frame);
        if (frame.type === 'message') this.emit('message', frame.address, frame.body, frame);
        if (frame.type === 'err') this.emit('bridge-error', frame.message, frame);
      }
    });
    socket.on('error', (e) => this.emit('error', e));
    socket.on('close', () => this.emit('close'));
  }

  static connect(port, host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new Bridge(s)));
      s.once('error', reject);
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
  ping() {
    return new Promise((resolve) => {
      const on = (f) => {
        if (f.type === 'pong') {
          this.off('frame', on);
          resolve();
        }
      };
      this.on('frame', on);
      this.send({ type: 'ping' });
    });
  }

  close() {
    this.socket.end();
  }
}
