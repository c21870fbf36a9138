/** "£1.23", "US$0.139": an amount in its currency, as a UK reader writes it. */
export function money(amount: number, currency: string, digits = 2): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
}
