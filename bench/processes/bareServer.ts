// Bench child: the machine's own limit — a bare node:http server answering every request
// with a fixed body of the same size and content type as the lab's token response.
import { createServer } from 'node:http';

const body = Buffer.from(process.argv[2] ?? '', 'base64');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` }) + '\n');
});
