// VenueView: one loaded hall with a visitor in it. Holds the scene, camera,
// metadata, seats, floor and controls, runs the frame loop, and is the object
// other features (audience, chat, reactions, WebXR) attach to:
//
//   view.onFrame((dt, time) => ...)       per-frame work, returns an unsubscribe; a callback
//                                          returns true when it changed what is on screen
//   view.wake()                            something changed on screen: draw the next frame
//   view.sitAt('stalls/B/12')              glide into a seat
//   view.addEventListener('seat', e => e.detail.seatId)   sat down / stood up (null)
//   view.addEventListener('pose', ...)     the visitor moved (at most once a frame)
//   view.addEventListener('hover', ...)    seat under the mouse (detail {seat, x, y}; reused object)
//   view.addEventListener('exhibit', e => e.detail.exhibitId)   a picture was clicked or tapped
//   view.exhibitAlong(ray, far)            the work a controller's ray points at: {id, distance}
//   view.addEventListener('tap', e => e.preventDefault())   a click or tap (detail {x, y}); cancel to
//                                          keep the hall from walking or opening a card
//   view.getPose()                         {position, yaw, pitch, seatId}
//   view.seats.setUnavailable(ids)         seats others hold
//   view.rig / view.camera                 the rig stands on the floor and turns; the camera
//                                          holds eye height and pitch (WebXR drives the camera)
//   view.screen.material.map               the stage screen's texture (swap in a video)

import { Box3, PropertyBinding, Raycaster, Vector2, Vector3 } from 'three';
import { addVenueLights, createStage, pixelRatioCap, setHouseLights } from './stage.js';
import { AdaptiveResolution } from './quality.js';
import { loadVenueGlb, sceneUrlFor } from './loader.js';
import { Floor } from './walkable.js';
import { Seats } from './seats.js';
import { StageScreen } from './screen.js';
import { buildExhibitPlaceholders } from './exhibits.js';
import { buildWallLabels } from './labels.js';
import { STANDING_EYE_HEIGHT, VisitorControls, yawFromDirection } from './controls.js';

const HOUSE_LIGHTS_LIVE = 0.5;
const SPAWN_SPREAD_M = 1.5;
const OCCLUSION_SLACK = 0.6; // metres a seat or floor hit may lie behind the first mesh hit
// A still hall is drawn a few times a second, not sixty: a phone watching a paused
// screen keeps its battery, and a change nobody reported still shows within this.
// Where a frame itself is slow (a CPU drawing it: no usable GPU) a still hall is
// drawn less often, so that it keeps at most IDLE_SHARE of the machine busy.
const IDLE_FRAME_MS = 500;
const IDLE_SHARE = 0.15;
const IDLE_FRAME_MAX_MS = 2500;

export class VenueView extends EventTarget {
  /**
   * @param {{canvas: HTMLCanvasElement, venue: object, event: object|null, joystick?: object}} options
   *   venue = the API's venue (with `metadata`), event = the API's event or null
   */
  constructor({ canvas, venue, event = null, joystick = null }) {
    super();
    this.canvas = canvas;
    this.venue = venue;
    this.metadata = venue.metadata;
    this.event = event;
    const { renderer, scene, camera, rig, maxPixelRatio, software } = createStage(canvas);
    this.renderer = renderer;
    this.scene = scene;
    this.camera = camera;
    this.rig = rig;
    this.root = null;
    this.screen = null;
    this.floor = new Floor(this.metadata.walkable);
    this.seats = new Seats(this.metadata);
    scene.add(this.seats.highlight);
    this.lights = addVenueLights(scene, this.metadata.lights);
    // the house goes dim while a performance is on: the stage is what you look at
    if (event && event.status === 'live' && this.metadata.stage) setHouseLights(this.lights, HOUSE_LIGHTS_LIVE);
    this.quality = new AdaptiveResolution(renderer, { max: maxPixelRatio, min: Math.min(0.5, pixelRatioCap()) });
    this.softwareRendered = software;

    this.controls = new VisitorControls({
      camera, rig, canvas, floor: this.floor, joystick,
      onTap: (x, y) => this._onTap(x, y),
      onHover: (x, y) => this._setHoverPointer(x, y),
    });
    this.controls.onStand = () => this._emitSeat(null);

    this._frameCallbacks = []; // an array: iterating it allocates nothing
    this._hover = { x: 0, y: 0, dirty: false, active: false };
    this._seatId = null;
    this._lastTime = -1;
    this._drawnAt = -Infinity; // when the last frame was drawn (rAF time, ms)
    this._drewLast = false; // the previous loop iteration drew
    this._changed = true; // wake(): draw the next frame
    this._frameMs = 0; // a drawn frame's time, smoothed (back-to-back frames only)
    this._idleFrameMs = IDLE_FRAME_MS; // how often a still hall is drawn
    this.frameTimes = new Float32Array(240); // ring of recent intervals between drawn frames, ms
    this.timedFrames = 0; // intervals written to the ring
    this.frameCount = 0; // drawn frames
    this.loopCount = 0; // loop iterations, drawn or not
    window.addEventListener('resize', () => this.wake());

    // temporaries for picking, allocated once
    this._raycaster = new Raycaster();
    this._ndc = new Vector2();
    this._hit = { index: -1, t: 0 };
    this._floorPoint = new Vector3();
    this._meshes = [];
    this._projected = new Vector3();
    this._pickResult = { kind: '', seat: null, point: this._floorPoint };
    // events re-dispatched every frame are made once (an Event may be dispatched again)
    this._poseEvent = new Event('pose');
    this._hoverDetail = { seat: null, x: 0, y: 0 };
    this._hoverEvent = new CustomEvent('hover', { detail: this._hoverDetail });
  }

