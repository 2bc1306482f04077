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
