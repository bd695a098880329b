// Reactions: a bar of buttons (applause, bravo, heart, laugh, flowers), and the
// effect of everyone's reactions: per-tick counts from the server become icons
// floating up over the audience, and applause you can hear.
// Sprites come from a fixed pool; the per-frame update allocates nothing.
import * as THREE from 'three';

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { Applause } from './applause.js';
import { drawIcon, KINDS } from './icons.js';

const POOL = 160;
const LIFE_S = 2.4;
const MAX_PER_TICK = 14; // per kind: a thousand hearts still reads as "lots", not fog

function spawnCount(count) {
  // 1 -> 1, 10 -> 4, 100 -> 8, 1000 -> 11: more is visibly more, never a wall.
  return Math.min(MAX_PER_TICK, Math.max(1, Math.round(1 + Math.log2(count) * 1.1)));
}

export class ReactionBar {
  /**
   * @param {HTMLElement} container
   * @param {(kind: string) => void} onReact
   * @param {Applause} applause
   */
  constructor(container, onReact, applause) {
    this.onReact = onReact;
    this.applause = applause;
    this.buttons = new Map();
    this.root = h('div.live-reactions', { role: 'toolbar', 'aria-label': t('reaction.bar') });
    for (const kind of KINDS) {
      const icon = drawIcon(kind, 64);
      icon.className = 'live-reaction-icon';
      icon.setAttribute('aria-hidden', 'true');
      const btn = h('button.live-reaction', {
        type: 'button', title: t('reaction.' + kind), 'aria-label': t('reaction.' + kind), dataset: { kind },
      }, icon);
      btn.addEventListener('click', () => {
        btn.classList.remove('pop');
        void btn.offsetWidth; // restart the CSS animation
        btn.classList.add('pop');
        this.onReact(kind);
      });
      this.buttons.set(kind, btn);
      this.root.appendChild(btn);
    }
    this.soundButton = h('button.live-sound', {
      type: 'button', title: t('reaction.sound_toggle'), 'aria-pressed': 'true',
    }, t('reaction.sound'));
    this.soundButton.addEventListener('click', () => {
      const on = !this.applause.enabled;
      this.applause.unlock();
      this.applause.setEnabled(on);
      this.soundButton.setAttribute('aria-pressed', String(on));
      this.soundButton.title = t(on ? 'reaction.sound_on' : 'reaction.sound_off');
    });
    this.root.appendChild(this.soundButton);
    this.root.addEventListener('keydown', (e) => e.stopPropagation());
    container.appendChild(this.root);
  }
}

export class ReactionEffect {
  /**
   * @param {THREE.Scene} scene
   * @param {() => THREE.Vector3 | null} pickSpot a point over the audience to rise from
   */
  constructor(scene, pickSpot) {
    this.scene = scene;
    this.pickSpot = pickSpot;
    this.group = new THREE.Group();
    this.group.name = 'live-reactions';
    scene.add(this.group);
    this.textures = new Map();
    for (const kind of KINDS) {
      const tex = new THREE.CanvasTexture(drawIcon(kind, 128));
      tex.colorSpace = THREE.SRGBColorSpace;
      this.textures.set(kind, tex);
    }
    this.particles = [];
    for (let i = 0; i < POOL; i++) {
      const mat = new THREE.SpriteMaterial({ transparent: true, depthWrite: false });
      const s = new THREE.Sprite(mat);
      s.visible = false;
      s.renderOrder = 20;
      s.userData = { age: 0, vx: 0, vz: 0, vy: 0, size: 0, phase: 0, x0: 0, z0: 0 };
      this.group.add(s);
      this.particles.push(s);
    }
    this.next = 0;
    this.totals = Object.fromEntries(KINDS.map((k) => [k, 0]));
    this.lastCounts = {};
  }

  /** counts: {kind: n} from one `reactions` message. */
  burst(counts) {
    this.lastCounts = counts;
    for (const [kind, n] of Object.entries(counts || {})) {
      if (!this.textures.has(kind) || !(n > 0)) continue;
      this.totals[kind] += n;
      const k = spawnCount(n);
      for (let i = 0; i < k; i++) this._spawn(kind);
    }
  }

  _spawn(kind) {
    const spot = this.pickSpot();
    if (!spot) return;
    const s = this.particles[this.next];
    this.next = (this.next + 1) % POOL;
    const u = s.userData;
    u.age = -Math.random() * 0.35; // stagger within the tick
    u.x0 = spot.x + (Math.random() - 0.5) * 0.6;
    u.z0 = spot.z + (Math.random() - 0.5) * 0.6;
    u.vy = 0.55 + Math.random() * 0.35;
    u.phase = Math.random() * Math.PI * 2;
    u.size = 0.26 + Math.random() * 0.12;
    s.position.set(u.x0, spot.y + 0.35, u.z0);
    u.y0 = s.position.y;
    s.material.map = this.textures.get(kind);
    s.material.needsUpdate = true;
    s.material.opacity = 0;
    s.visible = true;
  }

  /** Advance by dt seconds (once per frame); true while any particle is (or was just) on screen. */
  update(dt) {
    let drawn = false;
    for (let i = 0; i < POOL; i++) {
      const s = this.particles[i];
      if (!s.visible) continue;
      drawn = true;
      const u = s.userData;
      u.age += dt;
      if (u.age < 0) continue;
      if (u.age > LIFE_S) {
        s.visible = false;
        continue;
      }
      const t = u.age / LIFE_S;
      s.position.y = u.y0 + u.vy * u.age;
      s.position.x = u.x0 + Math.sin(u.phase + u.age * 3) * 0.12;
      // pop in, float, fade out
      const grow = Math.min(1, u.age / 0.18);
      const scale = u.size * (0.6 + 0.4 * grow) * (1 + 0.15 * Math.sin(u.age * 9) * (1 - t));
      s.scale.set(scale, scale, 1);
      s.material.opacity = Math.min(1, grow * 1.4) * (t > 0.6 ? (1 - t) / 0.4 : 1);
    }
    return drawn;
  }

  activeCount() {
    let n = 0;
    for (const s of this.particles) if (s.visible) n += 1;
    return n;
  }

  dispose() {
    this.scene.remove(this.group);
    for (const s of this.particles) s.material.dispose();
    for (const t of this.textures.values()) t.dispose();
  }
}

export { Applause };
