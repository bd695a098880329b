// Text on the headset's canvas boards (captions, a work's card): words wrapped to
// a width, cut with an ellipsis after a number of lines. User text is only pixels.

/** `text` in lines no wider than `maxWidth` in the context's font; at most `maxLines`. */
export function wrapText(ctx, text, maxWidth, maxLines = Infinity) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const next = line ? line + ' ' + word : word;
    if (line && ctx.measureText(next).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] += ' …';
  }
  return lines;
}

export const FONT = '"DejaVu Sans", system-ui, sans-serif';
