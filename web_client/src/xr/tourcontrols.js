// A gallery's tours on the wrist panel: "Tour" among the panel's actions starts
// one (a choice of titles when the gallery has several); while it runs the panel
// has its own part: Stop N of M · title, Previous, Pause/Play, Next (Finish),
// About this work (the card in the headset) and End tour. The same TourPlayer as
// the 2D page's panel drives it (web_client/src/tours/); its moves between stops
// are fade teleports while in VR (fadeteleport.js).
import { t } from '../i18n/i18n.js';

const CHOICES = 4; // tours offered on the panel; a gallery seldom has more

export class XrTourControls {
  /**
   * @param {Promise<object|null>|null} tours the page's tours (tours.js attachTours's answer)
   * @param {import('./artcard.js').XrArtCard} card
   * @param {() => void} repaint the wrist panel's
   */
  constructor(tours, card, repaint) {
    this.tours = null;
    this.card = card;
    this.repaint = repaint;
    this.choosing = false;
    this._player = null;
    Promise.resolve(tours).then((found) => {
      if (!found) return;
      this.tours = found;
      found.addEventListener('player', () => this._watch(found.player));
      if (found.player) this._watch(found.player);
      this.repaint();
    }).catch(() => {}); // a gallery without tours: the panel has no Tour button
  }

  /** The running tour's player, or null. */
  get player() {
    const player = this._player;
    return player && player.index >= 0 ? player : null;
  }

  /** The panel's "Tour" action when the gallery has tours and none runs. */
  startButton() {
    if (!this.tours || this.player) return null;
    return { id: 'tour', label: t('tour.open'), on: this.choosing };
  }

  /** The panel's tour part: {title, titleLang, rows of buttons}, or null. */
  section() {
    const player = this.player;
    if (player) {
      const { stop, index, count } = player;
      const rows = [[
        { id: 'tour-previous', label: t('tour.previous'), disabled: index === 0 },
        { id: 'tour-play', label: t(player.playing ? 'tour.pause' : 'tour.play') },
        { id: 'tour-next', label: t(index + 1 < count ? 'tour.next' : 'tour.finish') },
      ], [
        stop.exhibit && this.card.has(stop.exhibit)
          ? { id: 'tour-card', label: t('tour.about_work'), on: this.card.exhibitId === stop.exhibit }
          : null,
        { id: 'tour-end', label: t('tour.end') },
      ].filter(Boolean)];
      return {
        title: `${t('tour.stop_of', { number: index + 1, count })} · ${stop.title}`,
        titleLang: stop.title_lang || null,
        rows,
      };
    }
    if (this.choosing && this.tours) {
      const choices = this.tours.tours.slice(0, CHOICES)
        .map((tour, i) => ({ id: `tour-pick-${i}`, label: tour.title }));
      const rows = [];
      for (let i = 0; i < choices.length; i += 2) rows.push(choices.slice(i, i + 2));
      return { title: t('tour.choose_title'), titleLang: null, rows };
    }
    return null;
  }

  /** Do what tour button `id` says. */
  run(id) {
    const player = this.player;
    if (id === 'tour') {
      if (this.tours.tours.length === 1) this._start(0);
      else this.choosing = !this.choosing;
    } else if (id.startsWith('tour-pick-')) {
      this._start(Number(id.slice('tour-pick-'.length)));
    } else if (player) {
      if (id === 'tour-previous') player.previous();
      else if (id === 'tour-play') (player.playing ? player.pause() : player.resume());
      else if (id === 'tour-next') player.next();
      else if (id === 'tour-end') player.end();
      else if (id === 'tour-card') this._toggleCard(player.stop.exhibit);
    }
    this.repaint();
  }

  _start(i) {
    this.choosing = false;
    const summary = this.tours.tours[i];
    if (summary) this.tours.start(summary);
  }

  _toggleCard(id) {
    if (this.card.exhibitId === id) this.card.close();
    else this.card.open(id);
  }

  _watch(player) {
    if (this._player === player) return;
    this._player = player;
    player.addEventListener('stop', () => {
      this.card.close(); // a new stop, a new work: the last one's card goes
      this.repaint();
    });
    player.addEventListener('state', () => this.repaint());
    player.addEventListener('end', () => {
      this.card.close();
      this.repaint();
    });
  }
}
