// bench:webhooks' receiver, in a worker thread of its own: answering a thousand deliveries a second
// in the bench's event loop delayed the API clients' own responses there, and their latency counted
// the receiver's queue. It still runs on the same cores (its CPU is the machine's, as a receiver's
// would be on one box). Counts distinct deliveries of backlog messages; while held, keeps every
// answer back until released. Messages from the bench: {hold}, {release}, {count}, {until: n},
// {received}, {close}; it answers {port}, {count: n}, {received: n} (every delivery), {reached: n}, {closed}.
import http from 'node:http';
import { parentPort } from 'node:worker_threads';

const seen = new Set();
let received = 0;
const waiting = [];
let held = false;
let target = Infinity;
const reached = () => {
  if (seen.size < target) return;
  parentPort.postMessage({ reached: target });
  target = Infinity;
};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received++;
    // the API load's own messages are delivered too; only the backlog's are counted
    if (JSON.parse(Buffer.concat(chunks).toString()).content?.startsWith('backlog ')) {
      seen.add(req.headers['webhook-id']);
      reached();
    }
    if (held) waiting.push(res);
    else res.writeHead(200).end();
  });
});
parentPort.on('message', (message) => {
  if (message.hold) held = true;
  else if (message.release) {
    held = false;
    for (const res of waiting.splice(0)) res.writeHead(200).end();
  } else if (message.count) parentPort.postMessage({ count: seen.size });
  else if (message.received) parentPort.postMessage({ received });
  else if (message.until !== undefined) {
    target = message.until;
    reached();
  } else if (message.close) {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ closed: true }));
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
