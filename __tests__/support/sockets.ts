/** Unix sockets as entries that are neither a file, a folder nor a link, for local file-system tests. */
import { createServer, type Server } from 'node:net';

export class SocketEntries {
  readonly #servers: Server[] = [];

  /** A listening socket at `socketPath`. */
  async at(socketPath: string): Promise<void> {
    const server = createServer();
    this.#servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  }

  async closeAll(): Promise<void> {
    await Promise.all(
      this.#servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  }
}
