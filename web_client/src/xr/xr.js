// attachXr(view, live): immersive VR on the venue page (WebXR through three.js's
// renderer.xr). The same hall, seats, stage and audience as the 2D page; both
// controllers point: at the floor to teleport (arc and landing ring), at a free seat
// to sit, at the wrist panel to react, reply, raise a hand or leave; the thumbstick
// snap-turns (and, with smooth walking switched on, the left one glides, with a
// vignette); clapping the controllers together is applause. Head and hands go to
// the others at 20 Hz. In a gallery, pointing at a work opens its card in the
// headset, the wrist panel runs the tours (moving between stops by fade teleport)
// and the page's captions show on a board before the eyes.
import { Ray } from 'three';

import { XrArtCard } from './artcard.js';
import { VrButton, vrUnavailableReason } from './button.js';
import { XrCaptions } from './captionplane.js';
import { ClapDetector } from './clap.js';
import { XrControllers } from './controllers.js';
import { FadeTeleport } from './fadeteleport.js';
import { HandPoses } from './handposes.js';
import { XrLocomotion } from './locomotion.js';
import { WristActions } from './panelactions.js';
import { ImmersiveSession } from './session.js';
import { TeleportArc } from './teleport.js';
import { XrTourControls } from './tourcontrols.js';
import { ComfortVignette } from './vignette.js';
import { WristPanel } from './wristpanel.js';

const STICK_FLICK = 0.6; // thumbstick past this turns once...
const STICK_REST = 0.3; // ...and must come back under this to turn again
const STICK_DEAD = 0.15; // a resting stick drifts a little: no glide below this
const SMOOTH_KEY = 'zal.xr.smooth'; // the visitor's choice, kept in this browser
const WORK_REACH_M = 8; // a work further than this along the ray is not pointed at

function storedSmooth() {
  try {
    return localStorage.getItem(SMOOTH_KEY) === '1';
  } catch {
    return false;
  }
}

class ImmersiveVenue {
  constructor(view, live, qa, tours) {
    this.view = view;
    this.live = live;
    this.qa = qa;
    this.session = new ImmersiveSession(view);
    // smooth walking is off unless the visitor turns it on (comfort first)
    this.smooth = storedSmooth();
    this.vignette = new ComfortVignette(view.camera);
    const venue = this;
    this.wristActions = new WristActions(live, this.session, {
      get smooth() { return venue.smooth; },
      setSmooth: (on) => this._setSmooth(on),
    });
    this.controllers = new XrControllers(view.renderer, view.rig);
    this.locomotion = new XrLocomotion(view);
    this.handPoses = new HandPoses(this.controllers);
    if (live) live.pose.hands = this.handPoses; // 22-number poses while in VR
    this.clap = new ClapDetector(this.controllers, () => this.live?.conn?.react('applause'));
    this.fade = new FadeTeleport(view, this.locomotion); // tours' and groups' moves (xrFadeTeleport)
    this.captions = new XrCaptions(view.camera, document.getElementById('captions'));
    this.card = new XrArtCard(view);
    this.tour = new XrTourControls(tours, this.card, () => this.panel?.paint());
    this.wristActions.tour = this.tour;
    this.panel = null; // on the left hand once it connects
    this._ray = new Ray();
    this._seatHit = { index: -1, t: 0 };
    this._hoverId = null;
    for (const hand of this.controllers.hands) {
      hand.arc = new TeleportArc(view.scene, view.floor);
      hand.target = { kind: '', seat: null, button: null, exhibit: null };
      hand.stickReady = true;
      hand.pointer.addEventListener('select', () => this._act(hand));
    }
    this.session.addEventListener('start', () => {
      this.handPoses.enabled = true;
      this.captions.setPresenting(true);
    });
    this.session.addEventListener('end', () => this._onEnd());
    view.onFrame((dt) => { if (this.session.presenting) this._frame(dt); });
  }

  _setSmooth(on) {
    this.smooth = on;
    try {
      localStorage.setItem(SMOOTH_KEY, on ? '1' : '0');
    } catch {
      // a browser that keeps nothing: the choice lasts for this visit
    }
  }

  _frame(dt) {
    this.view.rig.updateMatrixWorld(true); // controllers and head as of this frame
    const left = this.controllers.side('left');
    if (left && !this.panel) this._makePanel(left);
    let hoverId = null;
    for (const hand of this.controllers.hands) {
      if (hand.tracked) hoverId = this._aim(hand) || hoverId;
      else hand.arc.hide();
      if (this.smooth && hand.handedness === 'left') this._glide(hand, dt);
      else this._snapTurn(hand);
    }
    if (!this.smooth) this.vignette.update(0, dt);
    if (hoverId !== this._hoverId) this.view.seats.hover((this._hoverId = hoverId));
    this.clap.update();
  }

  /** Smooth walking with the left stick, the vignette as strong as the stick is pushed. */
  _glide(hand, dt) {
    const x = Math.abs(hand.stickX) > STICK_DEAD ? hand.stickX : 0;
    const y = Math.abs(hand.stickY) > STICK_DEAD ? hand.stickY : 0;
    const moved = (x || y) && this.locomotion.glide(-y, x, dt);
    this.vignette.update(moved ? Math.min(1, Math.hypot(x, y)) : 0, dt);
  }

