// The "Enter VR" button in the venue HUD. When VR cannot start (no WebXR in this
// browser, a page not served over HTTPS, no headset) it stays, short ("VR" and an
// info mark, so a phone held sideways keeps room for the event's title), and says
// why in its tooltip and in a note that a tap or click opens under it.
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

/** Why immersive VR is not available here, as a locale key, or null when it is. */
export async function vrUnavailableReason() {
  if (!window.isSecureContext) return 'xr.insecure';
  if (!('xr' in navigator)) return 'xr.no_webxr';
  try {
    return (await navigator.xr.isSessionSupported('immersive-vr')) ? null : 'xr.no_headset';
  } catch {
    return 'xr.no_headset'; // a permissions policy may forbid asking
  }
}

export class VrButton {
  /**
   * @param {HTMLElement} container where the button goes (the HUD's actions)
   * @param {{enter: () => Promise<void>, exit: () => Promise<void>}} actions
   */
  constructor(container, actions) {
    this.actions = actions;
    this.presenting = false;
    this.reason = null;
    this.element = h('button.button.xr-button', { type: 'button', id: 'vr-button' });
    this.why = h('p.xr-why', { id: 'vr-why', role: 'status', hidden: true });
    this.root = h('div.xr-wrap', { hidden: true }, this.element, this.why);
    this.element.addEventListener('click', () => this._onClick());
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape') this._why(false); });
    document.addEventListener('pointerdown', (e) => {
      if (!this.root.contains(/** @type {Node} */ (e.target))) this._why(false);
    });
    container.prepend(this.root);
  }

  /** Show what the button can do: `reason` (a locale key) null = ready to enter. */
  setAvailability(reason) {
    this.reason = reason;
    this.root.hidden = false;
    this.element.dataset.state = reason ? 'unavailable' : 'ready';
    // not aria-disabled: pressed, it opens the note that says why
    if (reason) this.element.setAttribute('aria-describedby', 'vr-why');
    else this.element.removeAttribute('aria-describedby');
    // the reason: a tooltip for a mouse, the note for a tap (both re-labelled on a
    // language switch without reload)
    if (reason) {
      this.element.dataset.i18nAttr = `title:${reason}`;
      this.element.title = t(reason);
    } else {
      delete this.element.dataset.i18nAttr;
      this.element.removeAttribute('title');
    }
    this.why.dataset.i18n = reason || '';
    this.why.textContent = reason ? t(reason) : '';
    this._why(false);
    this._label(reason ? 'xr.short' : 'xr.enter');
  }

  _why(open) {
    this.why.hidden = !open;
    if (this.reason) this.element.setAttribute('aria-expanded', String(open));
    else this.element.removeAttribute('aria-expanded');
  }

  _label(key) {
    this.element.dataset.i18n = key; // a language switch without reload re-labels it
    this.element.textContent = t(key);
  }

  setPresenting(on) {
    this.presenting = on;
    this.element.dataset.state = on ? 'presenting' : 'ready';
    this._label(on ? 'xr.exit' : 'xr.enter');
  }

  async _onClick() {
    if (this.reason) {
      this._why(this.why.hidden);
      return;
    }
    this.element.disabled = true;
    try {
      if (this.presenting) await this.actions.exit();
      else await this.actions.enter();
    } catch (err) {
      console.warn('xr: could not start a session', err);
      this._label('xr.failed');
      return;
    } finally {
      this.element.disabled = false;
    }
  }
}
