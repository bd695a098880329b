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

const BACKGROUND = 0x120c0a;
// image-based fill light: enough for PBR highlights on gilt and wood,
// low enough that the venue's own lights set the mood
const ENVIRONMENT_INTENSITY = 0.35;

export function isCoarsePointer() {
  return window.matchMedia('(pointer: coarse)').matches;
}

/** Phones pay for every pixel: cap the pixel ratio lower on touch screens. */
export function pixelRatioCap() {
  return isCoarsePointer() ? 1.5 : 2;
}

export function createStage(canvas) {
  const renderer = new WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, pixelRatioCap()));
  renderer.setSize(window.innerWidth, window.innerHeight, false);
  renderer.outputColorSpace = SRGBColorSpace;
  renderer.toneMapping = ACESFilmicToneMapping;
  renderer.toneMappingExposure = 1.0;

  const scene = new Scene();
  scene.background = new Color(BACKGROUND);

  const pmrem = new PMREMGenerator(renderer);
  const room = new RoomEnvironment();
  scene.environment = pmrem.fromScene(room, 0.04).texture;
  scene.environmentIntensity = ENVIRONMENT_INTENSITY;
  room.dispose();
  pmrem.dispose();

  const camera = new PerspectiveCamera(68, window.innerWidth / window.innerHeight, 0.05, 400);
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
    camera.updateProjectionMatrix();
  }
  window.addEventListener('resize', resize);

  return { renderer, scene, camera, rig, resize };
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
