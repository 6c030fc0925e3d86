// Jamsostek dashboard: sortable tables, map and table highlighting each other, filters that
// apply on change. The page works without it; this only adds convenience. No dependencies.
(function () {
  "use strict";

  function sortTable(table, column, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = a.cells[column], y = b.cells[column];
      var p = x.getAttribute("data-value"), q = y.getAttribute("data-value");
      var result;
      if (numeric) {
        var m = p === "" || p === null ? -Infinity : parseFloat(p);
        var n = q === "" || q === null ? -Infinity : parseFloat(q);
        result = m - n;
      } else {
        result = x.textContent.trim().localeCompare(y.textContent.trim(), document.documentElement.lang);
      }
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(header.parentNode.cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function highlight(code, on) {
    document.querySelectorAll('[data-region="' + code + '"]').forEach(function (node) {
      node.classList.toggle("hover", on);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
        if (!header.hasAttribute("data-sort")) { return; }
        header.tabIndex = 0;
        header.addEventListener("click", function () { sortTable(table, column, header); });
        header.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortTable(table, column, header); }
        });
      });
    });
    document.querySelectorAll("[data-region]").forEach(function (node) {
      var code = node.getAttribute("data-region");
      node.addEventListener("mouseenter", function () { highlight(code, true); });
      node.addEventListener("mouseleave", function () { highlight(code, false); });
    });
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
