// The agency queue: "select all on this page" ticks every item checkbox of the batch form.
document.addEventListener("change", (event) => {
  if (event.target.id !== "pick-all") return;
  for (const box of document.querySelectorAll('input[type="checkbox"][name="item"][form="verify-batch"]')) {
    box.checked = event.target.checked;
  }
});
