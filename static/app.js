// pupns glue: show the sentence the server sent when an htmx request fails, instead of nothing.
document.addEventListener("htmx:responseError", function (e) {
  var box = document.getElementById("galat");
  if (!box) return;
  var xhr = e.detail.xhr;
  var text = (xhr && xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0
    ? xhr.responseText
    : "Terjadi gangguan (" + (xhr ? xhr.status : "?") + "). Muat ulang halaman lalu coba lagi.";
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
