/**
 * The HTML report of `acta forensics report --out DIR` (issue #7, item 3):
 * one self-contained page (no scripts, no external resources) that links the
 * SVG plots written next to it and holds the summary table, each test's null
 * hypothesis and why a flag is evidence and not proof, and the mesas that
 * contribute most to each flag. Every string from the input (file names, mesa
 * ids, regions, candidate keys) is hostile and escaped.
 */

/** A table: header and rows of cells (numbers formatted by the caller). */
export interface HtmlTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One test's section. */
export interface HtmlSection {
  readonly title: string;
  /** The null hypothesis, in a sentence or two. */
  readonly nullHypothesis: string;
  /** Why a flag is evidence and not proof. */
  readonly caveat: string;
  /** Result tables (statistics, intervals). */
  readonly tables: readonly HtmlTable[];
  /** SVG files (names relative to the report) shown in the section. */
  readonly plots: readonly { readonly file: string; readonly alt: string }[];
  /** The mesas contributing most to the flag, with a caption. */
  readonly mesas?: { readonly caption: string; readonly table: HtmlTable };
}

export interface HtmlReport {
  readonly title: string;
  /** Lines about the input (file, format, mesas read, skipped rows, seed, draws). */
  readonly inputLines: readonly string[];
  readonly summary: HtmlTable;
  readonly sections: readonly HtmlSection[];
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function renderTable(table: HtmlTable): string {
  const head = table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function renderSection(s: HtmlSection): string {
  const parts = [
    `<section>`,
    `<h2>${escapeHtml(s.title)}</h2>`,
    `<p><strong>Null hypothesis.</strong> ${escapeHtml(s.nullHypothesis)}</p>`,
    `<p class="caveat"><strong>Evidence, not proof.</strong> ${escapeHtml(s.caveat)}</p>`,
    ...s.tables.map(renderTable),
    ...s.plots.map(
      (p) =>
        `<figure><a href="${escapeHtml(p.file)}"><img src="${escapeHtml(p.file)}" alt="${escapeHtml(p.alt)}"></a><figcaption>${escapeHtml(p.alt)}</figcaption></figure>`,
    ),
  ];
  if (s.mesas !== undefined) {
    parts.push(`<h3>${escapeHtml(s.mesas.caption)}</h3>`, renderTable(s.mesas.table));
  }
  parts.push(`</section>`);
  return parts.join('\n');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;font-size:.9em}
td{font-variant-numeric:tabular-nums}.caveat{background:#fff8e1;padding:.5em;border-left:4px solid #f0b400}
figure{margin:1em 0}img{max-width:100%}section{border-top:1px solid #ddd;margin-top:2em}`;

/** The whole page. */
export function renderReportHtml(report: HtmlReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<ul>${report.inputLines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    '<p class="caveat">Every test below compares the data with what an honest election would look like under a stated model. A flag says the data are unlikely under that model — which may be wrong for this country (geography, institutions, mesa sizes) — and never by itself that fraud happened. Read the flags together, and with what is known on the ground.</p>',
    '<h2>Summary</h2>',
    renderTable(report.summary),
    ...report.sections.map(renderSection),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
