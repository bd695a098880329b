// A raised hand painted on a canvas (no emoji font needed): the HUD button's icon
// and the sprite over the seat of the member the host called.

/** @returns {HTMLCanvasElement} a `size` x `size` canvas, transparent around the hand */
export function drawHandIcon(size = 64, { fill = '#ffd27a', line = '#8a5a16' } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.scale(size / 128, size / 128);
  ctx.fillStyle = fill;
  ctx.strokeStyle = line;
  ctx.lineWidth = 6;
  ctx.lineJoin = 'round';
  // four fingers, the middle ones longest
  for (const [x, top] of [[36, 26], [54, 14], [72, 16], [90, 30]]) {
    ctx.beginPath();
    ctx.roundRect(x - 8, top, 16, 74 - top, 8);
    ctx.fill();
    ctx.stroke();
  }
  // the thumb, out to the side
  ctx.save();
  ctx.translate(28, 78);
  ctx.rotate(-0.7);
  ctx.beginPath();
  ctx.roundRect(-8, -30, 16, 40, 8);
  ctx.fill();
  ctx.stroke();
  ctx.restore();
  // the palm over the fingers' roots
  ctx.beginPath();
  ctx.roundRect(26, 58, 74, 56, 22);
  ctx.fill();
  ctx.stroke();
  // cover the palm's top edge so the fingers join it
  ctx.fillRect(31, 58, 64, 10);
  return canvas;
}
