// Seats grouped the way a ticket reads: section, then row, then seat number, in
// the order the venue's metadata lists them (front to back). Pure data, no DOM.

/**
 * @param {Array<{id: string, section?: string, row: string, number: number|string}>} seats
 * @returns {Array<{section: string, rows: Array<{row: string, seats: object[]}>}>}
 */
export function groupSeats(seats) {
  const sections = new Map();
  for (const seat of seats) {
    const sectionName = seat.section || '';
    if (!sections.has(sectionName)) sections.set(sectionName, new Map());
    const rows = sections.get(sectionName);
    const rowName = String(seat.row);
    if (!rows.has(rowName)) rows.set(rowName, []);
    rows.get(rowName).push(seat);
  }
  return [...sections].map(([section, rows]) => ({
    section,
    rows: [...rows].map(([row, list]) => ({
      row,
      seats: list.sort((a, b) => Number(a.number) - Number(b.number) || String(a.number).localeCompare(String(b.number))),
    })),
  }));
}

/**
 * Does a seat match what was typed in the search box? Words are matched against
 * the section's shown name, "row" letters and seat numbers: "b 12", "balcony c",
 * "12" all work, in any language, since the section name is the translated one.
 */
export function seatMatches(seat, sectionLabel, query, fillerWords = []) {
  // "row" and "seat" (in the visitor's language) say nothing: skip them
  const words = String(query || '').toLowerCase().split(/[\s,.;:/]+/)
    .filter((w) => w && !fillerWords.includes(w));
  if (!words.length) return true;
  const row = String(seat.row).toLowerCase();
  const number = String(seat.number).toLowerCase();
  const section = String(sectionLabel || '').toLowerCase();
  return words.every((w) => w === row || w === number || (w.length > 1 && section.startsWith(w)));
}
