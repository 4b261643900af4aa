// The tablet's offline checks: the same rules and words as kiosk/signups/validation.py,
// given as data (the #signup-rules JSON the kiosk screen renders from the field
// declaration in kiosk/signups/fields.py). Only the cleaning of each kind of field is
// written here; tests/validation_cases.json runs against both so they cannot drift.

const MIDDLE_DOTS = /[•‧・･∙⋅●]/g; // look-alikes people type for the name separator ·
const DASHES = /[-‐‑‒–—―]/g;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu; // control, format (zero-width, BOM, bidi), lone surrogates
const NAME_CHARS = /^[\p{L}\p{M}· \-']+$/u;
const PHONE = /^1[3-9]\d{9}$/;

// Python's len() counts code points; JavaScript's .length counts UTF-16 units.
const length = (text) => [...text].length;
const tooLong = (text, field) => field.max_length != null && length(text) > field.max_length;

function collapseSpaces(text) {
  return text.split(/\s+/u).filter(Boolean).join(' ');
}

// One check per kind of field: (raw value, field rule) → {value, error}.
const CHECKS = {
  text(raw, field) {
    if (raw == null) return { value: '' };
    if (typeof raw !== 'string') return { value: '', error: field.messages.format };
    const text = collapseSpaces(raw.normalize('NFKC').replace(INVISIBLE, ''));
    return tooLong(text, field) ? { value: text, error: field.messages.too_long } : { value: text };
  },

  phone(raw, field) {
    const said = field.messages;
    if (typeof raw !== 'string' || !raw.trim()) return { value: '', error: said.missing };
    let text = raw.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '');
    text = text.replace(/\s+/gu, '');
    if (text.startsWith('+86')) text = text.slice(3);
    else if (text.startsWith('0086')) text = text.slice(4);
    if (!/^[0-9]+$/.test(text)) return { value: '', error: said.digits };
    if (text.length !== 11) return { value: '', error: said.length.replace('{n}', String(text.length)) };
    if (!PHONE.test(text)) return { value: '', error: said.prefix };
    return { value: text };
  },

  name(raw, field) {
    const said = field.messages;
    if (typeof raw !== 'string') return { value: '', error: said.missing };
    let text = raw.normalize('NFKC').replace(MIDDLE_DOTS, '·');
    text = collapseSpaces(text.replace(INVISIBLE, '')).replace(/^[· ]+|[· ]+$/g, '');
    if (!text) return { value: '', error: said.missing };
    if (tooLong(text, field)) return { value: text, error: said.too_long };
    if (!NAME_CHARS.test(text)) return { value: text, error: said.chars };
    return { value: text };
  },

  choice(raw, field) {
    if (raw == null || raw === '') return { value: '' };
    if (!field.choices.includes(raw)) return { value: '', error: field.messages.invalid };
    return { value: raw };
  },

  choices(raw, field) {
    const values = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(values)) return { value: [], error: field.messages.format };
    if (values.some((v) => !field.choices.includes(v))) return { value: [], error: field.messages.invalid };
    return { value: field.choices.filter((key) => values.includes(key)) }; // deduplicated, in order
  },
};

/** Clean what the person typed. Returns {clean, errors}; errors maps field → message. */
export function validateSignup(data, rules) {
  const clean = {};
  const errors = {};
  for (const field of rules.fields) {
    const raw = field.kind === 'choices' ? data[field.name] ?? [] : data[field.name];
    const { value, error } = CHECKS[field.kind](raw, field);
    const missing = !error && field.required && value.length === 0;
    if (error || missing) errors[field.name] = error || field.messages.missing;
    clean[field.name] = field.kind === 'text' ? value || null : value;
  }
  // Free text that says which, when its choice field is "other": needed then, dropped otherwise.
  for (const field of rules.fields.filter((f) => f.other_of)) {
    const choseOther = clean[field.other_of] === 'other';
    if (choseOther && !clean[field.name] && !errors[field.name]) errors[field.name] = field.messages.missing;
    if (!choseOther) clean[field.name] = null;
  }
  const consent = data.consent;
  clean.consent = consent === true || ['on', 'true', '1', 'yes'].includes(consent);
  if (!clean.consent) errors.consent = rules.consent_required;
  return { clean, errors };
}
