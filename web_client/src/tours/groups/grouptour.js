// The group's tour on this member's screen: when the guide moves the group to a
// stop (group_stop), the view glides there and the stop's narration plays with its
// captions — the self-guided tour's player (../tourplayer.js), without its own
// advancing: the guide decides when the group goes on.

import { getTour, listVenueTours } from '../../api.js';
import { pageCaptions } from '../../captions/captions.js';
import { TourPlayer } from '../tourplayer.js';

export class GroupTour extends EventTarget {
  /** @param {import('../../venue/view.js').VenueView} view */
  constructor(view) {
    super();
    this.view = view;
    this.summaries = null; // the venue's tours, fetched once
    this.player = null;
    this.tourId = null;
    this._token = 0;
  }

  /** The venue's tours (summaries: id, title, url, stop_count), [] when it has none. */
  async list() {
    if (!this.summaries) {
      try {
        this.summaries = await listVenueTours(this.view.venue.id);
      } catch (err) {
        console.warn('groups: tours not listed:', err.message);
        return [];
      }
    }
    return this.summaries;
  }

  /** Go to stop `index` of tour `tourId`: glide there and play its narration. */
  async go(tourId, index) {
    const token = ++this._token;
    if (!this.player || this.tourId !== tourId) {
      const summary = (await this.list()).find((s) => s.id === tourId);
      if (!summary) return;
      let tour;
      try {
        tour = await getTour(summary.url);
      } catch (err) {
        console.warn('groups: tour not loaded:', err.message);
        return;
      }
      if (token !== this._token) return;
      if (this.player) this.player.end();
      this.tourId = tourId;
      this.player = new TourPlayer({ view: this.view, tour, captions: pageCaptions(), reload: () => getTour(summary.url) });
      this.player.autoAdvance = false;
      this.player.addEventListener('stop', () => this.dispatchEvent(new Event('stop')));
      this.player.addEventListener('state', () => this.dispatchEvent(new Event('state')));
    }
    if (token === this._token) this.player.go(index);
  }

  /** The stop we are at, or null. */
  get stop() {
    return this.player?.stop || null;
  }

  end() {
    this._token++;
    if (this.player) this.player.end();
    this.player = null;
    this.tourId = null;
  }
}
