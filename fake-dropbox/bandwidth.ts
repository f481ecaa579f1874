import type { Socket } from 'node:net';
import { sleep } from './sleep.ts';

/** The largest piece one reader may take per turn, so readers with big chunks cannot crowd out the others. */
const TURN_BYTES = 64 * 1024;
/**
 * Time the shared cap may fall behind its schedule and then catch up: timers fire late, and without this
 * credit every late wake-up would be lost and the pipe would run below its cap. Also the burst it allows
 * after being idle.
 */
const CATCH_UP_MS = 20;
/**
 * The same for one connection within one request body. It can be larger: a connection's schedule starts
 * afresh with each request, so this covers only late wake-ups (under load, one timer can be tens of ms
 * late), never time the connection spent idle between requests.
 */
const BODY_CATCH_UP_MS = 200;
/** A reader runs at most this far ahead of its schedule before it waits. */
const MIN_WAIT_MS = 8;

/**
 * A pipe of `bytesPerSecond`: each reservation gets the next slot on its schedule (virtual time), so readers
 * that reserve turn by turn share it first come, first served — fairly, since each takes one turn at a time.
 */
export class BandwidthCap {
  readonly #msPerByte: number;
  #nextFree = 0;

  constructor(bytesPerSecond: number) {
    this.#msPerByte = 1000 / bytesPerSecond;
  }

  /** Books `bytes` on the schedule and returns when (ms since the epoch) they have passed. */
  reserve(bytes: number, now: number, catchUpMs = CATCH_UP_MS): number {
    const start = Math.max(this.#nextFree, now - catchUpMs);
    this.#nextFree = start + bytes * this.#msPerByte;
    return this.#nextFree;
  }

  /** Starts the schedule afresh at `now`: no credit for the time the pipe stood idle. */
  restart(now: number): void {
    this.#nextFree = Math.max(this.#nextFree, now);
  }
}

/** The caps of one server: one per TCP connection (made on first use) and one shared by all connections. */
export class BandwidthCaps {
  readonly #perConnection: number;
  readonly #global: BandwidthCap | undefined;
  readonly #connections = new WeakMap<Socket, BandwidthCap>();

  /** 0 or Infinity turns a cap off. */
  constructor(options: { connectionBytesPerSecond: number; globalBytesPerSecond: number }) {
    this.#perConnection = capped(options.connectionBytesPerSecond) ? options.connectionBytesPerSecond : 0;
    this.#global = capped(options.globalBytesPerSecond)
      ? new BandwidthCap(options.globalBytesPerSecond)
      : undefined;
  }

  get active(): boolean {
    return this.#perConnection > 0 || this.#global !== undefined;
  }

  #connectionCap(socket: Socket): BandwidthCap | undefined {
    if (this.#perConnection <= 0) return undefined;
    let cap = this.#connections.get(socket);
    if (cap === undefined) {
      cap = new BandwidthCap(this.#perConnection);
      this.#connections.set(socket, cap);
    }
    return cap;
  }

  /**
   * A body as it may pass through the caps: a request body as it arrives, or a download body as it is
   * written. Each chunk is let through only once both caps have room for it; meanwhile nothing more is
   * read, so the socket stops reading and TCP flow control slows the sender — a streaming client really is
   * held to the cap. A download body is written no faster, so a client cannot receive it faster either.
   */
  async *throttle(body: AsyncIterable<Buffer>, socket: Socket, signal: AbortSignal): AsyncGenerator<Buffer> {
    const connection = this.#connectionCap(socket);
    connection?.restart(Date.now());
    for await (const chunk of body) {
      for (let offset = 0; offset < chunk.length; offset += TURN_BYTES) {
        const piece = chunk.subarray(offset, offset + TURN_BYTES);
        const now = Date.now();
        // Pipes in tandem: the shared pipe is booked from when the piece leaves this connection's own,
        // so a connection held back by its own cap does not also hold a slot of the shared one meanwhile.
        const leavesConnection = connection?.reserve(piece.length, now, BODY_CATCH_UP_MS) ?? now;
        const through = Math.max(
          leavesConnection,
          this.#global?.reserve(piece.length, leavesConnection) ?? 0,
        );
        // Short waits are left to accumulate (the schedule keeps count): fewer timers, less server overhead.
        if (through - now >= MIN_WAIT_MS) await sleep(through - now, signal);
        yield piece;
      }
    }
  }
}

function capped(bytesPerSecond: number): boolean {
  return bytesPerSecond > 0 && Number.isFinite(bytesPerSecond);
}
