// A gallery's works for visitors: a click or tap on a picture in the hall opens
// its card (title, author, date, medium, size, text in the visitor's language,
// a larger image, the audio guide, the credit line). For keyboard and screen
// reader visitors a "Works" button lists every work; choosing one opens the same
// card. Texts come from the venue metadata, already localized by the server, and
// go in as text only.
import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { Dialog } from '../a11y/dialog.js';

function sizeText(exhibit) {
  if (exhibit.size_cm) {
    const [w, hgt] = exhibit.size_cm;
    return t('art.size_cm', { height: fmt(hgt), width: fmt(w) });
  }
  return t('art.size_unknown');
}

function fmt(n) {
  return Number(n).toLocaleString(document.documentElement.lang || 'en', { maximumFractionDigits: 1 });
}

export class ArtCards {
  /**
   * @param {import('./view.js').VenueView} view
   * @param {HTMLButtonElement} opener the page's "Works" button
   */
  constructor(view, opener) {
    this.view = view;
    this.exhibits = (view.metadata.exhibits || []).filter((e) => e.image_url);
    this.byId = new Map(this.exhibits.map((e) => [e.id, e]));
    this.card = null;
    this.list = null;
    opener.hidden = this.exhibits.length === 0;
    opener.addEventListener('click', () => this.openList());
    view.addEventListener('exhibit', (e) => this.open(e.detail.exhibitId));
  }

  /** Open the card of work `id`; false when there is no such work. */
  open(id) {
    const exhibit = this.byId.get(id);
    if (!exhibit) return false;
    if (!this.card) this.card = new Dialog({ title: '', className: 'art-card' });
    // opened from the works list, the card goes over it: Esc comes back to the list
    this.card.title.textContent = exhibit.title;
    this.card.title.lang = exhibit.title_lang || '';
    this.card.node.dataset.exhibitId = exhibit.id;
    fill(this.card.body, ...this._cardBody(exhibit));
    this.card.open();
    return true;
  }

  _cardBody(e) {
    const facts = [e.author, e.year].filter(Boolean).join(', ');
    const [w, hgt] = e.image_size || [4, 3];
    return [
      h('figure.art-card-figure', {},
        h('img.art-card-image', {
          src: e.image_url, alt: t('art.image_alt', { title: e.title }),
          width: w, height: hgt, decoding: 'async',
        })),
      h('div.art-card-text', {},
        facts ? h('p.art-card-author', {}, facts) : null,
        e.medium ? h('p.art-card-medium', { lang: e.medium_lang || null }, e.medium) : null,
        h('p.art-card-size', {}, sizeText(e)),
        e.description ? h('p.art-card-description', { lang: e.description_lang || null }, e.description) : null,
        e.audio_url ? h('div.art-card-audio', {},
          h('p.art-card-audio-label', {}, t('art.audio_guide')),
          h('audio', { controls: true, preload: 'none', src: e.audio_url, 'aria-label': t('art.audio_guide') })) : null,
        e.credit ? h('p.art-card-credit', {}, h('span.art-card-credit-label', {}, t('art.credit')), ' ', e.credit) : null),
    ];
  }

  openList() {
    if (!this.list) {
      this.list = new Dialog({ title: t('art.works_title'), className: 'art-list' });
      const rooms = new Map((this.view.metadata.rooms || []).map((r) => [r.id, r]));
      const groups = new Map();
      for (const e of this.exhibits) {
        if (!groups.has(e.room)) groups.set(e.room, []);
        groups.get(e.room).push(e);
      }
      for (const [roomId, works] of groups) {
        const room = rooms.get(roomId);
        this.list.body.appendChild(h('section.art-list-room', {},
          h('h3.art-list-room-title', {}, room ? room.name : roomId),
          h('ul.art-list-works', {}, works.map((e) => h('li', {},
            h('button.art-list-work', {
              type: 'button', dataset: { exhibitId: e.id },
              on: { click: () => this.open(e.id) },
            }, h('span.art-list-title', {}, e.title),
            e.author ? h('span.art-list-author', {}, e.author) : null))))));
      }
    }
    this.list.open(this.list.body.querySelector('button'));
  }
}
