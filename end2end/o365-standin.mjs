// A stand-in for Microsoft's sign-in and Graph mail endpoints, for the browser tests: it answers
// the client-credentials token request, creates and "sends" messages, and lists what it received
// at GET /__received so a test can check exactly what Lanes sent. A message whose subject
// contains "[graph-error]" is refused the way Graph refuses bad recipients.
// Usage: node end2end/o365-standin.mjs <port>
import http from 'node:http';

const port = Number(process.argv[2] ?? 9123);
const received = [];
let messages = 0;

function reply(res, status, body) {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url, 'http://stand-in').pathname;
      if (req.method === 'GET' && path === '/__received') return reply(res, 200, received);
      if (req.method === 'GET' && path === '/health') return reply(res, 200, { status: 'ok' });
      let body = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // form bodies stay text
      }
      received.push({ method: req.method, path, authorization: req.headers.authorization ?? null, body });
      if (req.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(path)) {
        return reply(res, 200, { token_type: 'Bearer', expires_in: 3599, access_token: 'e2e-graph-token' });
      }
      if (req.method === 'POST' && /\/users\/[^/]+\/messages$/.test(path)) {
        if (String(body?.subject ?? '').includes('[graph-error]')) {
          return reply(res, 400, { error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' } });
        }
        messages += 1;
        return reply(res, 201, { id: `E2E-MESSAGE-${messages}`, subject: body?.subject });
      }
      if (req.method === 'POST' && /\/messages\/[^/]+\/send$/.test(path)) return reply(res, 202);
      if (req.method === 'DELETE') return reply(res, 204);
      return reply(res, 404, { error: { code: 'NotFound', message: `no stand-in for ${req.method} ${path}` } });
    });
  })
  .listen(port, '127.0.0.1');
