/* Stands in for Bootstrap's 81 KB bundle in the built book (course.lighten swaps it in).
   The pages use two Bootstrap features: the download and launch menus (dropdowns) and
   tooltips. Dropdowns are done here, keyboard and screen-reader friendly; tooltips repeat
   each button's title and aria-label, which browsers and screen readers already give. */
(function () {
  "use strict";
  var SELECTOR = '[data-bs-toggle="dropdown"]';

  function menuOf(button) {
    return button.parentElement ? button.parentElement.querySelector(".dropdown-menu") : null;
  }

  function setOpen(button, open) {
    var menu = menuOf(button);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!menu) return;
    menu.classList.toggle("show", open);
    if (open) {
      menu.setAttribute("data-bs-popper", "static");
      // keep the menu on screen: the header's buttons sit at the right edge
      menu.style.left = "";
      menu.style.right = "";
      var box = menu.getBoundingClientRect();
      if (box.right > document.documentElement.clientWidth) {
        menu.style.left = "auto";
        menu.style.right = "0";
      }
    }
  }

  function closeAll(except) {
    document.querySelectorAll(SELECTOR + '[aria-expanded="true"]').forEach(function (b) {
      if (b !== except) setOpen(b, false);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(SELECTOR);
    if (button) {
      event.preventDefault();
      var open = button.getAttribute("aria-expanded") !== "true";
      closeAll(button);
      setOpen(button, open);
      if (open) {
        var first = menuOf(button) && menuOf(button).querySelector("a, button");
        if (first && event.detail === 0) first.focus(); // opened from the keyboard
      }
      return;
    }
    if (!event.target.closest(".dropdown-menu")) closeAll(null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector(SELECTOR + '[aria-expanded="true"]');
    if (open) {
      closeAll(null);
      open.focus();
    }
  });

  function Tooltip(element) { this.element = element; }
  Tooltip.prototype.show = function () {};
  Tooltip.prototype.hide = function () {};
  Tooltip.prototype.dispose = function () {};
  Tooltip.getOrCreateInstance = function (element) { return new Tooltip(element); };

  function Dropdown(element) { this.element = element; }
  Dropdown.prototype.show = function () { setOpen(this.element, true); };
  Dropdown.prototype.hide = function () { setOpen(this.element, false); };
  Dropdown.prototype.toggle = function () {
    setOpen(this.element, this.element.getAttribute("aria-expanded") !== "true");
  };
  Dropdown.getOrCreateInstance = function (element) { return new Dropdown(element); };

  window.bootstrap = { Tooltip: Tooltip, Dropdown: Dropdown };
})();
