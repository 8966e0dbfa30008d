import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';

/**
 * A stand-in for Slack's Socket Mode endpoint on loopback, beside a FakeSlackApi: that fake's
 * apps.connections.open (called with the app-level xapp- token) hands out a one-use
 * `ws://127.0.0.1:<port>/link/?ticket=…` URL, and a client connecting to it gets Slack's `hello`.
 * Tests push envelopes (`events_api`, `slash_commands`, `interactive`) the way Slack frames them
 * and see the acks (`{envelope_id, payload}`) come back; they can ask the client to reconnect
 * (`disconnect`, reason refresh_requested) or cut the connection without a close frame. An
 * envelope not acknowledged is kept and delivered again on the next connection with
 * `retry_attempt`/`retry_reason`, and one pushed while nobody is connected waits for the next,
 * as Slack holds events for a Socket Mode app between connections. Nothing here knows tutorbot.
 */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1 = the first) carried it. */
  connection: number;
}

interface Pending {
  envelope: Envelope;
  /** Acks for it are "lost in flight": received, recorded in lostAcks, and not counted. */
  loseAck: boolean;
  resolve: (ack: SocketAck) => void;
}

export class FakeSlackSocketMode {
  /** Every ack that reached Slack, in order. */
  readonly acks: SocketAck[] = [];
  /** Acks the test chose to lose (the connection "dropped" before Slack saw them). */
  readonly lostAcks: SocketAck[] = [];
  /** Every envelope sent to a client, redeliveries included. */
  readonly sent: (Envelope & { connection: number })[] = [];
  /** Each connection's reason for closing, as it closed ('client' when the client closed it). */
  readonly closes: { connection: number; code: number; by: 'client' | 'server' }[] = [];
  readonly #api: FakeSlackApi;
  readonly #server: http.Server;
  readonly #wss: WebSocketServer;
  readonly #tickets = new Set<string>();
  readonly #pending = new Map<string, Pending>();
  readonly #connectionWaiters: { count: number; resolve: () => void }[] = [];
  #current: { socket: WebSocket; number: number } | null = null;
  #connections = 0;
  #origin = '';

  constructor(api: FakeSlackApi) {
    this.#api = api;
    this.#server = http.createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
      const ticket = url.searchParams.get('ticket') ?? '';
      // A URL from apps.connections.open works once, like Slack's.
      if (url.pathname !== '/link/' || !this.#tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#origin = `ws://127.0.0.1:${port}`;
    this.#api.connectionsOpen = () => {
      const ticket = randomUUID();
      this.#tickets.add(ticket);
      return { ok: true, url: `${this.#origin}/link/?ticket=${ticket}&app_id=A0TUTORBOT` };
    };
  }

  async close(): Promise<void> {
    this.#api.connectionsOpen = null;
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Connections opened so far (each after an apps.connections.open). */
  get connections(): number {
    return this.#connections;
  }

  get connected(): boolean {
    return this.#current !== null;
  }

  /** Envelopes sent or waiting that no ack has reached yet. */
  get unacknowledged(): Envelope[] {
    return [...this.#pending.values()].map((pending) => pending.envelope);
  }

  /** Resolves once `count` connections in all have been opened and greeted. */
  connection(count = this.#connections + 1): Promise<void> {
    if (this.#connections >= count && this.#current) return Promise.resolve();
    return new Promise((resolve) => this.#connectionWaiters.push({ count, resolve }));
  }

  /**
   * Sends an envelope now (or on the next connection, if none is open). `acked` resolves with the
   * ack that reaches Slack; with `loseAck` the client's acks are received but dropped, so the
   * envelope stays due for redelivery.
   */
  push(type: EnvelopeType, payload: Record<string, unknown>, options: { loseAck?: boolean } = {}): { envelopeId: string; acked: Promise<SocketAck> } {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      // Slack lets commands and interactions answer in the ack; events carry nothing back.
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    let resolve: (ack: SocketAck) => void = () => {};
    const acked = new Promise<SocketAck>((done) => {
      resolve = done;
    });
    this.#pending.set(envelope.envelope_id, { envelope, loseAck: options.loseAck ?? false, resolve });
    if (this.#current) this.#send(envelope);
    return { envelopeId: envelope.envelope_id, acked };
  }

  /** From now on the envelope's acks reach Slack again (a later redelivery can be acknowledged). */
  stopLosingAcks(envelopeId: string): void {
    const pending = this.#pending.get(envelopeId);
    if (pending) pending.loseAck = false;
  }

  /** Slack's polite request to reconnect: the client should close and open a fresh connection. */
  requestRefresh(reason = 'refresh_requested'): void {
    this.#current?.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
  }

  /** The connection vanishes: no close frame, the TCP connection is simply destroyed. */
  drop(): void {
    const current = this.#current;
    if (!current) return;
    this.#current = null;
    this.closes.push({ connection: current.number, code: 1006, by: 'server' });
    current.socket.terminate();
  }

  #accept(socket: WebSocket): void {
    // A new connection replaces the old one, as Slack routes to the newest.
    const number = ++this.#connections;
    this.#current = { socket, number };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!message.envelope_id) return;
      const ack: SocketAck = { envelope_id: message.envelope_id, ...(message.payload ? { payload: message.payload } : {}), connection: number };
      const pending = this.#pending.get(message.envelope_id);
      if (pending?.loseAck) {
        this.lostAcks.push(ack);
        return;
      }
      this.acks.push(ack);
      if (pending) {
        this.#pending.delete(message.envelope_id);
        pending.resolve(ack);
      }
    });
    socket.on('close', (code) => {
      if (this.#current?.socket === socket) {
        this.#current = null;
        this.closes.push({ connection: number, code, by: 'client' });
      }
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0TUTORBOT' },
      }),
    );
    // Whatever was not acknowledged goes again, marked as a retry; whatever waited goes now.
    for (const pending of this.#pending.values()) {
      const wasSent = this.sent.some((sent) => sent.envelope_id === pending.envelope.envelope_id);
      if (wasSent) {
        pending.envelope.retry_attempt = (pending.envelope.retry_attempt ?? 0) + 1;
        pending.envelope.retry_reason = 'timeout';
      }
      this.#send(pending.envelope);
    }
    for (const waiter of [...this.#connectionWaiters]) {
      if (this.#connections < waiter.count) continue;
      this.#connectionWaiters.splice(this.#connectionWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  #send(envelope: Envelope): void {
    if (!this.#current) return;
    this.sent.push({ ...envelope, connection: this.#current.number });
    this.#current.socket.send(JSON.stringify(envelope));
  }
}
