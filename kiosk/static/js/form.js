// The sign-up form on the tablet: read it, show inline errors, clear it completely.

const TEXT_FIELDS = ['name', 'phone', 'occupation_other', 'employer', 'area'];

export function read(form) {
  const data = new FormData(form);
  return {
    name: data.get('name') ?? '',
    phone: data.get('phone') ?? '',
    occupation: data.get('occupation') ?? '',
    occupation_other: data.get('occupation_other') ?? '',
    employer: data.get('employer') ?? '',
    area: data.get('area') ?? '',
    interests: data.getAll('interests'),
    consent: data.get('consent') === 'on',
    consent_version: data.get('consent_version') || null,
  };
}

/** The allowed choice keys, taken from the form itself (rendered from kiosk/choices.py). */
export function choiceOptions(form) {
  const values = (name) => [...form.querySelectorAll(`input[name="${name}"]`)].map((i) => i.value);
  return { occupations: values('occupation'), interests: values('interests') };
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

/** Show the "other occupation" box only when "other" is chosen. */
export function syncOtherField(form) {
  const other = form.querySelector('[data-other-field]');
  if (other) other.hidden = form.querySelector('input[name="occupation"]:checked')?.value !== 'other';
}

/** Empty every field and every message: the next person must see nothing of the last. */
export function clear(form) {
  form.reset();
  // reset() restores default values; set them explicitly too, in case a browser
  // restored typed text into the defaults.
  for (const name of TEXT_FIELDS) {
    for (const input of form.querySelectorAll(`[name="${name}"]`)) input.value = '';
  }
  for (const box of form.querySelectorAll('input[type="radio"], input[type="checkbox"]')) {
    box.checked = false;
  }
  showErrors(form, {});
  document.activeElement?.blur?.();
  syncOtherField(form);
}