  /** Download and set up the hall. `onProgress(fraction|null)` while downloading. */
  async load({ onProgress } = {}) {
    const gltf = await loadVenueGlb(sceneUrlFor(this.venue), {
      expectedBytes: this.metadata.stats ? this.metadata.stats.glb_bytes : 0,
      onProgress,
    });
    this.root = gltf.scene;
    this.root.traverse((o) => {
      if (o.isMesh) {
        o.matrixAutoUpdate = false; // the hall does not move
        this._meshes.push(o);
      }
    });
    this.root.updateMatrixWorld(true);
    this.scene.add(this.root);
    this.screen = new StageScreen(this.root, this.metadata.screen, this.renderer.capabilities.getMaxAnisotropy());
    this.screen.onChange = () => this.wake();
    if (this.screen.present) this.screen.show({ venue: this.venue, event: this.event });
    this._findPictures();
    this.exhibits = buildExhibitPlaceholders(
      this.metadata.exhibit_slots, this.renderer.capabilities.getMaxAnisotropy(), this.metadata.exhibits);
    if (this.exhibits) this.scene.add(this.exhibits);
    this.labels = buildWallLabels(
      this.metadata.exhibit_slots, this.metadata.exhibits, this.renderer.capabilities.getMaxAnisotropy());
    if (this.labels) this.scene.add(this.labels);
    this.goToSpawn();
    // compile every shader before the first frame so it does not stutter
    await this.renderer.compileAsync(this.scene, this.camera);
  }

  /**
   * Stand at a spawn point, looking at the stage. Without an index a random one,
   * so visitors arriving together do not stand inside each other.
   */
  goToSpawn(index = null) {
    const points = this.metadata.spawn_points;
    const spawn = points[index ?? Math.floor(Math.random() * points.length)] || points[0];
    const feet = index === null ? this._spreadAround(spawn.position) : spawn.position;
    const eye = [feet[0], feet[1] + STANDING_EYE_HEIGHT, feet[2]];
    // a hall greets you with its stage, even from a spawn point in a corner
    const stage = this.metadata.stage;
    const facing = stage
      ? [stage.center[0] - eye[0], 0, stage.center[2] - eye[2]]
      : spawn.facing;
    this.controls.placeAt(feet, facing, this._pitchToStage(eye));
    this.controls.rememberStanding();
  }

  /**
   * A random floor spot within SPAWN_SPREAD_M of `position` (same floor level), so
   * visitors arriving at once rarely stand in each other (live/arrival.js steps
   * aside when they still do).
   */
  _spreadAround(position) {
    for (let attempt = 0; attempt < 12; attempt++) {
      const r = SPAWN_SPREAD_M * Math.sqrt(Math.random()); // uniform over the disc
      const a = Math.random() * Math.PI * 2;
      const x = position[0] + r * Math.cos(a);
      const z = position[2] + r * Math.sin(a);
      const y = this.floor.heightAt(x, z, position[1], 0.05);
      if (y !== null) return [x, y, z];
    }
    return position;
  }

  _pitchToStage(eye) {
    const stage = this.metadata.stage;
    const screen = this.metadata.screen;
    // look at the performers (1.2 m above the stage floor), or the screen's lower part
    const target = stage
      ? [stage.center[0], stage.center[1] + 1.2, stage.center[2]]
      : screen ? screen.center : null;
    if (!target) return 0;
    const horizontal = Math.hypot(target[0] - eye[0], target[2] - eye[2]);
    return Math.max(-0.45, Math.min(0.3, Math.atan2(target[1] - eye[1], Math.max(horizontal, 0.5))));
  }

