// Idle reset: a form left half-filled at a public booth must not wait for the next
// person. After `idleSeconds` without a touch or key, warn for `warningSeconds`,
// then call onReset (which clears every field and returns to the attract screen).

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel', 'scroll'];

export function createIdleTimer({ idleSeconds, warningSeconds, dialog, countdown, onReset }) {
  let idleTimer = null;
  let tick = null;
  let armed = false;

  function render(left) {
    countdown.textContent = countdown.dataset.text.replace('{n}', String(left));
  }

  function closeWarning() {
    clearInterval(tick);
    tick = null;
    if (dialog.open) dialog.close();
  }

  function warn() {
    let left = warningSeconds;
    render(left);
    if (!dialog.open) dialog.showModal();
    tick = setInterval(() => {
      left -= 1;
      if (left > 0) {
        render(left);
        return;
      }
      stop();
      onReset();
    }, 1000);
  }

  function poke() {
    if (!armed || tick) return; // while the warning shows, only its button counts
    clearTimeout(idleTimer);
    idleTimer = setTimeout(warn, idleSeconds * 1000);
  }

  function start() {
    armed = true;
    closeWarning();
    poke();
  }

  function stop() {
    armed = false;
    clearTimeout(idleTimer);
    closeWarning();
  }

  for (const type of ACTIVITY) document.addEventListener(type, poke, { passive: true, capture: true });
  // Escape would close the modal without resetting the timer: treat it as "continue".
  dialog.addEventListener('cancel', (event) => { event.preventDefault(); start(); });

  return { start, stop, poke };
}
