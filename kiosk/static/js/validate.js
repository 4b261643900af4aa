// Mirrors kiosk/signups/validation.py so the booth can check a sign-up with no network.
// The server stays authoritative; tests/validation_cases.json is run against both
// implementations so they cannot drift apart.

export const NAME_MAX = 30;
export const TEXT_MAX = 60;
export const OTHER_MAX = 40;

const MIDDLE_DOTS = /[•‧・･∙⋅●]/g; // look-alikes people type for the name separator ·
const DASHES = /[-‐‑‒–—―]/g;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu; // control, format (zero-width, BOM, bidi), lone surrogates
const NAME_CHARS = /^[\p{L}\p{M}· \-']+$/u;
const PHONE = /^1[3-9]\d{9}$/;

// Python's len() counts code points; JavaScript's .length counts UTF-16 units.
const length = (text) => [...text].length;

function fill(template, n) {
  return template.replace('{n}', String(n));
}

function collapseSpaces(text) {
  return text.split(/\s+/u).filter(Boolean).join(' ');
}

export function cleanText(raw, limit, messages) {
  if (raw == null) return { value: '' };
  if (typeof raw !== 'string') return { value: '', error: messages.format };
  const text = collapseSpaces(raw.normalize('NFKC').replace(INVISIBLE, ''));
  if (length(text) > limit) return { value: text, error: fill(messages.too_long, limit) };
  return { value: text };
}

export function normalisePhone(raw, messages) {
  if (typeof raw !== 'string' || !raw.trim()) return { value: '', error: messages.phone_required };
  let text = raw.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '');
  text = text.replace(/\s+/gu, '');
  if (text.startsWith('+86')) text = text.slice(3);
  else if (text.startsWith('0086')) text = text.slice(4);
  if (!/^[0-9]+$/.test(text)) return { value: '', error: messages.phone_digits };
  if (text.length !== 11) return { value: '', error: fill(messages.phone_length, text.length) };
  if (!PHONE.test(text)) return { value: '', error: messages.phone_prefix };
  return { value: text };
}

export function cleanName(raw, messages) {
  if (typeof raw !== 'string') return { value: '', error: messages.name_required };
  let text = raw.normalize('NFKC').replace(MIDDLE_DOTS, '·');
  text = collapseSpaces(text.replace(INVISIBLE, '')).replace(/^[· ]+|[· ]+$/g, '');
  if (!text) return { value: '', error: messages.name_required };
  if (length(text) > NAME_MAX) return { value: text, error: fill(messages.name_too_long, NAME_MAX) };
  if (!NAME_CHARS.test(text)) return { value: text, error: messages.name_chars };
  return { value: text };
}

function checkChoices(data, out, errors, options, messages) {
  const occupation = data.occupation;
  if (occupation == null || occupation === '') errors.occupation = messages.occupation_required;
  else if (!options.occupations.includes(occupation)) errors.occupation = messages.occupation_invalid;
  else out.occupation = occupation;

  const other = cleanText(data.occupation_other, OTHER_MAX, messages);
  if (other.error) errors.occupation_other = other.error;
  else if (out.occupation === 'other' && !other.value) errors.occupation_other = messages.other_required;
  out.occupation_other = out.occupation === 'other' && other.value ? other.value : null;

  let interests = data.interests ?? [];
  if (typeof interests === 'string') interests = [interests];
  if (!Array.isArray(interests)) errors.interests = messages.format;
  else if (interests.some((i) => !options.interests.includes(i))) errors.interests = messages.choice_invalid;
  else out.interests = options.interests.filter((i) => interests.includes(i));
}

/**
 * Clean what the person typed. Returns {clean, errors}; errors maps field → message.
 * options.occupations / options.interests are the allowed keys, read from the form.
 */
export function validateSignup(data, options, messages) {
  const out = {};
  const errors = {};
  const name = cleanName(data.name, messages);
  out.name = name.value;
  if (name.error) errors.name = name.error;
  const phone = normalisePhone(data.phone, messages);
  out.phone = phone.value;
  if (phone.error) errors.phone = phone.error;
  checkChoices(data, out, errors, options, messages);
  for (const key of ['employer', 'area']) {
    const result = cleanText(data[key], TEXT_MAX, messages);
    if (result.error) errors[key] = result.error;
    out[key] = result.value || null;
  }
  const consent = data.consent;
  out.consent = consent === true || ['on', 'true', '1', 'yes'].includes(consent);
  if (!out.consent) errors.consent = messages.consent_required;
  return { clean: out, errors };
}
