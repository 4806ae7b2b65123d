// Small behaviours without inline scripts (the CSP forbids them): auto-submit selects, confirmations.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit")) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A searchable multi-select (select[multiple][data-picker]): a search box above it hides the options that do not
// match (without diacritics: "dong le" finds "Đông Lễ"), and a line below names what is chosen. No library, no CDN.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase();
  }
  function setUp(select) {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1 chithi-picker-search";
    search.placeholder = select.getAttribute("data-picker-placeholder") || "";
    search.setAttribute("aria-label", search.placeholder);
    search.setAttribute("aria-controls", select.id);
    const chosen = document.createElement("div");
    chosen.className = "form-text chithi-picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(search, select);
    select.parentNode.insertBefore(chosen, select.nextSibling);
    function filter() {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      for (const option of select.options) {
        const text = fold(option.text);
        option.hidden = !option.selected && !words.every(function (w) { return text.includes(w); });
      }
    }
    function showChosen() {
      const names = Array.from(select.selectedOptions).map(function (o) { return o.text.trim(); });
      chosen.textContent = (select.getAttribute("data-picker-chosen") || "") + " " + names.length +
        (names.length ? ": " + names.join("; ") : "");
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // searching never submits the form
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }
  function init() { document.querySelectorAll("select[multiple][data-picker]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
