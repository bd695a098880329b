// `window.__zalTest`, only on pages opened with ?test=1: lets the browser tests
// find seats on screen, read the camera and check that pixels were drawn.

export function installTestHook() {
  const hook = {
    view: null,
    errors: [],
    cameraPosition() {
      const p = hook.view.getPose().position;
      return { x: p[0], y: p[1], z: p[2] };
    },
    seat(id) {
      return hook.view.seats.get(id);
    },
    seatIds() {
      return hook.view.seats.list.map((s) => s.id);
    },
    /** Screen point of a world position (CSS pixels). */
    project(x, y, z) {
      hook.view.camera.updateMatrixWorld(true);
      return hook.view.project(x, y, z);
    },
    /** Render now and read the pixels back in the same task. */
    pixelStats() {
      const { renderer, scene, camera } = hook.view;
      renderer.render(scene, camera);
      const gl = renderer.getContext();
      const w = gl.drawingBufferWidth;
      const h = gl.drawingBufferHeight;
      const pixels = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
      const colours = new Set();
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        sum += pixels[i] + pixels[i + 1] + pixels[i + 2];
      }
      return { width: w, height: h, distinctColours: colours.size, meanValue: sum / (w * h * 3) };
    },
    renderInfo() {
      const { renderer, scene, camera } = hook.view;
      renderer.info.autoReset = false;
      renderer.info.reset();
      renderer.render(scene, camera);
      const r = renderer.info.render;
      const out = { calls: r.calls, triangles: r.triangles, geometries: renderer.info.memory.geometries, textures: renderer.info.memory.textures };
      renderer.info.autoReset = true;
      return out;
    },
    /** Mean and worst interval (ms) between back-to-back drawn frames, over the last `n`. */
    frameStats(n = 120) {
      const v = hook.view;
      const count = Math.min(n, v.timedFrames, v.frameTimes.length);
      let sum = 0;
      let worst = 0;
      for (let i = 1; i <= count; i++) {
        const t = v.frameTimes[(v.timedFrames - i) % v.frameTimes.length];
        sum += t;
        worst = Math.max(worst, t);
      }
      return { frames: count, meanMs: count ? sum / count : 0, worstMs: worst };
    },
  };
  window.__zalTest = hook;
  return hook;
}
