/** Pure helpers of the data view: data as text / JSON / hex (the rows: tree-rows.ts). */

export type DataFormat = 'text' | 'json' | 'hex';

export function formatData(data: Uint8Array, format: DataFormat, emptyText: string, notJsonText: string): string {
  if (data.length === 0) return emptyText;
  if (format === 'hex') {
    const lines: string[] = [];
    for (let i = 0; i < data.length && i < 4096; i += 16) {
      const chunk = [...data.slice(i, i + 16)];
      lines.push(`${i.toString(16).padStart(6, '0')}  ${chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(48)}  ${chunk.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}`);
    }
    return lines.join('\n');
  }
  const text = new TextDecoder().decode(data);
  if (format === 'text') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return `${notJsonText}\n${text}`;
  }
}

/**
 * Describe text (engine/protocol/describe.ts) as a person reads it: describeData escapes `"`,
 * `\` and every byte outside ASCII as `\xNN`; here the escapes go back to the characters zkCli's
 * `get` prints (UTF-8). Control bytes, and bytes that are not UTF-8 (or a character cut by the
 * 32-byte limit), stay escaped.
 */
export function readableDescribe(text: string): string {
  return text.replace(/(?:\\x[0-9a-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(2).split('\\x'), (h) => parseInt(h, 16));
    let decoded: string;
    try {
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return run;
    }
    let out = '';
    for (const ch of decoded) {
      const c = ch.codePointAt(0)!;
      out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
    }
    return out;
  });
}
