/** Workers bundles templates/sms/*.txt as text modules (wrangler.toml [[rules]] type = "Text"). */
declare module '*.txt' {
  const text: string;
  export default text;
}
