/** The report's stylesheet, inlined in the page: system fonts only, light and print friendly. */
export const REPORT_CSS = `
:root {
  --bg: #f4f5f9; --card: #ffffff; --ink: #1d2130; --muted: #5d6478; --line: #e4e7ef;
  --bar: #4a5bd4; --accent: #e60023; --accent-soft: #fdecef; --heat: #3a3fb8;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.top {
  background: linear-gradient(120deg, #1d2130 0%, #34244a 60%, #5a1f3a 100%); color: #fff; padding: 28px 0 72px;
}
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
.brand { display: flex; align-items: center; gap: 12px; font-weight: 700; letter-spacing: .02em; }
.brand svg { flex: none; }
header.top h1 { margin: 14px 0 6px; font-size: 30px; line-height: 1.2; font-weight: 700; }
header.top .meta { margin: 0; color: #d6d8e6; font-size: 14px; }
header.top .meta code { color: #fff; background: rgba(255,255,255,.12); padding: 1px 6px; border-radius: 4px; }
.tiles {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 14px; margin-top: -48px;
}
.tile {
  background: var(--card); border-radius: 12px; padding: 16px 18px; box-shadow: 0 1px 2px rgba(20,24,40,.06), 0 6px 18px rgba(20,24,40,.06);
}
.tile h2 { margin: 0; font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.tile .big { font-size: 28px; font-weight: 700; margin: 4px 0 2px; }
.tile .small { margin: 0; font-size: 13px; color: var(--muted); }
.tile.warn .big { color: var(--accent); }
.tile ul { margin: 6px 0 0; padding: 0; list-style: none; font-size: 13px; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; margin: 22px auto 28px; }
section.card {
  background: var(--card); border-radius: 12px; padding: 20px 22px 18px; min-width: 0;
  box-shadow: 0 1px 2px rgba(20,24,40,.06), 0 6px 18px rgba(20,24,40,.05);
}
section.card.wide { grid-column: 1 / -1; }
section.card h2 { margin: 0; font-size: 18px; line-height: 1.3; }
section.card .sub { margin: 4px 0 14px; color: var(--muted); font-size: 14px; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg.chart text { font-size: 14px; fill: var(--ink); }
svg.chart .label { fill: var(--muted); }
svg.chart .tick { fill: var(--muted); font-size: 12px; }
svg.chart .value { font-weight: 600; }
svg.chart .value .muted { fill: var(--muted); font-weight: 500; }
svg.chart .name { fill: var(--ink); font-weight: 600; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .bar { fill: var(--bar); }
svg.chart .highlight .bar { fill: var(--accent); }
svg.chart .cell rect { fill: var(--heat); }
svg.chart .cell.empty rect { fill: #eef0f5; fill-opacity: 1; }
svg.chart .cell .cell-value { font-weight: 600; font-size: 15px; }
svg.chart .cell.dark .cell-value { fill: #fff; }
.table-wrap { max-height: 430px; overflow: auto; border: 1px solid var(--line); border-radius: 10px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
thead th {
  position: sticky; top: 0; background: #f8f9fc; text-align: left; font-size: 12px; color: var(--muted);
  text-transform: uppercase; letter-spacing: .05em; padding: 9px 12px; border-bottom: 1px solid var(--line);
}
tbody td { padding: 8px 12px; border-bottom: 1px solid var(--line); vertical-align: middle; }
tbody tr:last-child td { border-bottom: none; }
td.rank { color: var(--muted); width: 3em; }
td.num, th.num { text-align: right; white-space: nowrap; }
td .meter { display: inline-block; height: 8px; border-radius: 4px; background: var(--bar); opacity: .35; margin-right: 8px; vertical-align: middle; }
tr.winner td { background: var(--accent-soft); font-weight: 600; }
tr.winner td .meter { background: var(--accent); opacity: .8; }
.badge { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 999px; background: var(--accent); color: #fff; font-size: 11px; font-weight: 700; letter-spacing: .04em; vertical-align: 1px; }
.callout { display: flex; align-items: baseline; flex-wrap: wrap; gap: 6px 14px; margin: 0 0 14px; }
.callout .who { font-size: 24px; font-weight: 700; }
.callout .how { color: var(--muted); }
.callout .how strong { color: var(--accent); font-size: 20px; }
p.empty { margin: 8px 0 4px; padding: 26px 16px; text-align: center; color: var(--muted); background: #f8f9fc; border: 1px dashed var(--line); border-radius: 10px; }
footer { color: var(--muted); font-size: 13px; padding: 0 0 36px; }
@media (max-width: 560px) { .grid { grid-template-columns: 1fr; } header.top h1 { font-size: 24px; } }
@media print { body { background: #fff; } header.top { color: #000; background: none; } .table-wrap { max-height: none; } }
`;
