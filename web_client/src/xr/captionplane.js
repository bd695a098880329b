// Captions in the headset: the page's caption area (#captions: a tour's narration,
// "[applause]") is DOM, which a headset does not show. This board below the middle
// of the view, a metre and a bit ahead, shows the same lines while in VR,
// following the head like subtitles. Repainted when the caption area changes.
import { CanvasTexture, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace } from 'three';

import { FONT, wrapText } from './canvastext.js';

const CANVAS_W = 1024;
const CANVAS_H = 256;
const WIDTH_M = 0.9;
const DISTANCE_M = 1.3;
const BELOW_M = 0.32; // under the line of sight: the work stays in view
const SIZE_PX = 40;
const LINE_PX = 52;
const MAX_LINES = 4;

export class XrCaptions {
  /**
   * @param {import('three').Camera} camera the view's camera (the head)
   * @param {HTMLElement|null} area the page's caption area
   */
  constructor(camera, area) {
    this.area = area;
    this.text = '';
    this.lines = [];
    this.presenting = false;
    this.canvas = document.createElement('canvas');
    this.canvas.width = CANVAS_W;
    this.canvas.height = CANVAS_H;
    this.texture = new CanvasTexture(this.canvas);
    this.texture.colorSpace = SRGBColorSpace;
    this.mesh = new Mesh(new PlaneGeometry(WIDTH_M, (WIDTH_M * CANVAS_H) / CANVAS_W),
      new MeshBasicMaterial({
        map: this.texture, transparent: true, toneMapped: false, depthTest: false, depthWrite: false,
      }));
    this.mesh.name = 'xr-captions';
    this.mesh.position.set(0, -BELOW_M, -DISTANCE_M);
    this.mesh.renderOrder = 1500; // over the hall; under the fade
    this.mesh.frustumCulled = false;
    this.mesh.visible = false;
    camera.add(this.mesh);
    if (area) {
      new MutationObserver(() => this._read())
        .observe(area, { childList: true, subtree: true, characterData: true });
    }
    this._read();
  }

  /** In VR or not: the board shows only in the headset. */
  setPresenting(on) {
    this.presenting = on;
    this.mesh.visible = on && this.text !== '';
  }

  _read() {
    const cues = this.area ? this.area.querySelectorAll('.caption-cue') : [];
    const text = Array.from(cues, (cue) => cue.textContent.trim()).filter(Boolean).join(' ');
    if (text === this.text) return;
    this.text = text;
    this._paint();
    this.mesh.visible = this.presenting && text !== '';
  }

  _paint() {
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, CANVAS_W, CANVAS_H);
    if (!this.text) return;
    ctx.font = `500 ${SIZE_PX}px ${FONT}`;
    this.lines = wrapText(ctx, this.text, CANVAS_W - 80, MAX_LINES);
    const height = this.lines.length * LINE_PX + 28;
    const top = CANVAS_H - height; // the lines sit on the board's foot
    ctx.fillStyle = 'rgba(0, 0, 0, 0.78)';
    ctx.beginPath();
    ctx.roundRect(20, top, CANVAS_W - 40, height, 18);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    this.lines.forEach((line, i) => ctx.fillText(line, CANVAS_W / 2, top + 14 + i * LINE_PX + 4));
    this.texture.needsUpdate = true;
  }
}
