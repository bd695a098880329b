// Reaction icons painted on a canvas (no emoji font is needed, none is guaranteed
// on a venue's kiosk or a headless test browser). Used for the buttons and for the
// floating sprites.

import { t } from '../i18n/i18n.js';

// their names are locale keys reaction.<kind>
export const KINDS = ['applause', 'bravo', 'heart', 'laugh', 'flowers'];

function palm(ctx, x, y, angle, fill) {
  ctx.save();
  ctx.translate(x, y);
  ctx.rotate(angle);
  ctx.beginPath();
  ctx.roundRect(-15, -30, 30, 58, 14);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#b9781f';
  ctx.stroke();
  // a thumb
  ctx.beginPath();
  ctx.ellipse(angle < 0 ? 15 : -15, 8, 7, 14, angle < 0 ? -0.5 : 0.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  ctx.restore();
}

const PAINTERS = {
  applause(ctx) {
    palm(ctx, 52, 74, -0.38, '#ffd166');
    palm(ctx, 76, 74, 0.38, '#ffc045');
    ctx.strokeStyle = '#fff3c4';
    ctx.lineWidth = 6;
    ctx.lineCap = 'round';
    for (const [x1, y1, x2, y2] of [[64, 26, 64, 12], [42, 32, 32, 20], [86, 32, 96, 20]]) {
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      ctx.stroke();
    }
  },
  bravo(ctx) {
    ctx.beginPath();
    ctx.roundRect(8, 24, 112, 64, 22);
    ctx.moveTo(34, 86);
    ctx.lineTo(28, 110);
    ctx.lineTo(54, 86);
    ctx.fillStyle = '#e2b66c';
    ctx.fill();
    ctx.fillStyle = '#3a1208';
    ctx.font = 'italic 700 34px Georgia, "DejaVu Serif", serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(t('reaction.bravo'), 64, 57, 100);
  },
  heart(ctx) {
    ctx.beginPath();
    ctx.moveTo(64, 112);
    ctx.bezierCurveTo(8, 72, 8, 24, 40, 20);
    ctx.bezierCurveTo(54, 18, 62, 28, 64, 38);
    ctx.bezierCurveTo(66, 28, 74, 18, 88, 20);
    ctx.bezierCurveTo(120, 24, 120, 72, 64, 112);
    ctx.fillStyle = '#ef476f';
    ctx.fill();
    ctx.beginPath();
    ctx.ellipse(40, 42, 9, 6, -0.7, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(255,255,255,0.55)';
    ctx.fill();
  },
  laugh(ctx) {
    ctx.beginPath();
    ctx.arc(64, 64, 50, 0, Math.PI * 2);
    ctx.fillStyle = '#ffd166';
    ctx.fill();
    ctx.lineWidth = 6;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#6b3e00';
    for (const x of [44, 84]) {
      ctx.beginPath();
      ctx.arc(x, 54, 9, Math.PI * 1.1, Math.PI * 1.9);
      ctx.stroke();
    }
    ctx.beginPath();
    ctx.moveTo(36, 70);
    ctx.quadraticCurveTo(64, 110, 92, 70);
    ctx.closePath();
    ctx.fillStyle = '#6b3e00';
    ctx.fill();
  },
  flowers(ctx) {
    ctx.strokeStyle = '#4caf50';
    ctx.lineWidth = 6;
    ctx.beginPath();
    ctx.moveTo(64, 66);
    ctx.quadraticCurveTo(60, 96, 64, 122);
    ctx.stroke();
    ctx.beginPath();
    ctx.ellipse(78, 100, 12, 6, -0.6, 0, Math.PI * 2);
    ctx.fillStyle = '#4caf50';
    ctx.fill();
    for (let i = 0; i < 5; i++) {
      const a = (i / 5) * Math.PI * 2 - Math.PI / 2;
      ctx.beginPath();
      ctx.arc(64 + Math.cos(a) * 22, 46 + Math.sin(a) * 22, 17, 0, Math.PI * 2);
      ctx.fillStyle = i % 2 ? '#f78fb3' : '#ff6f91';
      ctx.fill();
    }
    ctx.beginPath();
    ctx.arc(64, 46, 14, 0, Math.PI * 2);
    ctx.fillStyle = '#ffd166';
    ctx.fill();
  },
};

/** A 128x128 canvas with the icon of a reaction kind. */
export function drawIcon(kind, size = 128) {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  ctx.scale(size / 128, size / 128);
  (PAINTERS[kind] || PAINTERS.heart)(ctx);
  return canvas;
}
