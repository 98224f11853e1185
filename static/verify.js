// pupns review page keyboard, only for a verifier who turned the shortcuts on in Pengaturan (the
// page says so in data-pintasan="nyala"; WCAG 2.1.4: no single key acts unless the user chose it):
// j / ↓ next line, k / ↑ previous line, s approve (setuju), b BTS and t TMS (the note gets the
// focus; Ctrl+Enter saves it), f Teruskan. Keys typed into a field are left alone. The forms stay
// plain forms: this only presses what a mouse would.
(function () {
  var current = 0;
  function on() {
    var page = document.getElementById("halaman-tinjau");
    return !!page && page.getAttribute("data-pintasan") === "nyala";
  }
  function lines() { return Array.prototype.slice.call(document.querySelectorAll("#baris-tinjau .line.review")); }
  function mark(scroll) {
    var ls = lines();
    if (ls.length === 0) return null;
    current = Math.max(0, Math.min(current, ls.length - 1));
    ls.forEach(function (l, i) { l.classList.toggle("aktif", i === current); });
    if (scroll) ls[current].scrollIntoView({ block: "nearest" });
    return ls[current];
  }
  // press clicks the verdict's own button, as a mouse does: htmx sends the clicked button's name
  // and value (it learns the button from the click; requestSubmit(button) would lose it).
  function press(form, verdict) {
    var btn = form.querySelector('button[name="putusan"][value="' + verdict + '"]');
    if (!btn) return;
    if (window.htmx) htmx.process(form); // a line swapped in a moment ago may not be wired yet; idempotent
    btn.click();
  }
  function decide(verdict) {
    var line = mark(false);
    if (!line) return;
    var form = line.querySelector("form.decide");
    if (!form) return;
    if (verdict === "setuju") {
      press(form, verdict);
      current++; // on to the next line at once: the next key must not wait for the swap
      mark(true);
    } else {
      form.setAttribute("data-putusan", verdict); // Ctrl+Enter in the note saves with this verdict
      document.getElementById("catatan-" + line.dataset.field).focus();
    }
  }
  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("baris-tinjau") || !on()) return;
    var t = e.target;
    if (t && t.tagName === "TEXTAREA" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      var form = t.form;
      var verdict = form && form.getAttribute("data-putusan");
      if (!verdict) return;
      e.preventDefault();
      t.blur(); // or htmx puts the focus back into the new note, and the next shortcut is typed into it
      press(form, verdict);
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
  // A decision swaps its line in. The focus must not fall to the page: where it was inside the
  // line (the pressed button), it comes back to the same control of the new line, or to the note
  // when the answer refused the press. A focus outside the line (shortcuts) stays where it is.
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target, active = document.activeElement;
    refocus = target && target.classList && target.classList.contains("review") && active && active !== document.body && target.contains(active) ? active.id : null;
  });
  // mark the current line again on the new content. (htmx:load fires on the new content itself;
  // the swap events fire on the replaced form, which is no longer in the page and so never
  // reaches document.)
  document.addEventListener("htmx:load", function (e) {
    var el = e.detail.elt;
    if (!el || !el.classList || !el.classList.contains("review")) return;
    if (refocus) {
      var id = refocus, note = el.querySelector('textarea[aria-invalid="true"]');
      refocus = null;
      // After the swap has finished: htmx itself puts the focus back on an element of the same id
      // once this event is done, which would undo a move to the note. Once more when the swap has
      // settled, so that nothing htmx does meanwhile (on a slow machine later than the first
      // attempt) leaves the focus on the pressed button.
      var put = function () {
        var back = note || document.getElementById(id);
        if (back && document.body.contains(back) && document.activeElement !== back) back.focus();
      };
      setTimeout(put, 0);
      document.addEventListener("htmx:afterSettle", put, { once: true });
    }
    if (on()) mark(false);
  });
  document.addEventListener("DOMContentLoaded", function () { if (on()) mark(false); });
})();
