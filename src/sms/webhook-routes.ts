import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { AppError } from '../lib/errors.js';
import { handleStatusCallback } from './twilio/delivery-status.js';
import { handleInbound } from './replies/inbound.js';
import { validTwilioSignature } from './twilio/twilio-signature.js';

async function signedForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const token = c.var.config.twilioAuthToken;
  if (!token) throw new AppError('forbidden', 'Twilio is not configured on this server');
  const body = await c.req.parseBody();
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v;
  const url = new URL(c.req.url);
  // Twilio signs the public URL it called, which is ours behind any proxy.
  const signedUrl = `${c.var.config.publicBaseUrl}${url.pathname}${url.search}`;
  if (!(await validTwilioSignature(token, signedUrl, params, c.req.header('x-twilio-signature')))) {
    throw new AppError('forbidden', 'Twilio signature does not match');
  }
  return params;
}

/** `/webhooks/twilio/*`: replies from patients and delivery reports, both signature-checked. */
export const webhookRoutes = new Hono<AppEnv>()
  .post('/inbound', async (c) => {
    const p = await signedForm(c);
    if (!p.From || !p.MessageSid) throw new AppError('invalid_input', 'From and MessageSid are required');
    await handleInbound(c.var.db, c.var.templates, c.var.clock.now().getTime(), {
      from: p.From,
      to: p.To ?? '',
      body: p.Body ?? '',
      sid: p.MessageSid,
      optOutType: p.OptOutType,
    });
    // Empty TwiML: any reply we owe goes through the outbox, never inline.
    return c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, { 'Content-Type': 'text/xml' });
  })
  .post('/status', async (c) => {
    const p = await signedForm(c);
    if (!p.MessageSid || !p.MessageStatus) throw new AppError('invalid_input', 'MessageSid and MessageStatus are required');
    await handleStatusCallback(c.var.db, c.var.clock.now().getTime(), p.MessageSid, p.MessageStatus, p.ErrorCode);
    return c.body(null, 204);
  });
