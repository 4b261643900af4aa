// The sign-up form on the tablet: read it, show inline errors, clear it completely.

/** What the form holds, for each declared field (rules: the #signup-rules JSON). */
export function read(form, rules) {
  const data = new FormData(form);
  const values = {};
  for (const field of rules.fields) {
    values[field.name] = field.kind === 'choices' ? data.getAll(field.name) : data.get(field.name) ?? '';
  }
  values.consent = data.get('consent') === 'on';
  values.consent_version = data.get('consent_version') || null;
  return values;
}

function controlsFor(form, field) {
  return [...form.querySelectorAll(`[name="${field}"]`)].filter((el) => el.type !== 'hidden');
}

export function showError(form, field, message) {
  const slot = form.querySelector(`[data-error-for="${field}"]`);
  if (!slot) return;
  slot.textContent = message || '';
  slot.hidden = !message;
  for (const control of controlsFor(form, field)) {
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
}

/** Show every error at its field, clear the others, and focus the first one. */
export function showErrors(form, errors) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    showError(form, slot.dataset.errorFor, errors[slot.dataset.errorFor]);
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) {
    first.focus({ preventScroll: true });
    first.closest('.field')?.scrollIntoView({ block: 'center' });
  }
}

/** Show each "which other?" box only while "other" is chosen in its field. */
export function syncOtherFields(form) {
  for (const box of form.querySelectorAll('[data-other-of]')) {
    box.hidden = form.querySelector(`input[name="${box.dataset.otherOf}"]:checked`)?.value !== 'other';
  }
}

/** Empty every field and every message: the next person must see nothing of the last. */
export function clear(form) {
  form.reset();
  // reset() restores default values; set them explicitly too, in case a browser
  // restored typed text into the defaults.
  for (const input of form.querySelectorAll('input[type="text"], input[type="tel"]')) input.value = '';
  for (const box of form.querySelectorAll('input[type="radio"], input[type="checkbox"]')) {
    box.checked = false;
  }
  showErrors(form, {});
  document.activeElement?.blur?.();
  syncOtherFields(form);
}
