// A thumb joystick for touch screens: drag the knob to walk. Exposes x (right +)
// and y (forward +) in [-1, 1], read by the controls every frame.

const DEAD_ZONE = 0.12;

export class Joystick {
  /** @param {HTMLElement} base element holding a `.joystick-knob` child */
  constructor(base) {
    this.base = base;
    this.knob = base.querySelector('.joystick-knob');
    this.x = 0;
    this.y = 0;
    this.pointerId = -1;
    base.addEventListener('pointerdown', (e) => this._start(e));
    base.addEventListener('pointermove', (e) => this._move(e));
    base.addEventListener('pointerup', (e) => this._end(e));
    base.addEventListener('pointercancel', (e) => this._end(e));
  }

  show(visible) {
    this.base.hidden = !visible;
  }

  _start(e) {
    if (this.pointerId !== -1) return;
    this.pointerId = e.pointerId;
    this.base.setPointerCapture(e.pointerId);
    this.base.classList.add('is-active');
    this._move(e);
    e.preventDefault();
  }

  _move(e) {
    if (e.pointerId !== this.pointerId) return;
    const rect = this.base.getBoundingClientRect();
    const radius = rect.width / 2;
    let dx = (e.clientX - (rect.left + radius)) / radius;
    let dy = (e.clientY - (rect.top + radius)) / radius;
    const len = Math.hypot(dx, dy);
    if (len > 1) {
      dx /= len;
      dy /= len;
    }
    const active = len > DEAD_ZONE;
    this.x = active ? dx : 0;
    this.y = active ? -dy : 0;
    this.knob.style.transform = `translate(${dx * radius * 0.55}px, ${dy * radius * 0.55}px)`;
  }

  _end(e) {
    if (e.pointerId !== this.pointerId) return;
    this.pointerId = -1;
    this.x = 0;
    this.y = 0;
    this.knob.style.transform = '';
    this.base.classList.remove('is-active');
  }
}
