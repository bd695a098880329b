// Sign-in form: trades a token for a session cookie (POST /api/session).

import { call, refusalText } from './portalapi.js';

const $ = (id) => document.getElementById(id);

/** Show the form; resolves once signed in. */
export function askToSignIn() {
  $('signin').hidden = false;
  const form = $('signin-form');
  return new Promise((resolve) => {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const token = $('signin-token').value.trim();
      if (!token) return;
      try {
        const session = await call('POST', '/api/session', { token });
        $('signin-token').value = '';
        $('signin').hidden = true;
        resolve(session.principal);
      } catch (err) {
        $('signin-error').textContent = refusalText(err);
      }
    });
  });
}

export async function signOut() {
  await call('DELETE', '/api/session');
  location.reload();
}
