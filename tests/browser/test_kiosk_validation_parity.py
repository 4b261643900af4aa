"""The kiosk's validate.js against the table kiosk/signups/validation.py runs, in both languages."""

from __future__ import annotations

import pytest

from tests.signups.test_validation_parity import CASES, case_id, payload

pytestmark = pytest.mark.browser

RUN_CASES = """async (inputs) => {
  const { validateSignup } = await import('/static/js/validate.js');
  const rules = JSON.parse(document.getElementById('signup-rules').textContent);
  return inputs.map(({ data, field }) => {
    const { clean, errors } = validateSignup(data, rules);
    return { errors, value: clean[field] ?? null };
  });
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_javascript_matches_shared_table(kiosk, fast_kiosk, lang):
    page = kiosk
    if lang == "en":
        page.goto(f"{fast_kiosk.url}/lang/en?next=/kiosk/")
        page.wait_for_selector("html[lang=en][data-kiosk-ready=true]", state="attached")
    results = page.evaluate(RUN_CASES, [{"data": payload(c), "field": c["field"]} for c in CASES])
    failures = []
    for case, result in zip(CASES, results, strict=True):
        expected = (
            {"errors": {}, "value": case["clean"]}
            if "clean" in case
            else {"errors": {case["field"]: case[lang]}}
        )
        actual = result if "clean" in case else {"errors": result["errors"]}
        if actual != expected:
            failures.append((case_id(case), expected, actual))
    assert failures == []
