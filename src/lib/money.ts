/** "£1.23", "US$0.139": an amount in its currency, as a UK reader writes it. */
export function money(amount: number, currency: string, digits = 2): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
}

/**
 * What one outbound SMS segment to a UK mobile costs on Twilio's UK price list, in pounds: this is
 * a UK service, billed in GBP. SMS_SEGMENT_PRICE and SMS_PRICE_CURRENCY change it when Twilio does.
 */
export const DEFAULT_SMS_PRICE = { perSegment: 0.04, currency: 'GBP' };
