/**
 * One small stylesheet, inline so a page is one request on a poor signal. High contrast for
 * bright daylight, 48 px tap targets for one thumb, visible focus, nothing by colour alone.
 */
export const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:18px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;background:#fff}
a{color:#0b3d91}
a:focus,button:focus,input:focus,select:focus,textarea:focus,label:focus-within{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:10}
header{background:#0b3d91;color:#fff;padding:8px 12px}
header a{color:#fff}
header a:focus,header button:focus{outline:3px solid #ffdd00;outline-offset:2px}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
header nav a{display:inline-block;padding:8px 0;min-height:44px}
header .who{font-size:15px}
/* On a phone the menu wraps (nothing cut off mid-word); with JavaScript it folds behind a Menu button, as GOV.UK's service navigation does. */
.menu-toggle{display:none}
@media (max-width:40em){header{padding:2px 12px}header nav ul{gap:0 14px}header nav a{padding:6px 0}header nav form.inline button{margin:4px 0;padding:6px 12px}header .who{margin:0 0 4px;font-size:14px;line-height:1.3}header nav.foldable .menu-toggle{display:inline-block;margin:4px 0;min-height:44px;padding:6px 14px;background:#0b3d91;color:#fff;border-color:#fff}header nav.foldable:not(.open) ul{display:none}}
main{max-width:960px;margin:0 auto;padding:12px}
h1{font-size:26px;margin:8px 0 12px}h2{font-size:21px;margin:20px 0 8px}
.notice{border:2px solid #1d6b2f;background:#eaf6ec;padding:8px 12px;margin:8px 0}
.error{border:2px solid #a11;background:#fdecec;padding:8px 12px;margin:8px 0}
.error-summary{border:4px solid #a11;padding:12px 16px;margin:12px 0}
.error-summary h2{margin-top:0}
.error-summary a{color:#a11;font-weight:600}
.field-error{color:#a11;font-weight:600;margin:4px 0}
.warning-banner{border:4px solid #7a2e00;background:#fff4e5;padding:8px 12px;margin:8px 0}
.sms-preview{white-space:pre-wrap;border:2px solid #444;border-radius:12px;padding:10px 12px;background:#f3f3f3;max-width:32em}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select,textarea{font:inherit;padding:10px;border:2px solid #555;border-radius:4px;width:100%;max-width:32rem;min-height:48px;background:#fff;color:#111}
input[type=checkbox],input[type=radio]{width:auto;min-height:auto}
.check{display:flex;gap:8px;align-items:center;font-weight:400}
.check input{width:24px;height:24px}
button,.button{font:inherit;font-weight:600;display:inline-block;min-height:48px;padding:10px 18px;border:2px solid #0b3d91;border-radius:6px;background:#0b3d91;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#0b3d91}
button.danger{background:#a11;border-color:#a11}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:8px;border-bottom:1px solid #999;vertical-align:top}
.cards{list-style:none;padding:0;margin:0}
.cards>li{border:2px solid #555;border-radius:8px;padding:10px 12px;margin:8px 0}
.muted{color:#444}
.warning-note{color:#7a2e00;font-weight:600}
.tag{display:inline-block;border:1px solid #333;border-radius:4px;padding:0 6px;font-size:15px}
/* A person's access needs on the register: short marks a leader reads at a glance. */
ul.tags{list-style:none;padding:0;margin:0 0 6px;display:flex;flex-wrap:wrap;gap:4px}
ul.tags li{border:1px solid #333;border-radius:4px;padding:0 6px;font-size:15px}
ul.flags{padding-left:1.2em;margin:6px 0}
ul.flags.compact{margin:2px 0;font-size:16px}
/* Warnings above a register: a compact block, so "Everyone present" stays on a phone's first screen. */
.warning-banner h2{font-size:18px;margin:0 0 2px}
.warning-banner ul.flags{margin:2px 0;font-size:16px}
main>.warning-banner{padding:6px 10px}
.warning-banner p{margin:4px 0 0}
.flags-more summary{min-height:44px;line-height:44px;cursor:pointer}
.print-needs{display:block;font-size:14px}
.pre{white-space:pre-wrap}
.tag.urgent{border-color:#7a2e00;color:#7a2e00;font-weight:700}
fieldset{border:2px solid #555;border-radius:8px;margin:10px 0;padding:8px 10px}
legend{font-weight:700;padding:0 6px}
.statuses{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px}
@media(min-width:600px){.statuses{grid-template-columns:repeat(4,minmax(0,1fr))}}
.statuses label{margin:0;font-weight:600;display:flex;align-items:center;gap:8px;min-height:56px;padding:8px;border:2px solid #555;border-radius:6px}
.statuses input{width:22px;height:22px;flex:none}
@media(max-width:22em){.statuses label{gap:6px;padding:8px 6px;font-size:16px;overflow-wrap:anywhere}}
.statuses label:has(input:checked){background:#0b3d91;color:#fff;border-color:#0b3d91}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
/* A link beside a button is a thumb's target too: 44 px tall, not a 27 px line of text. */
.cards .row a:not(.button){display:inline-flex;align-items:center;min-height:44px}
.save-bar{position:sticky;bottom:0;background:#fff;border-top:2px solid #0b3d91;padding:8px 0;display:grid;grid-template-columns:1fr auto;gap:4px 8px;align-items:center;margin-top:12px}
.save-status{grid-column:1/-1;margin:0;font-weight:600}.save-status:empty{display:none}
/* A control that takes focus is never hidden behind the Save bar (WCAG 2.2 2.4.11): scrolling to it leaves the bar's height free. */
html:has(.save-bar){scroll-padding-bottom:9rem}
/* On a short screen (a phone turned sideways, or text zoomed to 200%) the bar stays in the page rather than over it. */
@media (max-height:34em){.save-bar{position:static}html:has(.save-bar){scroll-padding-bottom:0}}
.grow{flex:1 1 12rem}
/* GOV.UK date input: Day, Month and Year boxes side by side, sized to what they hold. */
fieldset.date-input{border:0;padding:0;margin:12px 0}
fieldset.date-input legend{font-weight:600;padding:0}
.date-parts{display:flex;gap:12px;flex-wrap:wrap}
.date-part label{margin:4px 0;font-weight:400}
.date-part input.width-2{width:4.5rem}.date-part input.width-4{width:6.5rem}
#sync-status{border:2px solid #0b3d91;background:#eef3fb;padding:8px 12px;margin:8px 0}
table.boxes th,table.boxes td{border:1px solid #111;padding:6px;height:34px}
table.boxes td:not(:first-child){width:4.5em;text-align:center}
.write-in{margin-top:18px}
.method{font-size:15px;color:#444;margin:4px 0 8px}
/* A wide table (the printable register) scrolls inside its box on a narrow screen, never the page. */
.scroll-x{overflow-x:auto}
@media (min-width:50em){.two-up{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}}
@media print{table caption,figure.chart-figure figcaption{font-size:8pt;margin:0}figure.chart-figure{margin:0}figure.chart-figure figcaption .muted{display:none}.two-up{display:grid;grid-template-columns:1fr 1fr;gap:0 16px}details.methods{display:none}table.dose th,table.dose td{padding:1px 6px}svg.chart{max-height:26mm;max-width:110mm}.impact .method{font-size:7.5pt;margin:2px 0}header,.skip,.no-print,#sync-status,.warning-banner{display:none}.scroll-x{overflow:visible}main{max-width:none;padding:0}body{font-size:10.5pt;line-height:1.35}h1{font-size:16pt;margin:0 0 6px}h2{font-size:12.5pt;margin:10px 0 4px}.method{font-size:8.5pt}dl.summary{gap:1px 12px}
/* The impact report on one A4 page however many groups and bands: smaller type, tighter rows, the limits still on it. */
.impact{font-size:9pt;line-height:1.25}.impact h2{font-size:11pt;margin:6px 0 2px}.impact p{margin:2px 0}.impact dd .muted{font-size:8pt}
.impact dl.summary{grid-template-columns:max-content 1fr;gap:0 8px}table.dose{font-size:8.5pt;margin:2px 0}.impact .chart-empty{margin:2px 0}
.impact svg.chart{max-height:20mm}.impact .method{font-size:7pt;line-height:1.2;margin:1px 0}@page{size:A4 portrait;margin:12mm}}
.inline-list{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
dl.summary{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;gap:4px 16px}
dl.summary dt{font-weight:600}
dl.summary dd{margin:0}
@media (max-width:40em){dl.summary{grid-template-columns:1fr}table.reflow thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.reflow tr{display:block;border-bottom:2px solid #999;padding:4px 0}table.reflow td{display:block;border:0;padding:2px 0}table.reflow td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
.inline{display:inline}
svg text{font:14px system-ui,sans-serif;fill:#111}
svg.chart{max-width:480px}
figure.chart-figure{margin:8px 0}figure.chart-figure figcaption{margin-bottom:4px}table caption{text-align:left;font-weight:600;margin-bottom:4px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.plain{list-style:none;padding:0}
.plain li{margin:8px 0}
.wrap{word-break:break-all}
`;
