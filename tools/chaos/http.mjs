// One HTTP request on a connection of its own, never thrown: what the fault test's client and
// probe send.
import { request } from 'node:http';

/**
 * One request on a connection of its own. nginx closes idle keep-alive connections from clients
 * when it reloads (each `restart`), and a request sent on one at that instant is never read
 * (see cluster-tool.e2e-spec.ts); such a "no answer" would be nginx's reload, not a cut request.
 * With a connection per request, every "no answer" counted here is a request that was cut.
 */
export function send(url, { method, headers, body, timeoutMs }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: { ...headers, ...(payload && { 'content-length': payload.length }) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', () => resolve({ status: 0, headers: {}, text: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve({ status: 0, headers: {}, text: '' }));
    req.end(payload);
  });
}
