/** Formats bits as megabytes (10^6 bytes): two decimals, or three significant digits below 1 MB. */
export function formatMegabytes(bits: number): string {
  const megabytes = bits / 8e6;
  return megabytes >= 1 || megabytes === 0 ? megabytes.toFixed(2) : megabytes.toPrecision(3);
}

/** Formats a buffer capacity in bits as KB or MB (1024-based, as the hardware variants are named). */
export function formatBufferSize(bits: number): string {
  const bytes = bits / 8;
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(2)} MB`;
  return `${+(bytes / 1024).toFixed(1)} KB`;
}

/** Formats a ratio as e.g. "12.3x". */
export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1)}x`;
}

/** Formats a large count in exponent notation with four significant digits, e.g. 2.984e9. */
export function formatCount(value: number): string {
  return value.toExponential(3).replace('e+', 'e');
}

/** Formats a markdown table: a header row, a rule (numeric columns right-aligned) and the rows. */
export function markdownTable(header: string[], rows: string[][], numericColumns: Set<number> = new Set()): string {
  const rule = header.map((_, index) => (numericColumns.has(index) ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
