// The numbers behind the layout editor: a venue seen from above in metres (x to
// the right, z down the page, so the far wall at -z is at the top), facings as
// degrees clockwise from "up the plan", and the floor's height under a point.
// The server checks the same things again (server/scene_uploads/layout.py).

/** Round to centimetres (what the inputs show and the server keeps). */
export const cm = (v) => Math.round(v * 100) / 100;
const r4 = (v) => Math.round(v * 1e4) / 1e4;

/** A horizontal unit vector for `degrees` clockwise from up the plan (-z). */
export function facingVector(degrees) {
  const a = (degrees * Math.PI) / 180;
  return [r4(Math.sin(a)), 0, r4(-Math.cos(a))];
}

/** The facing of a vector in whole degrees, 0..359 (up the plan is 0, right is 90). */
export function facingDegrees(vector) {
  const d = Math.round((Math.atan2(vector[0], -vector[2]) * 180) / Math.PI);
  return (d + 360) % 360;
}

/** The facing from (x, z) towards (tx, tz), in whole degrees. */
export function degreesTowards(x, z, tx, tz) {
  return facingDegrees([tx - x, 0, tz - z]);
}

function inside(vertices, x, z) {
  let hit = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const [xi, , zi] = vertices[i];
    const [xj, , zj] = vertices[j];
    if ((zi > z) !== (zj > z) && x < ((xj - xi) * (z - zi)) / (zj - zi) + xi) hit = !hit;
  }
  return hit;
}

/** The height of the walkable floor at (x, z), or null off it (an uploaded venue's areas are level). */
export function floorAt(walkable, x, z) {
  for (const area of walkable) {
    if (inside(area.vertices, x, z)) {
      return cm(area.vertices.reduce((sum, v) => sum + v[1], 0) / area.vertices.length);
    }
  }
  return null;
}

/** Left and right ends of the screen's bottom edge seen from above, as the audience sees them. */
export function screenEnds(screen) {
  const [nx, , nz] = facingVector(screen.facing);
  // the audience looks along -normal; its right hand is up x normal = (nz, 0, -nx)
  const rx = nz;
  const rz = -nx;
  const half = screen.width / 2;
  return [[screen.x - rx * half, screen.z - rz * half], [screen.x + rx * half, screen.z + rz * half]];
}

/**
 * The editor's screen as the API takes it (the server works out the corners);
 * the editor's `y` is above the floor at `floorY`.
 */
export function screenBody(screen, floorY = 0) {
  return {
    center: [cm(screen.x), cm(screen.y + floorY), cm(screen.z)],
    normal: facingVector(screen.facing),
    up: [0, 1, 0],
    width: cm(screen.width),
    height: cm(screen.height),
  };
}

/** The editor's screen from the venue metadata's ScreenRect, its `y` above the floor at `floorY`. */
export function screenFrom(rect, floorY = 0) {
  return {
    x: cm(rect.center[0]), y: cm(rect.center[1] - floorY), z: cm(rect.center[2]),
    width: cm(rect.width), height: cm(rect.height), facing: facingDegrees(rect.normal),
  };
}
