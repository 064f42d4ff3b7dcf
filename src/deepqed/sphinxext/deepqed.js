/* deepqed: the header's sidebar buttons open the navigation at every width.
 *
 * sphinx-book-theme puts its own ☰ and contents buttons in the article header, while
 * pydata-sphinx-theme binds its handlers (a <dialog> on narrow screens; the book theme collapses
 * the sidebar on wide ones) to the FIRST .primary-toggle / .secondary-toggle of the page only: a
 * hidden button of the navbar. A click on any other toggle is forwarded to that first one.
 */
(function () {
  "use strict";
  function forward(selector) {
    var all = document.querySelectorAll(selector);
    if (all.length < 2) return;
    var first = all[0];
    for (var i = 1; i < all.length; i++) {
      all[i].addEventListener(
        "click",
        function (event) {
          event.preventDefault();
          event.stopImmediatePropagation();
          this.blur();
          first.click();
        },
        true,
      );
    }
  }
  /* An inline formula wider than its line cannot break (MathJax 3 has no inline line breaking):
   * mark it so that the stylesheet lets it scroll sideways instead of running out of the text
   * column. Measured again when the text column's width changes (a resized window, and the
   * sidebar's sliding in or out after it, which fires no resize event: a ResizeObserver) or a
   * collapsed block opens. */
  function markWide() {
    var formulas = document.querySelectorAll("span.math > mjx-container");
    for (var i = 0; i < formulas.length; i++) {
      var c = formulas[i];
      var box = c.parentElement;  // the nearest block around the formula: its line's width
      while (box && getComputedStyle(box).display.indexOf("inline") === 0) box = box.parentElement;
      if (!box || box.clientWidth === 0) continue;
      c.classList.remove("deepqed-wide");
      var style = getComputedStyle(box);
      var room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (c.getBoundingClientRect().width > room + 0.5) c.classList.add("deepqed-wide");
    }
  }
  function whenTypeset() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(markWide);
    } else {
      window.setTimeout(whenTypeset, 100);
    }
  }
  function setup() {
    forward(".primary-toggle");
    forward(".secondary-toggle");
    if (document.querySelector("span.math")) whenTypeset();
    window.addEventListener("resize", markWide);
    var column = document.querySelector("main") || document.body;
    if (window.ResizeObserver && column) {
      var lastWidth = -1;
      var pending = false;
      new ResizeObserver(function (entries) {
        var width = entries[entries.length - 1].contentRect.width;
        if (width === lastWidth || pending) return;  // heights change when formulas are marked
        lastWidth = width;
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          markWide();
        });
      }).observe(column);
    }
    document.addEventListener("toggle", markWide, true);
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".toggle-button, button.toggle-button")) {
        window.setTimeout(markWide, 50);
      }
    });
  }
  if (document.readyState !== "loading") setup();
  else document.addEventListener("DOMContentLoaded", setup);
})();
