// « Copier l'adresse »: the button appears only when the browser can copy; without
// JavaScript the address stays in its read-only field, ready to select.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) return;
  const status = document.getElementById(button.dataset.copyStatus);
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(() => {
      if (status) status.textContent = button.dataset.copyDone;
    });
  });
});
