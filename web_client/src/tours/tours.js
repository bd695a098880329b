// Tours in a gallery (issue 11, docs/tours.md): a "Tour" button in the hall's
// header, a choice when the gallery has several, and the self-guided tour itself
// (tourplayer.js: glide, narration, captions; tourpanel.js: its controls). The
// work's card opens through the view's 'exhibit' event, as a click on it does.
// A headset's wrist panel starts and drives the same tours (xr/tourcontrols.js):
// 'player' says a tour has started (its TourPlayer is `player`).

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { getTour, listVenueTours } from '../api.js';
import { Dialog } from '../a11y/dialog.js';
import { pageCaptions } from '../captions/captions.js';
import { TourPlayer } from './tourplayer.js';
import { TourPanel } from './tourpanel.js';

function minutes(seconds) {
  return Math.max(1, Math.round(seconds / 60));
}

class Tours extends EventTarget {
  constructor(view, tours, button) {
    super();
    this.view = view;
    this.tours = tours;
    this.button = button;
    this.player = null;
    this.panel = null;
    this.chooser = null;
    const works = new Set((view.metadata.exhibits || []).filter((e) => e.image_url).map((e) => e.id));
    this.cards = {
      hasCard: (id) => works.has(id),
      openCard: (id) => view.dispatchEvent(new CustomEvent('exhibit', { detail: { exhibitId: id } })),
    };
    button.addEventListener('click', () => (tours.length === 1 ? this.start(tours[0]) : this.choose()));
    button.hidden = false;
  }

  choose() {
    if (!this.chooser) {
      this.chooser = new Dialog({ title: t('tour.choose_title'), className: 'tour-list' });
      this.chooser.body.appendChild(h('ul.tour-list-items', {}, this.tours.map((tour) => h('li', {},
        h('button.tour-list-item', { type: 'button', dataset: { tourId: tour.id },
          on: { click: () => { this.chooser.close(); this.start(tour); } } },
        h('span.tour-list-title', { lang: tour.title_lang || null }, tour.title),
        h('span.tour-list-summary', {},
          t('tour.summary', { count: tour.stop_count, minutes: minutes(tour.seconds) })))))));
    }
    this.chooser.open(this.chooser.body.querySelector('button'));
  }

  async start(summary) {
    this.button.disabled = true;
    try {
      const tour = await getTour(summary.url);
      if (!tour.stops.length) return;
      if (this.player) this.player.end();
      this.player = new TourPlayer({
        view: this.view, tour, captions: pageCaptions(), reload: () => getTour(summary.url),
      });
      if (this.panel) this.panel.remove();
      this.panel = new TourPanel(this.player, this.cards);
      this.dispatchEvent(new Event('player'));
      this.player.go(0);
    } catch (err) {
      console.warn('tours: not started:', err.message);
    } finally {
      this.button.disabled = false;
    }
  }
}

/** Offer the venue's tours (a gallery's) from a header button; null when it has none. */
export async function attachTours(view) {
  if (view.venue.kind !== 'gallery') return null;
  let tours;
  try {
    tours = await listVenueTours(view.venue.id);
  } catch (err) {
    console.warn('tours: not listed:', err.message); // the gallery works without them
    return null;
  }
  if (!tours.length) return null;
  const actions = document.getElementById('hud-actions');
  const button = h('button.button.tour-button', { type: 'button', id: 'tour-button' }, t('tour.open'));
  actions.insertBefore(button, document.getElementById('works-button'));
  return new Tours(view, tours, button);
}
