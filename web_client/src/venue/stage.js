// The renderer, scene, camera rig and the lights described by the venue metadata.
//
// The camera sits in a rig: the rig stands on the floor and turns (yaw), the camera
// inside it holds the eye height and the pitch. A WebXR headset later drives the
// camera's local pose and the rig still places the visitor in the hall.

import {
  ACESFilmicToneMapping,
  AmbientLight,
  Color,
  DirectionalLight,
  Group,
  HemisphereLight,
  PerspectiveCamera,
  PMREMGenerator,
  PointLight,
  Scene,
  SpotLight,
  SRGBColorSpace,
  WebGLRenderer,
} from 'three';
import { RoomEnvironment } from 'three/addons/environments/RoomEnvironment.js';
import { isSoftwareRenderer } from './gpu.js';

const BACKGROUND = 0x120c0a;
// image-based fill light: enough for PBR highlights on gilt and wood,
// low enough that the venue's own lights set the mood
const ENVIRONMENT_INTENSITY = 0.18;
// ACES at 1.0 washes a lit hall out to pink seats and white walls; a bit under
// keeps the velvet red and lets the stage stand out
const EXPOSURE = 0.72;
// light types that count as house lights (dimmed while a performance is on)
const HOUSE_LIGHT_TYPES = new Set(['ambient', 'hemisphere', 'point']);

export function isCoarsePointer() {
  return window.matchMedia('(pointer: coarse)').matches;
}

const SOFTWARE_START_RATIO = 0.5;

/** Phones pay for every pixel: cap the pixel ratio lower on touch screens. */
export function pixelRatioCap() {
  return isCoarsePointer() ? 1.5 : 2;
}

const VERTICAL_FOV = 68; // degrees, landscape screens
const MIN_HORIZONTAL_FOV = 64; // a phone held upright still sees the stage and its wings

/** Vertical field of view for an aspect ratio: widened on portrait screens. */
export function verticalFov(aspect) {
  const minVertical = 2 * Math.atan(Math.tan((MIN_HORIZONTAL_FOV * Math.PI) / 360) / aspect);
  return Math.max(VERTICAL_FOV, (minVertical * 180) / Math.PI);
}

export function createStage(canvas) {
  // On a software rasteriser every multisample and every pixel costs CPU time the
  // page also needs: no MSAA there, and the first frames start at the governor's
  // floor instead of stepping down to it through seconds-long frames
  const software = isSoftwareRenderer();
  const renderer = new WebGLRenderer({ canvas, antialias: !software, powerPreference: 'high-performance' });
  const maxPixelRatio = Math.min(window.devicePixelRatio || 1, pixelRatioCap());
  renderer.setPixelRatio(software ? Math.min(maxPixelRatio, SOFTWARE_START_RATIO) : maxPixelRatio);
  renderer.setSize(window.innerWidth, window.innerHeight, false);
  renderer.outputColorSpace = SRGBColorSpace;
  renderer.toneMapping = ACESFilmicToneMapping;
  renderer.toneMappingExposure = EXPOSURE;

  const scene = new Scene();
  scene.background = new Color(BACKGROUND);

  const pmrem = new PMREMGenerator(renderer);
  const room = new RoomEnvironment();
  scene.environment = pmrem.fromScene(room, 0.04).texture;
  scene.environmentIntensity = ENVIRONMENT_INTENSITY;
  room.dispose();
  pmrem.dispose();

  const camera = new PerspectiveCamera(VERTICAL_FOV, window.innerWidth / window.innerHeight, 0.05, 400);
  camera.rotation.order = 'YXZ';
  const rig = new Group();
  rig.name = 'visitor-rig';
  rig.add(camera);
  scene.add(rig);

  function resize() {
    const width = window.innerWidth;
    const height = window.innerHeight;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.fov = verticalFov(camera.aspect);
    camera.updateProjectionMatrix();
  }
  resize();
  window.addEventListener('resize', resize);

  return { renderer, scene, camera, rig, resize, maxPixelRatio, software };
}

const LIGHT_FACTORIES = {
  ambient: (l) => new AmbientLight(rgb(l.color), l.intensity),
  hemisphere: (l) => new HemisphereLight(rgb(l.color), rgb(l.ground_color || [0.2, 0.16, 0.12]), l.intensity),
  directional: (l) => new DirectionalLight(rgb(l.color), l.intensity),
  point: (l) => new PointLight(rgb(l.color), l.intensity, l.distance || 0, 2),
  spot: (l) => new SpotLight(rgb(l.color), l.intensity, l.distance || 0, l.angle ?? Math.PI / 6, l.penumbra ?? 0.3, 2),
};

function rgb(c) {
  return new Color(c[0], c[1], c[2]);
}

/**
 * Create the lights the metadata lists (the GLB carries none). Returns the group
 * holding them. Shadows stay off: a lit hall reads well without them and they
 * cost a render pass per light, which phones and headsets cannot spare.
 */
export function addVenueLights(scene, lights) {
  const group = new Group();
  group.name = 'venue-lights';
  for (const spec of lights || []) {
    const make = LIGHT_FACTORIES[spec.type];
    if (!make) continue;
    const light = make(spec);
    light.name = spec.id;
    light.userData.baseIntensity = spec.intensity;
    light.userData.house = HOUSE_LIGHT_TYPES.has(spec.type);
    if (spec.position) light.position.set(...spec.position);
    if (light.target) {
      if (spec.target) light.target.position.set(...spec.target);
      group.add(light.target);
    }
    group.add(light);
  }
  if (!group.children.length) {
    // a venue without lights must still be visible
    group.add(new HemisphereLight(0xfff1dd, 0x2a1d16, 1.2));
  }
  scene.add(group);
  return group;
}

/**
 * Dim the house lights to `level` (0..1) of what the venue specifies; stage
 * spots keep their strength. Down while a performance is live, up otherwise.
 */
export function setHouseLights(group, level) {
  for (const light of group.children) {
    if (light.isLight && light.userData.house) light.intensity = light.userData.baseIntensity * level;
  }
}
