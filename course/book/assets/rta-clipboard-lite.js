/* Stands in for clipboard.js (9 KB) in the built book (course.book.lighten swaps it in).
   sphinx-copybutton uses one call: new ClipboardJS(".copybtn", {text: fn}) with "success"
   and "error" handlers. The Clipboard API does the copy; where it is missing or refused
   (an offline copy opened from disk in some browsers) a hidden textarea and execCommand do. */
(function () {
  "use strict";

  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  function ClipboardLite(selector, options) {
    var handlers = {};
    this.handlers = handlers;
    document.addEventListener("click", function (event) {
      var trigger = event.target.closest(selector);
      if (!trigger) return;
      var text = options.text(trigger);
      var done = function (ok) {
        var handler = handlers[ok ? "success" : "error"];
        if (handler) handler({action: "copy", text: text, trigger: trigger});
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); },
                                                 function () { done(copyBySelection(text)); });
      } else {
        done(copyBySelection(text));
      }
    });
  }
  ClipboardLite.prototype.on = function (name, handler) {
    this.handlers[name] = handler;
    return this;
  };

  window.ClipboardJS = ClipboardLite;
})();
