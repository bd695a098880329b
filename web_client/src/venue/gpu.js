// What draws the hall: a GPU, or a software rasteriser (a machine without a usable
// GPU, a blocklisted driver, a headless browser). Asked once, on a throwaway canvas,
// because what depends on it (antialiasing) is fixed when the real context is made.

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

let answer = null;

/** The WebGL renderer's own name, or '' where the browser does not tell. */
function rendererName() {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return '';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/** True when every pixel is shaded by the CPU. */
export function isSoftwareRenderer() {
  if (answer === null) answer = SOFTWARE.test(rendererName());
  return answer;
}
