// Small behaviours without inline scripts (the CSP forbids them): auto-submit selects, confirmations.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit")) {
    el.form.submit();
  }
});
// The public ward picker of a large installation: choosing the province brings its wards from the server
// (dialogues.forms.province_first); the ward stays optional, so the form also goes without this.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-wards") || !el.form) {
    return;
  }
  const wards = el.form.elements.namedItem(el.getAttribute("data-wards-target"));
  if (!(wards instanceof HTMLSelectElement)) {
    return;
  }
  wards.disabled = true;
  fetch(el.getAttribute("data-wards") + "?province=" + encodeURIComponent(el.value), {credentials: "omit"})
    .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
    .then(function (html) { wards.innerHTML = html; })
    .catch(function () { /* the ward stays optional: the form is still sent without it */ })
    .finally(function () { wards.disabled = false; });
});
document.addEventListener("click", function (event) {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// The search box both pickers put beside their list: labelled by its placeholder, controlling the list.
function chithiSearchBox(select, className, placeholderAttribute) {
  const search = document.createElement("input");
  search.type = "search";
  search.className = className;
  search.placeholder = select.getAttribute(placeholderAttribute) || "";
  search.setAttribute("aria-label", search.placeholder);
  search.setAttribute("aria-controls", select.id);
  return search;
}

// A searchable multi-select (select[multiple][data-picker]): a search box above it hides the options that do not
// match (without diacritics: "dong le" finds "Đông Lễ"), and a line below names what is chosen. No library, no CDN.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase();
  }
  function setUp(select) {
    const search = chithiSearchBox(select, "form-control form-control-sm mb-1 chithi-picker-search",
                                   "data-picker-placeholder");
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

// A unit filter over a large scope (select[data-unit-search], orgs.filters.UnitSelect): the list holds the top
// levels only; typing asks the server for the matching units the reader may see and puts them in the list.
(function () {
  function setUp(select) {
    const search = chithiSearchBox(select, "form-control chithi-unit-search", "data-unit-search-placeholder");
    // Beside the list, in one input group, so the filter row keeps its line (a box above pushed it down).
    const group = document.createElement("div");
    group.className = "input-group flex-nowrap";
    select.parentNode.insertBefore(group, select);
    group.appendChild(search);
    group.appendChild(select);
    let timer = null;
    let asked = 0;
    function fill(results, ticket) {
      if (ticket !== asked) { return; }  // an older answer arriving late
      for (const option of Array.from(select.options)) {
        if (option.value !== "" && !option.selected) { option.remove(); }
      }
      const kept = new Set(Array.from(select.options).map(function (o) { return o.value; }));
      for (const unit of results) {
        if (!kept.has(String(unit.id))) { select.add(new Option(unit.label, unit.id)); }
      }
    }
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const ticket = ++asked;
        const url = select.getAttribute("data-unit-search") + "?q=" + encodeURIComponent(search.value);
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {results: []}; })
          .then(function (data) { fill(data.results || [], ticket); })
          .catch(function () {});
      }, 250);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }
  function init() { document.querySelectorAll("select[data-unit-search]").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
