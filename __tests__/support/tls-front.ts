/**
 * A TLS front on loopback for the certificate and proxy tests: it ends TLS with one of the committed
 * test certificates (__tests__/fixtures/tls) and passes the bytes on to a plain HTTP server, such as
 * the fake Dropbox, so that a client meets a real certificate check on the way.
 */
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import path from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { repoRoot } from '../../scripts/action-runner.ts';

export const tlsFixtures = path.join(repoRoot, '__tests__', 'fixtures', 'tls');
/** The test CA: give it to a child process as NODE_EXTRA_CA_CERTS to trust `server.pem`. */
export const testCaFile = path.join(tlsFixtures, 'ca.pem');

const read = (name: string): string => readFileSync(path.join(tlsFixtures, name), 'utf8');

/**
 * Which certificate the front presents:
 * - `ca-signed`: server.pem alone, issued by the test CA (unknown to Node unless trusted), for
 *   `localhost` and `fake-dropbox.test`;
 * - `ca-signed-with-root`: the same with the test CA in the chain, as TLS-inspecting proxies send it;
 * - `self-signed`: a self-signed leaf for the same names.
 */
export type FrontCertificate = 'ca-signed' | 'ca-signed-with-root' | 'self-signed';

export class TlsFront {
  /** TLS handshakes begun: connections that reached the front. */
  connections = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket | TLSSocket>();
  #port = 0;

  private constructor(certificate: FrontCertificate, backendPort: number) {
    const leaf = certificate === 'self-signed' ? 'self-signed' : 'server';
    const cert = read(`${leaf}.pem`) + (certificate === 'ca-signed-with-root' ? read('ca.pem') : '');
    this.#server = createServer({ cert, key: read(`${leaf}.key`) }, (secure) => {
      this.#track(secure);
      const backend = netConnect(backendPort, '127.0.0.1');
      this.#track(backend);
      secure.pipe(backend).pipe(secure);
      secure.on('error', () => backend.destroy());
      backend.on('error', () => secure.destroy());
    });
    this.#server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.#track(socket);
    });
    // A client that rejects the certificate hangs up mid-handshake: expected here.
    this.#server.on('tlsClientError', () => undefined);
  }

  /** Starts a front for the plain HTTP server on `backendPort` (127.0.0.1). */
  static async start(certificate: FrontCertificate, backendPort: number): Promise<TlsFront> {
    const front = new TlsFront(certificate, backendPort);
    await new Promise<void>((resolve, reject) => {
      front.#server.once('error', reject);
      front.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = front.#server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected TLS front address');
    front.#port = address.port;
    return front;
  }

  get port(): number {
    return this.#port;
  }

  /** `https://<host>:PORT`; `localhost` and `fake-dropbox.test` match the certificates, `127.0.0.1` does not. */
  url(host = 'localhost'): string {
    return `https://${host}:${this.#port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #track(socket: Socket | TLSSocket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }
}
