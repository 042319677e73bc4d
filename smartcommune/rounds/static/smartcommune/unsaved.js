// The assessment page: warn before leaving it with values typed but not saved.  A field
// of the entry form (form="entry") that changes marks the page dirty; saving the form
// clears it.  A page shown again after a refused save still holds unsaved values
// (data-unsaved on the form).  No inline script: the CSP allows none.
(() => {
  const form = document.getElementById("entry");
  if (!form) return;
  let dirty = form.hasAttribute("data-unsaved");
  const ours = (el) => el && el.form === form && el.type !== "hidden";
  document.addEventListener("input", (event) => { if (ours(event.target)) dirty = true; });
  document.addEventListener("change", (event) => { if (ours(event.target)) dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their own warning
  });
})();
