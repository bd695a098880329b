// The "Enter VR" button in the venue HUD. Says why when VR cannot start (no WebXR in
// this browser, a page not served over HTTPS, no headset), instead of hiding.
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
    this.element = h('button.button.xr-button', { type: 'button', id: 'vr-button', hidden: true });
    this.element.addEventListener('click', () => this._onClick());
    container.prepend(this.element);
  }

  /** Show what the button can do: `reason` null = ready to enter. */
  setAvailability(reason) {
    this.reason = reason;
    this.element.hidden = false;
    this.element.disabled = Boolean(reason);
    this.element.dataset.state = reason ? 'unavailable' : 'ready';
    this._label(reason || 'xr.enter');
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
    if (this.reason) return;
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
