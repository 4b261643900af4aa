// The print preview's 打印 button (the CSP allows no inline script).
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
