/**
 * The model cards' Markdown, as the pipeline writes it (headings, paragraphs, lists, tables,
 * images of the version's own plots, `code`, **bold**), turned into HTML. Every character of the
 * card is escaped first, so a card cannot put markup or script into the console; images may only
 * name a plain file name, which the console serves from the version's folder.
 */
export function modelCardHtml(markdown: string, imageUrl: (file: string) => string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    const image = /^!\[([^\]]*)\]\(([A-Za-z0-9_.-]+\.svg)\)$/.exec(line);
    if (line === '') flush();
    else if (heading) {
      flush();
      // The card's title is the page's section heading: card headings start one level lower.
      const level = Math.min(6, heading[1]!.length + 2);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (image) {
      flush();
      out.push(
        `<img src="${escapeHtml(imageUrl(image[2]!))}" alt="${escapeHtml(image[1]!)}" loading="lazy">`,
      );
    } else if (line.startsWith('- ')) {
      flush();
      const items: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('- '); i++)
        items.push(`<li>${inline(lines[i]!.slice(2))}</li>`);
      i--;
      out.push(`<ul>${items.join('')}</ul>`);
    } else if (line.startsWith('|')) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
      i--;
      const body = rows.filter((r, n) => n > 0 && !r.every((c) => /^:?-+:?$/.test(c)));
      out.push(
        `<table><thead><tr>${rows[0]!.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead>` +
          `<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
      );
    } else paragraph.push(line);
  }
  flush();
  return out.join('\n');
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
