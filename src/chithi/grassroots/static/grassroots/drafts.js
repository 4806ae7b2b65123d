// Drafts that survive a dropped connection and a closed tab, and a notice when the page works offline.
//
// Any form opts in with one attribute: <form method="post" data-draft="a-key">. While the user types, every
// field (except passwords, files and the CSRF token) is kept in the browser's localStorage under the key and
// the page's path. Opening the page again restores the draft and says so. The form is then sent with htmx
// (already on every page), so that a failed send keeps the user on the page with their text:
//   - no network: the draft stays, the page says it is offline and that nothing was lost;
//   - the server refuses (4xx/5xx) or shows the form again with errors: the draft stays;
//   - the server accepts (a page without the form's errors): the draft is removed.
// Messages can be translated with data-draft-msg-restored / -offline / -online / -failed / -discard on the form.
(function () {
  "use strict";
  var PREFIX = "chithi-draft:";
  var DEFAULTS = {
    restored: "Đã khôi phục bản nháp chưa gửi (lưu lúc {time}).",
    offline: "Bạn đang ngoại tuyến. Bản nháp được lưu trên máy này và không bị mất; bấm Lưu khi có mạng trở lại.",
    online: "Đã có mạng trở lại. Bạn có thể gửi biểu mẫu.",
    failed: "Chưa gửi được (máy chủ báo lỗi {status}). Bản nháp vẫn được giữ trên máy này.",
    discard: "Bỏ bản nháp"
  };

  function message(form, name, values) {
    var text = (form && form.getAttribute("data-draft-msg-" + name)) || DEFAULTS[name];
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
    return text;
  }

  function storageKey(form) {
    return PREFIX + form.getAttribute("data-draft") + "@" + window.location.pathname;
  }

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or refused */ }
  }

  function kept(el) {
    if (!el.name || el.disabled) { return false; }
    var type = (el.type || "").toLowerCase();
    return el.name !== "csrfmiddlewaretoken" && ["password", "file", "submit", "button", "hidden"].indexOf(type) < 0;
  }

  function snapshot(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in values)) { return; }
      var value = values[el.name];
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      } else if (el.multiple && Array.isArray(value)) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function notice(form, kind, text, withDiscard) {
    var box = form.querySelector(".draft-notice");
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "draft-notice alert alert-" + kind;
    box.textContent = text;
    if (withDiscard) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm draft-discard";
      button.textContent = message(form, "discard");
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
  }

  function offlineBanner() {
    var banner = document.getElementById("offline-banner");
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "offline-banner";
      banner.className = "offline-banner alert alert-warning mb-0 rounded-0 text-center";
      banner.setAttribute("role", "status");
      document.body.insertBefore(banner, document.body.firstChild);
    }
    var form = document.querySelector("form[data-draft]");
    banner.textContent = message(form, "offline");
    banner.hidden = navigator.onLine !== false;
  }

  function hasErrors(root) {
    return !!root.querySelector(".is-invalid, .invalid-feedback, .alert-danger");
  }

  function setUp(form) {
    if (form.getAttribute("data-draft-ready")) { return; }
    form.setAttribute("data-draft-ready", "1");
    var key = storageKey(form);
    var pristine = snapshot(form);
    var draft = read(key);
    if (draft && draft.values && !same(draft.values, pristine)) {
      apply(form, draft.values);
      var when = new Date(draft.saved);
      var time = ("0" + when.getHours()).slice(-2) + ":" + ("0" + when.getMinutes()).slice(-2) + " " +
        ("0" + when.getDate()).slice(-2) + "/" + ("0" + (when.getMonth() + 1)).slice(-2);
      notice(form, "info", message(form, "restored", {time: time}), true);
    }
    var save = function () {
      var values = snapshot(form);
      if (same(values, pristine)) { window.localStorage.removeItem(key); return; }
      write(key, {values: values, saved: Date.now()});
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("click", function (event) {
      if (event.target.classList && event.target.classList.contains("draft-discard")) {
        window.localStorage.removeItem(key);
        apply(form, pristine);
        event.target.parentNode.remove();
      }
    });
    // Send with htmx: the answer replaces the page's body as a normal submit would, but a failure leaves the
    // page (and its text) where it is.
    if (window.htmx && !form.hasAttribute("hx-post")) {
      form.setAttribute("hx-post", form.getAttribute("action") || window.location.pathname + window.location.search);
      form.setAttribute("hx-target", "body");
      form.setAttribute("hx-swap", "innerHTML show:top");
      form.setAttribute("hx-push-url", "true");
      window.htmx.process(form);
    }
    form.addEventListener("submit", function (event) {
      save();
      if (navigator.onLine === false) {
        event.preventDefault();
        event.stopImmediatePropagation();
        offlineBanner();
        notice(form, "warning", message(form, "offline"), false);
      }
    }, true);
  }

  // The draft form that sent a request (htmx fires some events on the request's target, the body).
  function sender(detail) {
    var elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return elt && elt.closest ? elt.closest("form[data-draft]") : null;
  }

  document.addEventListener("htmx:sendError", function (event) {
    var form = sender(event.detail);
    if (form) { notice(form, "warning", message(form, "offline"), false); }
    offlineBanner();
  });
  document.addEventListener("htmx:responseError", function (event) {
    var form = sender(event.detail);
    if (form) { notice(form, "danger", message(form, "failed", {status: event.detail.xhr.status}), false); }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = sender(event.detail);
    if (!form || !event.detail.shouldSwap) { return; }
    var incoming = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
    var again = incoming.querySelector('form[data-draft="' + form.getAttribute("data-draft") + '"]');
    if (!again || !hasErrors(again)) {
      window.localStorage.removeItem(storageKey(form));  // accepted: the draft has done its work
    }
  });

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("form[data-draft]"), setUp);
    offlineBanner();
  }

  window.addEventListener("offline", offlineBanner);
  window.addEventListener("online", function () {
    offlineBanner();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft] .draft-notice.alert-warning"),
      function (box) { box.className = "draft-notice alert alert-info"; box.textContent = message(box.closest("form"), "online"); });
  });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());
