// A seat's name from its id ("stalls/B/12" -> "Stalls, row B, seat 12"), for pages
// without the hall's metadata (the host console). Ids are section/row/number
// (scenes/metadata.py); anything else is shown as it is.
import { t } from '../i18n/i18n.js';
import { sectionLabel } from '../venue/hud.js';

export function seatName(seatId) {
  if (!seatId) return t('hands.no_seat');
  const parts = seatId.split('/');
  if (parts.length === 3) {
    return t('venue.seat_in_section', { section: sectionLabel(parts[0]), row: parts[1], number: parts[2] });
  }
  if (parts.length === 2) return t('venue.seat', { row: parts[0], number: parts[1] });
  return seatId;
}
