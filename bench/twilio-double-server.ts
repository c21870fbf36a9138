import { TwilioDouble } from '../test/helpers/twilio-double.js';

/**
 * The Twilio double in a process of its own (on a core of its own when the bench pins it), so a
 * measure of sending is not sharing the thread with the API it sends to. Prints its port, and on
 * SIGTERM how many texts it accepted.
 */
const double = await new TwilioDouble().start();
console.log(JSON.stringify({ port: Number(new URL(double.baseUrl).port) }));
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ accepted: double.accepted.length }));
  void double.stop().then(() => process.exit(0));
});
