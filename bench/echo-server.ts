/**
 * The baseline for bench/messaging.ts: a bare socket.io server that acks every message with
 * no work at all. Run as its own process (like the Parley server) so both are measured alike;
 * prints `listening <port>` and exits when its parent closes stdin.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.of('/echo').on('connection', (socket) => {
  socket.on('message:send', (payload: unknown, ack: unknown) => {
    if (typeof ack === 'function') ack({ ok: true, payload });
  });
});
http.listen(0, '127.0.0.1', () => {
  const addr = http.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
// the bench owns this process: when it goes away (or closes stdin), so do we
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
