/* Instruments: the visual analogue line (VAS). Progressive enhancement only: without this
   file the number field is the answer and everything still works. */
(function () {
  "use strict";

  function parse(text) {
    var value = parseFloat(String(text || "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function format(value) {
    var lang = document.documentElement.lang || "sv";
    return value.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function setUp(box) {
    if (box.dataset.ready) { return; }
    var range = box.querySelector("input[type=range]");
    var output = box.querySelector("output");
    var number = document.getElementById(range.dataset.vasTarget);
    if (!number) { return; }
    box.dataset.ready = "1";
    box.hidden = false;

    function show(value) {
      if (value === null) {
        box.classList.add("vas--unset");
        output.textContent = output.dataset.unset;
        range.setAttribute("aria-valuetext", range.dataset.unset);
      } else {
        box.classList.remove("vas--unset");
        output.textContent = format(value);
        range.setAttribute("aria-valuetext", format(value));
      }
    }

    function fromNumber() {
      var value = parse(number.value);
      if (value !== null && value >= 0 && value <= 10) { range.value = value; }
      show(value);
    }

    function fromRange() {
      var value = Math.round(parseFloat(range.value) * 10) / 10;
      number.value = value.toFixed(1);
      show(value);
    }

    range.addEventListener("input", fromRange);
    // A tap or click right where the unmarked handle rests changes no value, so "input"
    // never fires: the mark is still made (on a phone the handle starts mid-line).
    range.addEventListener("pointerup", function () {
      if (box.classList.contains("vas--unset")) {
        fromRange();
        // As a drag would: the form saves its draft on input.
        number.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    number.addEventListener("input", fromNumber);
    fromNumber();
  }

  function init(root) {
    (root || document).querySelectorAll("[data-vas]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
