import type { ProviderMessage } from './transport.js';
import type { TwilioConfig } from './twilio-config.js';

interface TwilioListPage {
  messages?: {
    sid: string;
    to: string;
    from: string | null;
    messaging_service_sid: string | null;
    direction?: string;
    body: string;
    status: string;
    date_created: string | null;
  }[];
}

/**
 * Twilio's Messages list since a day (`DateSent>=YYYY-MM-DD`, GMT), newest first, for one recipient
 * (`To`) or for the whole account, over fetch so Node and Workers read it the same way. One page of
 * 1,000 is more than a person is ever sent; the account's newest `pageSize` are enough to see
 * whether a database is behind.
 */
export async function listTwilioMessages(cfg: TwilioConfig, query: { to?: string; since: number; pageSize?: number }): Promise<ProviderMessage[]> {
  const base = (cfg.apiBaseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const params = new URLSearchParams({ 'DateSent>': new Date(query.since).toISOString().slice(0, 10), PageSize: String(query.pageSize ?? 1000) });
  if (query.to) params.set('To', query.to);
  const res = await fetch(`${base}/2010-04-01/Accounts/${cfg.accountSid}/Messages.json?${params}`, {
    headers: { authorization: `Basic ${btoa(`${cfg.accountSid}:${cfg.authToken}`)}` },
    signal: AbortSignal.timeout(cfg.timeoutMs ?? 15_000),
  });
  if (!res.ok) throw new Error(`Twilio's message log answered ${res.status}`);
  const page = (await res.json()) as TwilioListPage;
  return (page.messages ?? []).map((m) => ({
    sid: m.sid,
    to: m.to,
    from: m.from,
    messagingServiceSid: m.messaging_service_sid,
    direction: m.direction,
    body: m.body,
    status: m.status,
    createdAt: m.date_created ? Date.parse(m.date_created) : 0,
  }));
}

/**
 * What both Twilio transports (the SDK's on Node, fetch on Workers) read of the account, over the
 * same fetch: a number's texts since a moment, the account's newest texts, and our own sender.
 */
export class TwilioAccountLog {
  constructor(protected readonly cfg: TwilioConfig) {}

  findSent(query: { to: string; since: number }) {
    return listTwilioMessages(this.cfg, query);
  }

  recentSent(query: { since: number; pageSize: number }) {
    return listTwilioMessages(this.cfg, query);
  }

  get defaultSender() {
    return { from: this.cfg.from ?? null, messagingServiceSid: this.cfg.messagingServiceSid ?? null };
  }
}
