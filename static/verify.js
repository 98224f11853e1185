// pupns review page keyboard: j / ↓ next line, k / ↑ previous line, s approve (setuju), b BTS and
// t TMS (the note gets the focus; Ctrl+Enter saves it), f Teruskan. Keys typed into a field are left
// alone. The forms stay plain forms: this only presses what a mouse would.
(function () {
  var current = 0;
  function lines() { return Array.prototype.slice.call(document.querySelectorAll("#baris-tinjau .line.review")); }
  function mark(scroll) {
    var ls = lines();
    if (ls.length === 0) return null;
    current = Math.max(0, Math.min(current, ls.length - 1));
    ls.forEach(function (l, i) { l.classList.toggle("aktif", i === current); });
    if (scroll) ls[current].scrollIntoView({ block: "nearest" });
    return ls[current];
  }
  function decide(verdict) {
    var line = mark(false);
    if (!line) return;
    var field = line.dataset.field;
    var radio = document.getElementById(verdict + "-" + field);
    if (!radio) return;
    radio.checked = true;
    if (verdict === "setuju") {
      // A line swapped in a moment ago may not be wired by htmx yet; process is idempotent.
      if (window.htmx) htmx.process(line);
      line.querySelector("form.decide").requestSubmit();
      current++; // on to the next line at once: the next key must not wait for the swap
      mark(true);
    } else {
      document.getElementById("catatan-" + field).focus();
    }
  }
  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("baris-tinjau")) return;
    var t = e.target;
    if (t && t.tagName === "TEXTAREA" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      var form = t.form;
      t.blur(); // or htmx puts the focus back into the new note, and the next shortcut is typed into it
      if (window.htmx) htmx.process(form);
      form.requestSubmit();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      if (e.key === "Escape") t.blur();
      return;
    }
    switch (e.key) {
      case "j": case "ArrowDown": current++; mark(true); break;
      case "k": case "ArrowUp": current--; mark(true); break;
      case "s": decide("setuju"); break;
      case "b": decide("bts"); break;
      case "t": decide("tms"); break;
      case "f":
        var fw = document.getElementById("tombol-teruskan");
        if (fw) fw.click();
        break;
      default: return;
    }
    e.preventDefault();
  });
  // A decision swaps its line in: mark the current line again on the new content. (htmx:load
  // fires on the new content itself; the swap events fire on the replaced form, which is no
  // longer in the page and so never reaches document.)
  document.addEventListener("htmx:load", function (e) {
    var el = e.detail.elt;
    if (el && el.classList && el.classList.contains("review")) mark(false);
  });
  document.addEventListener("DOMContentLoaded", function () { mark(false); });
})();