  start() {
    this._lastTime = -1; // a restart is not one long frame
    this.renderer.setAnimationLoop((time) => this._frame(time));
  }

  stop() {
    this.renderer.setAnimationLoop(null);
  }

  onFrame(callback) {
    this._frameCallbacks.push(callback);
    return () => {
      const i = this._frameCallbacks.indexOf(callback);
      if (i >= 0) this._frameCallbacks.splice(i, 1);
    };
  }

  /** Something on screen changed outside the frame callbacks: draw the next frame. */
  wake() {
    this._changed = true;
  }

  _frame(time) {
    const dt = this._lastTime < 0 ? 0 : (time - this._lastTime) / 1000;
    const interval = time - this._lastTime;
    this._lastTime = time;
    this.loopCount += 1;
    this.controls.update(dt);
    if (this.controls.seatId !== this._seatId && !this.controls.isTravelling) this._emitSeat(this.controls.seatId);
    if (this.controls.moved && this._hover.active) this._hover.dirty = true;
    let changed = this._changed || this.controls.moved || this._hover.dirty || this.renderer.xr.isPresenting;
    if (this._hover.dirty) this._updateHover();
    const callbacks = this._frameCallbacks;
    for (let i = 0; i < callbacks.length; i++) if (callbacks[i](dt, time)) changed = true;
    if (changed || time - this._drawnAt >= this._idleFrameMs) {
      // only back-to-back drawn frames say how long a frame takes (the governor's input)
      if (this._drewLast && interval > 0) {
        this.frameTimes[this.timedFrames++ % this.frameTimes.length] = interval;
        this.quality.sample(interval, time);
        this._frameMs = this._frameMs ? 0.8 * this._frameMs + 0.2 * interval : interval;
        this._idleFrameMs = Math.min(IDLE_FRAME_MAX_MS, Math.max(IDLE_FRAME_MS, this._frameMs / IDLE_SHARE));
      }
      this.frameCount += 1;
      this.renderer.render(this.scene, this.camera);
      this._drawnAt = time;
      this._changed = false;
      this._drewLast = true;
    } else {
      this._drewLast = false;
    }
    if (this.controls.moved) this.dispatchEvent(this._poseEvent);
  }

  render() {
    this.renderer.render(this.scene, this.camera);
  }

  // --- seats and walking -------------------------------------------------

  get seatId() {
    return this._seatId;
  }

  /** Glide into seat `seatId`; false when there is no such free seat. */
  sitAt(seatId) {
    const seat = this.seats.get(seatId);
    if (!seat || !this.seats.isAvailable(seatId)) return false;
    this.controls.rememberStanding();
    const eye = seat.eye;
    this.controls.travelTo([eye[0], seat.floor_y, eye[2]], {
      eyeHeight: eye[1] - seat.floor_y,
      yaw: yawFromDirection(seat.facing[0], seat.facing[2]),
      pitch: this._pitchToStage(eye),
      seatId,
    });
    this.seats.hover(null);
    return true;
  }

  standUp() {
    this.controls.standUp();
  }

  /** Walk (glide) to the floor point (x, y, z), turning to `yaw`/`pitch` if given. */
  walkTo(x, y, z, { yaw, pitch } = {}) {
    if (this.controls.seatId) this._emitSeat(null);
    this.controls.seatId = null;
    this.controls.travelTo([x, y, z], { eyeHeight: STANDING_EYE_HEIGHT, yaw, pitch });
    this.controls.floorY = y;
  }

  _emitSeat(seatId) {
    if (seatId === this._seatId) return;
    this._seatId = seatId;
    this.dispatchEvent(new CustomEvent('seat', { detail: { seatId } }));
  }

  getPose() {
    const p = this.camera.getWorldPosition(this._projected);
    return {
      position: [p.x, p.y, p.z],
      yaw: this.controls.yaw,
      pitch: this.controls.pitch,
      seatId: this._seatId,
    };
  }

  // --- picking ------------------------------------------------------------

