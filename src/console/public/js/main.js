// The loyalty-inference console: plain JavaScript modules over the server's /console/api and
// /admin/v1 endpoints, no build step. One module per page; this one routes between them.

import { showCampaigns } from './campaign-page.js';
import { showCustomer } from './customer-page.js';
import { $, api, h, say, token } from './dom.js';
import { showLive } from './live-page.js';
import { showModels } from './models-page.js';
import { showPlans } from './plans-page.js';

const pages = {
  models: showModels,
  live: showLive,
  customer: showCustomer,
  campaigns: showCampaigns,
  plans: showPlans,
};
/** The shown page's clean-up when the reader leaves it (a page may resolve to one: Live's timer). */
let leavePage = () => {};

function route() {
  // #page, #page/<detail> or #page?<query> (an audience kept in the address).
  const name = (location.hash.slice(1).split(/[/?]/)[0] || 'models').toLowerCase();
  const page = pages[name] ? name : 'models';
  leavePage();
  leavePage = () => {};
  say('');
  for (const p of Object.keys(pages)) $(`page-${p}`).hidden = p !== page;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · loyalty-inference console`;
  pages[page]().then(
    (leave) => {
      if (typeof leave === 'function') leavePage = leave;
    },
    (err) => say(err.message, true),
  );
}

/** Who the console is signed in as: the token's caller or the client certificate's, or nobody. */
async function showWho() {
  const who = $('who');
  try {
    const { caller } = await api('/console/api/whoami');
    $('signin').hidden = true;
    if (caller === null) who.textContent = 'Caller authorization off: changes only from this host';
    else
      who.replaceChildren(
        'Signed in as ',
        h('strong', { id: 'who-name' }, caller),
        ...(token.get()
          ? [
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onclick: () => {
                    token.set(null);
                    location.reload();
                  },
                },
                'Sign out',
              ),
            ]
          : []),
      );
  } catch (err) {
    if (err.status !== 401) who.textContent = '';
  }
}

// A call answered 401: the server wants a credential; the page asks for an access token.
window.addEventListener('signin-needed', (e) => {
  $('who').textContent = token.get() ? `Not signed in: ${e.detail}` : 'Sign in to use the console';
  $('signin').hidden = false;
});
$('signin').onsubmit = async (e) => {
  e.preventDefault();
  token.set($('signin-token').value.trim());
  $('signin-token').value = '';
  await showWho();
  if ($('signin').hidden) route();
};

window.addEventListener('hashchange', route);
showWho();
route();
