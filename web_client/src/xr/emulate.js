// Test mode only: an emulated Meta Quest 3 (iwer) stands in for a headset so the
// browser tests can enter VR in headless Chromium. The server serves this file only
// when ZAL_XR_EMULATION is on (server/api/static.py): an ordinary visitor's page
// cannot load it, whatever the address says.
import { XRDevice, metaQuest3 } from 'iwer';

export function installEmulatedHeadset() {
  const device = new XRDevice(metaQuest3, { stereoEnabled: true });
  // Chromium has a native navigator.xr (which says "no immersive-vr"): replace it
  device.installRuntime({ forceInstall: true });
  window.__zalXrDevice = device; // the tests move the head and controllers through it
  return device;
}
