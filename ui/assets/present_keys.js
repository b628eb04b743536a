// Presenter mode's keys (ui/present.py): arrows, PageDown / PageUp, space and Escape click the
// on-screen buttons. Installed once per browser tab; a key typed into a field is left alone.
(function () {
  if (window.__qamrovPresenterKeys) return;
  window.__qamrovPresenterKeys = true;
  var keys = { ArrowRight: "present_next", PageDown: "present_next", " ": "present_next",
               ArrowDown: "present_next", ArrowLeft: "present_prev", PageUp: "present_prev",
               ArrowUp: "present_prev", Escape: "present_exit" };
  document.addEventListener("keydown", function (e) {
    var t = e.target, tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
    var key = keys[e.key];
    if (!key) return;
    var button = document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  }, true);
})();
