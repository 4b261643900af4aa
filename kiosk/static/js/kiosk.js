// The booth tablet: attract screen → form → thank-you → attract, with the outbox
// syncing in the background. Settings come from data attributes on #kiosk.

import * as form from './form.js';
import { newId, isoWithOffset } from './ids.js';
import { createIdleTimer } from './idle.js';
import { askToPersist, enableOffline } from './offline.js';
import * as queue from './queue.js';
import { createSender } from './sender.js';
import { createStaffCorner } from './staff.js';
import { validateSignup } from './validate.js';

const root = document.getElementById('kiosk');
const config = root.dataset;
const rules = JSON.parse(document.getElementById('signup-rules').textContent);
const signup = document.getElementById('signup');
const submitButton = signup.querySelector('button[type="submit"]');
const formError = document.getElementById('form-error');
const privacyDialog = document.getElementById('privacy-dialog');
const thanksCountdown = document.getElementById('thanks-countdown');
const screens = {
  attract: document.getElementById('attract'),
  form: document.getElementById('form-screen'),
  thanks: document.getElementById('thanks'),
};
const staff = createStaffCorner(document.getElementById('staff'));
const invalidText = formError.textContent;
let thanksTimer = null;
let saving = false;

function show(name) {
  for (const [key, section] of Object.entries(screens)) section.hidden = key !== name;
  document.body.dataset.screen = name;
  window.scrollTo(0, 0);
}

const idle = createIdleTimer({
  idleSeconds: Number(config.idleSeconds),
  warningSeconds: Number(config.idleWarningSeconds),
  dialog: document.getElementById('idle-dialog'),
  countdown: document.getElementById('idle-countdown'),
  onReset: () => backToStart(),
});

/** Clear everything the last person typed or saw, and show the attract screen. */
function backToStart() {
  idle.stop();
  clearInterval(thanksTimer);
  if (privacyDialog.open) privacyDialog.close();
  form.clear(signup);
  formError.hidden = true;
  show('attract');
}

function showThanks() {
  show('thanks');
  let left = Number(config.thanksSeconds);
  const render = () => {
    thanksCountdown.textContent = thanksCountdown.dataset.text.replace('{n}', String(left));
  };
  render();
  clearInterval(thanksTimer);
  thanksTimer = setInterval(() => {
    left -= 1;
    if (left <= 0) backToStart();
    else render();
  }, 1000);
}

const sender = createSender({
  signupsUrl: config.signupsUrl,
  attentionUrl: config.attentionUrl,
  baseMs: Number(config.syncBaseMs),
  maxMs: Number(config.syncMaxMs),
  timeoutMs: Number(config.syncTimeoutMs),
  onChange: () => staff.refresh(),
});

// Field-level checks: a field's message appears when the person leaves it and
// disappears as soon as it is fixed; what they typed is never touched.
function checkField(field) {
  const { errors } = validateSignup(form.read(signup, rules), rules);
  form.showError(signup, field, errors[field]);
  // A choice decides whether its "which other?" box is needed: recheck that too.
  for (const other of rules.fields.filter((f) => f.other_of === field)) {
    form.showError(signup, other.name, errors[other.name]);
  }
}

signup.addEventListener('focusout', (event) => {
  const { name, value, type } = event.target;
  if (name && type !== 'radio' && type !== 'checkbox' && value) checkField(name);
});
signup.addEventListener('change', (event) => {
  const { name, type } = event.target;
  if (rules.fields.some((f) => f.other_of === name)) form.syncOtherFields(signup);
  if (type === 'radio' || type === 'checkbox') checkField(name);
});
signup.addEventListener('input', (event) => {
  const { name } = event.target;
  if (name && event.target.getAttribute('aria-invalid') === 'true') checkField(name);
});

signup.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (saving) return; // a double tap must not queue the same person twice
  const values = form.read(signup, rules);
  const { clean, errors } = validateSignup(values, rules);
  form.showErrors(signup, errors);
  formError.textContent = invalidText;
  formError.hidden = Object.keys(errors).length === 0;
  if (!formError.hidden) return;
  saving = true;
  submitButton.disabled = true;
  // The id is made once, here, and reused on every retry: that is what makes
  // delivery exactly-once even when a response is lost.
  const payload = {
    id: newId(),
    session: config.session,
    ...clean,
    consent: true,
    consent_version: values.consent_version,
    client_time: isoWithOffset(new Date()),
  };
  try {
    await queue.add(payload); // stored before anything is sent
    backToStart();
    showThanks();
    staff.refresh();
    sender.kick();
  } catch (error) {
    console.error('could not save the sign-up', error);
    formError.textContent = formError.dataset.saveFailed;
    formError.hidden = false;
  } finally {
    saving = false;
    submitButton.disabled = false;
  }
});

document.getElementById('start').addEventListener('click', () => {
  backToStart();
  show('form');
  idle.start();
  document.getElementById('name').focus();
});
document.getElementById('cancel').addEventListener('click', backToStart);
document.getElementById('done').addEventListener('click', backToStart);
document.getElementById('idle-continue').addEventListener('click', () => idle.start());

// Read the notice without leaving the page, so nothing typed is lost.
for (const link of document.querySelectorAll('[data-privacy-link]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    privacyDialog.showModal();
  });
}

// Back/forward cache: a page restored from memory must not show the last person.
window.addEventListener('pageshow', (event) => { if (event.persisted) backToStart(); });
window.addEventListener('pagehide', () => form.clear(signup));

// When to try sending: start-up, back online, tablet woken, every so often, on demand.
window.addEventListener('online', () => sender.kick(true));
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    sender.kick();
    staff.refresh();
  }
});
setInterval(() => sender.kick(), Number(config.syncIntervalSeconds) * 1000);
document.getElementById('staff-sync').addEventListener('click', () => sender.kick(true));

backToStart();
staff.refresh();
sender.kick();
askToPersist().then((granted) => staff.warn('staff-persist-warning', !granted));
const languages = config.languages.split(' ');
enableOffline({ swUrl: config.swUrl, scope: config.swScope, languages }).then((ready) => {
  staff.warn('staff-offline-warning', !ready);
  document.documentElement.dataset.offlineReady = String(ready);
});
document.documentElement.dataset.kioskReady = 'true';
