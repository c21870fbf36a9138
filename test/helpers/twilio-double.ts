import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'error'; status: number; code: number; message?: string; retryAfter?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'die' }
  /** Takes the message, then drops the connection before answering: the sender cannot know it went. */
  | { kind: 'lose-answer' };

export interface ReceivedSms {
  sid: string;
  dateCreated: Date;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
}

/**
 * A local stand-in for Twilio's Messages API: form-encoded POST
 * /2010-04-01/Accounts/{Sid}/Messages.json with basic auth, answering Twilio's JSON and error
 * bodies. Tests script failures, delays and dropped connections per request.
 */
export class TwilioDouble {
  readonly accepted: ReceivedSms[] = [];
  requests = 0;
  /** Requests for the Messages list, answered or not. */
  listRequests = 0;
  /** While set, the Messages list answers this status (Twilio's 500 or 503) instead of the list. */
  listFailsWith: number | null = null;
  private script: Behaviour[] = [];
  private fallback: Behaviour = { kind: 'ok' };
  private server?: http.Server;
  private n = 0;
  /** Twilio's clock; tests that travel in time set it to theirs. */
  now: () => Date = () => new Date();
  // Real SIDs never repeat, even across restarts of the double.
  private readonly sidPrefix = Math.random().toString(16).slice(2, 10).padEnd(8, '0');

  constructor(
    readonly accountSid = 'AC00000000000000000000000000000001',
    readonly authToken = 'double-auth-token',
  ) {}

  /** The next requests behave like this, in order; then `always`. */
  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** From now on every request behaves like this (anything still scripted is dropped). */
  always(b: Behaviour): this {
    this.fallback = b;
    this.script = [];
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** A server's Twilio settings pointing at this double (Node's environment or wrangler's vars). */
  get env() {
    return this.envFor(this.baseUrl);
  }

  /** The same settings for a double answering at `baseUrl` (one started in another process). */
  envFor(baseUrl: string) {
    return { TWILIO_ACCOUNT_SID: this.accountSid, TWILIO_AUTH_TOKEN: this.authToken, TWILIO_FROM: '+447700900999', TWILIO_API_BASE_URL: baseUrl };
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /**
   * Twilio's Messages list: `To` and `DateSent>=YYYY-MM-DD` (GMT day, or an ISO date-time as the SDK
   * sends it) filter; newest first; one page with Twilio's paging fields.
   */
  private list(res: http.ServerResponse, q: URLSearchParams) {
    const to = q.get('To');
    const since = q.get('DateSent>');
    const from = since ? Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since) : 0;
    const day = (d: Date) => Date.parse(d.toISOString().slice(0, 10));
    const messages = this.accepted
      .filter((m) => (!to || m.to === to) && day(m.dateCreated) >= (since && since.length === 10 ? from : day(new Date(from))))
      .reverse()
      .map((m) => ({
        account_sid: this.accountSid,
        body: m.body,
        date_created: m.dateCreated.toUTCString(),
        date_sent: m.dateCreated.toUTCString(),
        direction: 'outbound-api',
        from: m.from ?? null,
        messaging_service_sid: m.messagingServiceSid ?? null,
        sid: m.sid,
        status: 'delivered',
        to: m.to,
      }));
    this.json(res, 200, {
      messages,
      page: 0,
      page_size: Number(q.get('PageSize') ?? 50),
      first_page_uri: '',
      next_page_uri: null,
      previous_page_uri: null,
      uri: '',
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      this.requests++;
      const url = new URL(req.url ?? '/', 'http://double');
      const m = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if ((req.method !== 'POST' && req.method !== 'GET') || !m)
        return this.json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected || m[1] !== this.accountSid) {
        return this.json(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      }
      if (req.method === 'GET') {
        this.listRequests++;
        if (this.listFailsWith !== null)
          return this.json(res, this.listFailsWith, { code: 20500, message: 'Internal Server Error', status: this.listFailsWith });
        return this.list(res, url.searchParams);
      }
      const form = new URLSearchParams(raw);
      const b = this.script.shift() ?? this.fallback;
      if (b.kind === 'die') return req.socket.destroy();
      if (b.kind === 'hang') return;
      if (b.kind === 'delay') await new Promise((r) => setTimeout(r, b.ms));
      if (b.kind === 'error') {
        return this.json(
          res,
          b.status,
          { code: b.code, message: b.message ?? `Error ${b.code}`, more_info: `https://www.twilio.com/docs/errors/${b.code}`, status: b.status },
          b.retryAfter !== undefined ? { 'retry-after': String(b.retryAfter) } : {},
        );
      }
      const to = form.get('To');
      if (!to || !form.get('Body') || (!form.get('From') && !form.get('MessagingServiceSid'))) {
        return this.json(res, 400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
      }
      const sid = `SM${this.sidPrefix}${String(++this.n).padStart(24, '0')}`;
      const sms: ReceivedSms = {
        sid,
        dateCreated: this.now(),
        to,
        from: form.get('From') ?? undefined,
        messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
        body: form.get('Body')!,
        statusCallback: form.get('StatusCallback') ?? undefined,
      };
      this.accepted.push(sms);
      if (b.kind === 'lose-answer') return req.socket.destroy();
      this.json(res, 201, {
        account_sid: this.accountSid,
        api_version: '2010-04-01',
        body: sms.body,
        date_created: sms.dateCreated.toUTCString(),
        direction: 'outbound-api',
        from: sms.from ?? null,
        messaging_service_sid: sms.messagingServiceSid ?? null,
        num_segments: '1',
        sid,
        status: 'queued',
        to,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      });
    });
  }
}

/** A started double that keeps the test's clock, with the fetch transport pointed at it (stop it after the test). */
export async function twilioOnClock(clock: { now(): Date }) {
  const { FetchTwilioTransport } = await import('../../src/sms/twilio/fetch-twilio-transport.js');
  const d = await new TwilioDouble().start();
  d.now = () => clock.now();
  const sms = new FetchTwilioTransport({ accountSid: d.accountSid, authToken: d.authToken, from: '+447700900999', apiBaseUrl: d.baseUrl, timeoutMs: 2_000 });
  return { d, sms };
}
