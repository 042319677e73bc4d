// The agency queue: "select all on this page" ticks every item checkbox of the batch form.
document.addEventListener("change", (event) => {
  if (event.target.id !== "pick-all") return;
  for (const box of document.querySelectorAll('input[type="checkbox"][name="item"][form="verify-batch"]')) {
    box.checked = event.target.checked;
  }
});
// Verifying an item with no evidence asks first: a row's button says so with data-confirm,
// the batch form when any ticked item has no evidence (data-no-evidence).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  let question = button && button.dataset.confirm;
  if (!question && form.id === "verify-batch"
      && document.querySelector('input[name="item"][form="verify-batch"][data-no-evidence]:checked')) {
    question = form.dataset.confirmNoEvidence;
  }
  if (question && !window.confirm(question)) event.preventDefault();
});
