// The plain JavaScript inlined into the report (no library but the chart one): draws the charts
// from their JSON block, sorts tables by a clicked header, filters the list of changed subjects,
// opens a subject's details when a link points at it, and opens every details before printing.
// Kept as source text, not a compiled function, so that what runs in the page is exactly what is
// hashed into its Content-Security-Policy.

/** The script, as it is written into the page. */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var charts = [];
  var specs = JSON.parse(document.getElementById('guize-charts').textContent);
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(spec.option);
    charts.push(chart);
  });
  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resizeAll);

  // Sorting: cells carry data-sort (a number) or are compared as text. Numbers compare as
  // JavaScript numbers: this only orders rows on screen, nothing is computed from it.
  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var n = cell.getAttribute('data-sort');
    return n !== null && n !== '' ? Number(n) : cell.textContent.trim();
  }
  function compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        // Stable: equal keys keep their order, by the original position.
        rows.forEach(function (row, i) { if (!row.hasAttribute('data-index')) row.setAttribute('data-index', String(i)); });
        rows.sort(function (a, b) {
          var c = compare(cellKey(a, index), cellKey(b, index));
          if (!ascending) c = -c;
          return c !== 0 ? c : Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index'));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // The changed subjects: filter by transition and by id.
  var list = document.getElementById('changed-table');
  var byTransition = document.getElementById('transition-filter');
  var byId = document.getElementById('id-filter');
  var shown = document.getElementById('shown-count');
  function applyFilter() {
    if (!list) return;
    var t = byTransition ? byTransition.value : '';
    var q = byId ? byId.value.trim().toLowerCase() : '';
    var count = 0;
    Array.prototype.forEach.call(list.tBodies[0].rows, function (row) {
      var ok = (t === '' || row.getAttribute('data-transition') === t) &&
        (q === '' || row.cells[0].textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) count++;
    });
    if (shown) shown.textContent = String(count);
  }
  if (byTransition) byTransition.addEventListener('change', applyFilter);
  if (byId) byId.addEventListener('input', applyFilter);

  // A link to a subject opens its details.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
    resizeAll();
  });
  window.addEventListener('afterprint', resizeAll);
})();
`;
