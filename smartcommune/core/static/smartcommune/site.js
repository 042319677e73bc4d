// Behaviour the pages once wrote inline (onchange=, onclick=, onfocus=): the
// Content-Security-Policy allows no inline script, so elements say what they want
// with a data- attribute and this file, loaded on every page, does it.
document.addEventListener("change", (event) => {
  // The language menu: choosing a language submits its form (a button does it without script).
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", (event) => {
  // A freshly created API token: focusing the field selects it, ready to copy.
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
