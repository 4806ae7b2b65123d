// Small behaviours without inline scripts (the CSP forbids them): auto-submit selects, the menu toggle.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit")) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-toggle-target]");
  if (button) {
    document.querySelector(button.getAttribute("data-toggle-target")).classList.toggle("show");
  }
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
