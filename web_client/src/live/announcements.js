// What the live audience tells screen reader users through the page's status
// region: that they have joined the hall (and how many people are in it). Seat
// taken, muted and removed notices are read out by the chat panel's showError().
import { t } from '../i18n/i18n.js';
import { announce } from '../a11y/announce.js';

/** Listen to `live`'s connection (the one attachLive() started). */
export function announceJoining(live) {
  live.conn?.on('joined', (state) => {
    const count = (state.members?.length || 0) + 1; // the list leaves us out
    announce(t('a11y.joined', { count }));
  });
}
