// Downloads the venue GLB with progress, then parses it with three's GLTFLoader.
//
// The server may send the GLB gzip-compressed: Content-Length is then the
// compressed size while the stream yields decompressed bytes, so the metadata's
// `stats.glb_bytes` (the real size) is the better total when we have it.

import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';

import { t } from '../i18n/i18n.js';

/**
 * @param {string} url
 * @param {{expectedBytes?: number, onProgress?: (fraction: number|null, loaded: number) => void, signal?: AbortSignal}} options
 *   `fraction` is null while the total size is unknown.
 */
export async function downloadWithProgress(url, { expectedBytes = 0, onProgress, signal } = {}) {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(t('venue.download_failed', { status: response.status }));
  const encoded = response.headers.get('Content-Encoding');
  const length = Number(response.headers.get('Content-Length')) || 0;
  const total = expectedBytes || (!encoded || encoded === 'identity' ? length : 0);

  if (!response.body || !response.body.getReader) {
    const buffer = await response.arrayBuffer();
    if (onProgress) onProgress(1, buffer.byteLength);
    return buffer;
  }

  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    if (onProgress) onProgress(total ? Math.min(loaded / total, 1) : null, loaded);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (onProgress) onProgress(1, loaded);
  return bytes.buffer;
}

/** Parse GLB bytes into a glTF result ({scene, ...}). Scenes travel compressed
 * (KHR_mesh_quantization + EXT_meshopt_compression, made by gltfpack on the
 * server); three.js's own MeshoptDecoder unpacks them. */
export function parseGlb(buffer) {
  return new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(buffer, '');
}

/** Phones and standalone headsets (a coarse pointer, or a headset's browser) load
 * the lighter GLB when the venue has one; desktops the full one. */
export function sceneUrlFor(venue, { coarse = matchMedia('(pointer: coarse)').matches, userAgent = navigator.userAgent } = {}) {
  const light = coarse || /OculusBrowser|Quest|Pico|Wolvic/i.test(userAgent);
  return light && venue.light_scene_url ? venue.light_scene_url : venue.scene_url;
}

export async function loadVenueGlb(url, options) {
  const buffer = await downloadWithProgress(url, options);
  return parseGlb(buffer);
}
