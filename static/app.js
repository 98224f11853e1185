// pupns glue: show the sentence the server sent when an htmx request fails, instead of nothing.
document.addEventListener("htmx:responseError", function (e) {
  var box = document.getElementById("galat");
  if (!box) return;
  var xhr = e.detail.xhr;
  var text = (xhr && xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0
    ? xhr.responseText
    : "Terjadi gangguan (" + (xhr ? xhr.status : "?") + "). Muat ulang halaman lalu coba lagi.";
  var code = xhr && xhr.getResponseHeader("X-Request-ID");
  if (code) text += " (kode galat: " + code + ")"; // the id of the server's log line, for the help desk
  box.textContent = text;
  box.hidden = false;
  window.scrollTo(0, 0);
});
document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("galat");
  if (!box) return;
  box.textContent = "Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi; isian yang belum tersimpan tetap di layar.";
  box.hidden = false;
});
document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("galat");
  if (box) box.hidden = true;
});
// Cetak on the bukti registrasi: the browser's print, laid out by the print CSS.
document.addEventListener("click", function (e) {
  if (e.target && e.target.closest && e.target.closest("[data-cetak]")) window.print();
});
// Marks the page as running scripts, so elements that only work with JavaScript (search boxes of
// pickers, upload progress bars) are shown.
document.documentElement.classList.add("js");
// Upload progress: htmx reports the upload's progress on the form that sends it.
document.addEventListener("htmx:xhr:progress", function (e) {
  var form = e.target && e.target.closest ? e.target.closest("form.upload") : null;
  if (!form || !e.detail.lengthComputable) return;
  var bar = form.querySelector("progress.upload-progress");
  if (!bar) return;
  bar.hidden = false;
  bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
});
// A refused stale step (409) that carries the fresh view (HX-Retarget) is swapped in, so the
// verifier sees the message and the current state instead of a bare error.
document.addEventListener("htmx:beforeSwap", function (e) {
  var xhr = e.detail.xhr;
  if (xhr && xhr.status === 409 && xhr.getResponseHeader("HX-Retarget")) {
    e.detail.shouldSwap = true;
    e.detail.isError = false;
  }
});
// A file over the cap is refused before it is sent, in the server's words: the upload form carries
// the cap (data-max-bytes) and the sentence (data-too-large); the message shows at the file field
// and the form does not submit while the file is too large.
function tooLargeFile(form) {
  var input = form && form.querySelector('input[type="file"]');
  var max = form ? parseInt(form.getAttribute("data-max-bytes"), 10) : 0;
  if (!input || !max || !input.files || !input.files.length) return null;
  return input.files[0].size > max ? input : null;
}
function showUploadError(form, input, text) {
  var id = input.id.replace(/-berkas$/, "-galat");
  var p = document.getElementById(id);
  if (!text) {
    if (p) p.remove();
    return;
  }
  if (!p) {
    p = document.createElement("p");
    p.className = "err";
    p.id = id;
    p.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", p);
  }
  p.textContent = text;
}
document.addEventListener("change", function (e) {
  var input = e.target;
  var form = input && input.closest ? input.closest("form.upload[data-max-bytes]") : null;
  if (!form || input.type !== "file") return;
  var msg = tooLargeFile(form) ? form.getAttribute("data-too-large") : "";
  input.setCustomValidity(msg);
  showUploadError(form, input, msg);
});
function refuseTooLarge(e) {
  var form = e.target && e.target.closest ? e.target.closest("form.upload[data-max-bytes]") : null;
  var input = tooLargeFile(form);
  if (!input) return;
  e.preventDefault();
  e.stopPropagation();
  showUploadError(form, input, form.getAttribute("data-too-large"));
}
document.addEventListener("submit", refuseTooLarge, true);
document.addEventListener("htmx:confirm", refuseTooLarge);
// An upload the server refused as too large (413) or cut off (408) comes back as the document box
// with the sentence at the file field: swapped in like a 422, not shown as a bare error.
document.addEventListener("htmx:beforeSwap", function (e) {
  var xhr = e.detail.xhr;
  var elt = e.detail.requestConfig && e.detail.requestConfig.elt; // the form that sent it
  var form = elt && elt.closest ? elt.closest("form.upload") : null;
  if (form && xhr && (xhr.status === 413 || xhr.status === 408) && (xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
    e.detail.shouldSwap = true;
    e.detail.isError = false;
  }
});
// The PNS's form (issue 12, "no trap"). Escape in an open red cross closes it as Tutup does:
// what was typed but not saved is dropped (the server keeps no proposal without a reason).
document.addEventListener("keydown", function (e) {
  if (e.key !== "Escape" || !e.target || !e.target.closest) return;
  var form = e.target.closest("form.edit");
  var close = form && form.querySelector("a.tutup");
  if (!close) return;
  e.preventDefault();
  close.click();
});
// After htmx replaces a row of the form (Sesuai, Tutup, Simpan, Batalkan usulan) or a history
// table, focus stays on that row or table instead of dropping to the page: on its input when it opened for editing, otherwise
// on the row itself, so a screen reader reads what changed and Tab goes on from there.
document.addEventListener("htmx:afterSettle", function (e) {
  var t = e.detail && e.detail.target;
  var id = t && t.id;
  if (!id) return;
  var row = document.getElementById(id);
  if (!row || !(row.classList.contains("row") || row.matches("section.table"))) return;
  var input = row.querySelector("form.edit input:not([type=hidden]):not([type=search]), form.edit select, form.edit textarea");
  if (input) {
    input.focus();
    if (input.setSelectionRange && input.type === "text") {
      var n = input.value.length;
      input.setSelectionRange(n, n); // the caret after the old value, not before it
    }
    return;
  }
  if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
  row.focus();
});
// An error summary (or the list of what blocks Kirim) that arrives takes focus, so it is read
// first and seen on a phone: on a page that carries one, and when htmx swaps the Kirim panel in.
function focusSummary(root) {
  var box = (root || document).querySelector(".error-summary, #kekurangan");
  if (box) box.focus();
}
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector(".error-summary") || document.getElementById("kekurangan-atas")) focusSummary();
  var ask = document.getElementById("tandai-yakin");
  if (ask) ask.focus();
});
document.addEventListener("htmx:afterSettle", function (e) {
  var t = e.detail && e.detail.target;
  if (t && t.id === "kirim-panel") focusSummary(document.getElementById("kirim-panel"));
});
