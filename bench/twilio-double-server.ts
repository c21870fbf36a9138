import { TwilioDouble } from '../test/helpers/twilio-double.js';

/**
 * The Twilio double in a process of its own (on a core of its own when the bench pins it), so a
 * measure of sending is not sharing the thread with the API it sends to. Prints its port, how many
 * texts it has accepted whenever that changes (at most twice a second), and the count on SIGTERM.
 */
const double = await new TwilioDouble().start();
console.log(JSON.stringify({ port: Number(new URL(double.baseUrl).port) }));
let told = 0;
setInterval(() => {
  if (double.accepted.length === told) return;
  told = double.accepted.length;
  console.log(JSON.stringify({ accepted: told }));
}, 500).unref();
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ accepted: double.accepted.length }));
  void double.stop().then(() => process.exit(0));
});