  _setRay(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    this._ndc.set(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this._raycaster.setFromCamera(this._ndc, this.camera);
    return this._raycaster.ray;
  }

  /**
   * What is under the pointer: {kind: 'seat', seat} | {kind: 'floor', point} | null.
   * With `occlusion`, a seat or floor spot hidden behind a wall does not count
   * (one triangle ray cast: done on taps, not on every hover). The result object
   * is reused by the next call: read it right away.
   */
  pick(clientX, clientY, { occlusion = false } = {}) {
    const ray = this._setRay(clientX, clientY);
    const seatHit = this.seats.raycast(ray, this._hit) ? this._hit.t : Infinity;
    const floorT = this.floor.raycast(ray, this._floorPoint);
    const t = Math.min(seatHit, floorT);
    if (t === Infinity) return null;
    if (occlusion && this._meshes.length) {
      const first = this._raycaster.intersectObjects(this._meshes, false)[0];
      if (first && first.distance + OCCLUSION_SLACK < t) return null;
    }
    const result = this._pickResult;
    if (seatHit <= floorT) {
      const seat = this.seats.list[this._hit.index];
      if (!this.seats.isAvailable(seat.id)) return null;
      result.kind = 'seat';
      result.seat = seat;
      return result;
    }
    result.kind = 'floor';
    result.seat = null;
    return result;
  }

  /** The GLB's picture meshes (a gallery's works, `exhibit/<id>`), by mesh. */
  _findPictures() {
    this.pictures = new Map(); // mesh -> exhibit id
    for (const exhibit of this.metadata.exhibits || []) {
      if (!exhibit.node) continue;
      // GLTFLoader sanitizes node names ('exhibit/x' -> 'exhibitx'), so look them up the same way
      const mesh = this.root.getObjectByName(PropertyBinding.sanitizeNodeName(exhibit.node));
      if (mesh) this.pictures.set(mesh, exhibit.id);
    }
  }

  /** The work under the pointer if it is the nearest thing there, else null. */
  pickExhibit(clientX, clientY) {
    if (!this.pictures || !this.pictures.size) return null;
    this._setRay(clientX, clientY);
    const first = this._raycaster.intersectObjects(this._meshes, false)[0];
    return first ? this.pictures.get(first.object) || null : null;
  }

  /** The work first hit along world `ray` (a controller's) within `far` metres: {id, distance} or null. */
  exhibitAlong(ray, far = Infinity) {
    if (!this.pictures || !this.pictures.size) return null;
    const raycaster = this._raycaster;
    raycaster.ray.copy(ray);
    raycaster.far = far;
    // every frame for both hands: the few pictures first, the whole hall only when
    // one is hit (is anything nearer in front of it?)
    this._pictureMeshes ||= [...this.pictures.keys()];
    let first = raycaster.intersectObjects(this._pictureMeshes, false)[0];
    if (first) first = raycaster.intersectObjects(this._meshes, false)[0];
    raycaster.far = Infinity;
    const id = first ? this.pictures.get(first.object) : null;
    return id ? { id, distance: first.distance } : null;
  }

  _onTap(x, y) {
    // a feature may take the tap for itself by cancelling 'tap' (a guide's pointer)
    if (!this.dispatchEvent(new CustomEvent('tap', { detail: { x, y }, cancelable: true }))) return;
    const exhibitId = this.pickExhibit(x, y);
    if (exhibitId) {
      this.dispatchEvent(new CustomEvent('exhibit', { detail: { exhibitId } }));
      return;
    }
    const hit = this.pick(x, y, { occlusion: true });
    if (!hit) return;
    if (hit.kind === 'seat') this.sitAt(hit.seat.id);
    else this.walkTo(hit.point.x, hit.point.y, hit.point.z);
  }

  _setHoverPointer(x, y) {
    this._hover.active = x !== null;
    this._hover.x = x;
    this._hover.y = y;
    this._hover.dirty = true;
  }

  _updateHover() {
    this._hover.dirty = false;
    const hit = this._hover.active && !this.controls.isTravelling ? this.pick(this._hover.x, this._hover.y) : null;
    const seat = hit && hit.kind === 'seat' && hit.seat.id !== this._seatId ? hit.seat : null;
    this.seats.hover(seat ? seat.id : null);
    this.canvas.style.cursor = hit ? 'pointer' : '';
    this._hoverDetail.seat = seat;
    this._hoverDetail.x = this._hover.x;
    this._hoverDetail.y = this._hover.y;
    this.dispatchEvent(this._hoverEvent);
  }

  /** Screen position (CSS pixels) of a world point, and whether it is in view. */
  project(x, y, z) {
    const v = this._projected.set(x, y, z).project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: rect.left + ((v.x + 1) / 2) * rect.width,
      y: rect.top + ((1 - v.y) / 2) * rect.height,
      visible: v.z > -1 && v.z < 1 && Math.abs(v.x) <= 1 && Math.abs(v.y) <= 1,
    };
  }

  bounds() {
    return new Box3().setFromObject(this.root);
  }
}