  _makePanel(left) {
    const actions = this.wristActions;
    this.panel = new WristPanel(left.grip, {
      chatLog: this.live?.chat?.log || null,
      board: this.qa?.board || null,
      replies: () => actions.replies(),
      actions: () => actions.actions(),
      tour: () => this.tour.section(),
    });
    actions.panel = this.panel;
    // the question on stage and a raised hand show on the panel as they change
    const repaint = () => this.panel.paint();
    this.live?.conn?.on('qa_state', repaint);
    this.live?.conn?.on('question', repaint);
    this.live?.handRaise?.addEventListener?.('change', repaint);
  }

  /**
   * What `hand` points at: the wrist panel, an open card, a free seat, a work, or
   * (along the arc) the floor. Returns the seat id to highlight, if any.
   */
  _aim(hand) {
    const ray = hand.worldRay(this._ray);
    const target = hand.target;
    target.kind = '';
    const onPanel = this.panel && hand.handedness === 'right' ? this.panel.point(ray) : null;
    if (onPanel) {
      target.kind = 'panel';
      target.button = onPanel;
      hand.setRayLength(this.panel.distance(ray));
      hand.arc.hide();
      return null;
    }
    const onCard = this.card.distance(ray);
    if (onCard < Infinity) {
      target.kind = 'card';
      hand.setRayLength(onCard);
      hand.arc.hide();
      return null;
    }
    const seats = this.view.seats;
    if (seats.raycast(ray, this._seatHit)) {
      const seat = seats.list[this._seatHit.index];
      if (seats.isAvailable(seat.id) && seat.id !== this.view.controls.seatId) {
        target.kind = 'seat';
        target.seat = seat;
        hand.setRayLength(this._seatHit.t);
        hand.arc.hide();
        return seat.id;
      }
    }
    const work = this.view.exhibitAlong(ray, WORK_REACH_M);
    if (work) {
      target.kind = 'exhibit';
      target.exhibit = work.id;
      hand.setRayLength(work.distance);
      hand.arc.hide();
      return null;
    }
    if (hand.arc.update(ray)) target.kind = 'floor';
    hand.setRayLength(0.3); // the arc shows the way; a stub of ray shows the hand points
    return null;
  }

  _act(hand) {
    const target = hand.target;
    if (target.kind === 'panel') this.wristActions.run(target.button);
    else if (target.kind === 'card') this.card.close();
    else if (target.kind === 'exhibit') this.card.open(target.exhibit);
    else if (target.kind === 'seat') this.locomotion.sitAt(target.seat);
    else if (target.kind === 'floor') this.locomotion.teleportTo(hand.arc.target);
  }

  _snapTurn(hand) {
    const x = hand.stickX;
    if (hand.stickReady && Math.abs(x) > STICK_FLICK) {
      hand.stickReady = false;
      this.locomotion.snapTurn(Math.sign(x));
    } else if (Math.abs(x) < STICK_REST) {
      hand.stickReady = true;
    }
  }

  _onEnd() {
    this.handPoses.enabled = false;
    this.captions.setPresenting(false);
    this.card.close();
    for (const hand of this.controllers.hands) hand.arc.hide();
    this._hoverId = null;
    this.view.seats.hover(null);
  }

  /** Plain data for tests and debugging. */
  debug() {
    return {
      presenting: this.session.presenting,
      hands: this.controllers.hands.map((h) => ({
        side: h.handedness,
        tracked: h.tracked,
        target: h.target.kind,
        button: h.target.kind === 'panel' ? h.target.button.id : null,
        seat: h.target.kind === 'seat' ? h.target.seat.id : null,
        exhibit: h.target.kind === 'exhibit' ? h.target.exhibit : null,
        landing: h.arc.valid ? h.arc.target.toArray() : null,
      })),
      claps: this.clap.claps,
      smooth: this.smooth,
      vignette: this.vignette.strength,
      seat: this.view.controls.seatId,
      fade: { phase: this.fade.phase, opacity: this.fade.opacity, trace: this.fade.trace },
      captions: this.captions.mesh.visible ? this.captions.text : null,
      card: this.card.mesh.visible ? { exhibit: this.card.exhibitId, image: !!this.card.image } : null,
      tour: this.tour.player ? { stop: this.tour.player.index + 1, count: this.tour.player.count } : null,
    };
  }
}

async function emulationIfAsked() {
  if (new URLSearchParams(location.search).get('xr') !== 'emulate') return;
  try {
    (await import('./emulate.js')).installEmulatedHeadset();
  } catch (err) {
    console.warn('xr: headset emulation is not available on this server', err.message);
  }
}

/**
 * Wire VR into a venue page; `live` is the page's live audience (or null), `qa`
 * its questions for the stage (attachQa's answer, or null), `tours` a gallery's
 * tours (attachTours's answer: a promise of them or of null).
 */
export async function attachXr(view, live, { qa = null, tours = null } = {}) {
  await emulationIfAsked();
  const venue = new ImmersiveVenue(view, live, qa, tours);
  const button = new VrButton(document.getElementById('hud-actions'), {
    enter: () => venue.session.enter(),
    exit: () => venue.session.exit(),
  });
  venue.session.addEventListener('start', () => button.setPresenting(true));
  venue.session.addEventListener('end', () => button.setPresenting(false));
  button.setAvailability(await vrUnavailableReason());
  window.__zalXr = venue;
  return venue;
}
