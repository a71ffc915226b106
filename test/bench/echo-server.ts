// The transport's limit: a bare socket.io server that acknowledges every message at once, nothing stored.
// Used as the baseline of answer-save-throughput. Prints "READY <port>".
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
io.on('connection', (socket) => {
  socket.on('answer:save', (_payload: unknown, ack: (a: unknown) => void) => {
    if (typeof ack === 'function') ack({ ok: true, data: { applied: true } });
  });
});
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
});
