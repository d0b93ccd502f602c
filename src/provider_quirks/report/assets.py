"""The page's inline style and scripts, kept apart from the HTML builder so each reads on its own.

Everything is inline (the page makes no request at all); the page's Content-Security-Policy,
built from these exact texts (``html.content_security_policy``), lets only them run or apply.
``CAPTURE_JS`` runs first and writes every error, every blocked script or load and each
``console.error`` into ``window.__errors``, so the self-test (``index.html#selftest``) can report
them in the DOM for the headless check.
"""

CSS = """
:root { --holds: #cdeccf; --drift: #ffc2c7; --inconclusive: #ffe49a; --pending: #e3e7ec; --na: #f6f7f8;
  --skipped: #e2d9f5; --ink: #1d2330; --muted: #5b6472; --line: #d0d5dc; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto;
  padding: 1rem 1.5rem 4rem; max-width: 110rem; overflow-wrap: break-word; }
h1 { margin: .2rem 0; } h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--line); }
a { color: #0b57d0; }
.muted, .cat { color: var(--muted); font-size: .85em; }
code, pre { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f4f6f8; border: 1px solid var(--line); padding: .5rem .7rem; overflow-x: auto; max-height: 28rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; }
.overview { width: 100%; table-layout: fixed; margin: .5rem 0 1.5rem; }
.overview caption { text-align: left; }
.overview th, .overview td { overflow-wrap: anywhere; }
.overview .quirk-col { width: 15rem; }
.overview thead th { position: sticky; top: 0; z-index: 3; background: #fff; font-size: .85em; text-align: center; }
.overview tbody th { position: sticky; left: 0; z-index: 2; background: #fff; text-align: left; font-weight: 600; }
.overview td { font-size: .85em; text-align: center; }
.overview td a.cell { display: block; text-decoration: none; color: var(--ink); padding: 0 .2rem;
  border-radius: .2rem; }
.overview summary { cursor: pointer; font-weight: 600; }
.overview details ul { list-style: none; margin: .2rem 0 0; padding: 0; }
.overview details li { margin: .15rem 0; }
.overview .variant { font-size: .9em; }
.permalink { float: right; margin-left: .2rem; color: var(--muted); text-decoration: none; font-size: .8em; }
.pcell:target { outline: 3px solid #0b57d0; outline-offset: -3px; }
.s-holds { background: var(--holds); } .s-drift { background: var(--drift); }
.s-inconclusive { background: var(--inconclusive); } .s-pending { background: var(--pending); }
.s-na { background: var(--na); color: var(--muted); } .s-skipped { background: var(--skipped); }
.s-mixed { background: #fff; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; border: 1px solid var(--line); }
a.cell.dim { opacity: .18; }
.off { display: none !important; }
#filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: 1rem 0; padding: .6rem .8rem;
  background: #f4f6f8; border: 1px solid var(--line); }
#filters[hidden] { display: none; }
#filters label { display: flex; flex-direction: column; font-size: .8em; color: var(--muted); }
#shown { font-size: .85em; color: var(--muted); }
.legend ul { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding-left: 0; }
.legend li { list-style: none; }
.quirk { border-top: 2px solid var(--line); margin-top: 2rem; }
.cell-detail { border-left: 4px solid var(--line); padding: .2rem 0 .2rem .9rem; margin: 1.2rem 0; }
.cell-detail:target { border-left-color: #0b57d0; }
.probe { margin: .6rem 0 1rem; }
.provider-view li { margin: .35rem 0; }
#panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(46rem, 100%); overflow-y: auto; background: #fff;
  border-left: 2px solid var(--ink); box-shadow: -.5rem 0 1.5rem rgba(0, 0, 0, .15); padding: 1rem 1.2rem; z-index: 5; }
#panel[hidden] { display: none; }
#panel-close { float: right; font-size: 1.2rem; }
#selftest-result { white-space: pre-wrap; }
"""

CAPTURE_JS = """
window.__errors = [];
window.addEventListener('error', function (event) {
  window.__errors.push('error: ' + (event.message || (event.target && event.target.outerHTML) || event.type) +
    (event.filename ? ' at ' + event.filename + ':' + event.lineno : ''));
}, true);
window.addEventListener('unhandledrejection', function (event) {
  window.__errors.push('unhandled rejection: ' + event.reason);
});
document.addEventListener('securitypolicyviolation', function (event) {
  window.__errors.push('blocked by the page policy: ' + event.blockedURI + ' (' + event.violatedDirective + ')');
});
(function () {
  var original = console.error;
  console.error = function () {
    window.__errors.push('console.error: ' + Array.prototype.slice.call(arguments).join(' '));
    return original.apply(console, arguments);
  };
})();
"""

MAIN_JS = """
(function () {
  'use strict';
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var keys = ['provider', 'category', 'status', 'evidence'];
  var form = document.getElementById('filters');
  var search = document.getElementById('f-search');
  var panel = document.getElementById('panel');
  var panelBody = document.getElementById('panel-body');

  function current() {
    var chosen = {};
    keys.forEach(function (key) { chosen[key] = document.getElementById('f-' + key).value; });
    return chosen;
  }

  function matches(element, chosen) {
    return ['provider', 'status', 'evidence'].every(function (key) {
      return !chosen[key] || element.getAttribute('data-' + key) === chosen[key];
    });
  }

  function found(row, words) {
    var text = row.getAttribute('data-search');
    return words.every(function (word) { return text.indexOf(word) >= 0; });
  }

  function apply() {
    var chosen = current();
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    all('.overview th[data-provider], .overview td[data-provider]').forEach(function (element) {
      element.classList.toggle('off', !!chosen.provider && element.getAttribute('data-provider') !== chosen.provider);
    });
    all('.overview tbody tr').forEach(function (row) {
      var any = false;
      all('a.cell', row).forEach(function (cell) {
        var match = matches(cell, chosen);
        cell.classList.toggle('dim', !match);
        any = any || match;
      });
      var category = !chosen.category || row.getAttribute('data-category') === chosen.category;
      var keep = any && category && found(row, words);
      row.classList.toggle('off', !keep);
      if (keep) {
        shown += all('a.cell:not(.dim)', row).length;
      }
      var article = document.getElementById('quirk-' + row.getAttribute('data-quirk'));
      if (article) { article.classList.toggle('off', !keep); }
    });
    all('.cell-detail').forEach(function (detail) { detail.classList.toggle('off', !matches(detail, chosen)); });
    all('.provider-view').forEach(function (view) {
      view.classList.toggle('off', !!chosen.provider && view.getAttribute('data-provider') !== chosen.provider);
    });
    document.getElementById('shown').textContent = shown + ' cell(s) shown';
  }

  function openPanel(anchor) {
    var detail = document.getElementById(anchor);
    if (!detail) { return false; }
    panelBody.innerHTML = detail.innerHTML;
    panel.hidden = false;
    panel.setAttribute('data-cell', anchor);
    document.getElementById('panel-close').focus();
    return true;
  }

  function follow(hash) {
    var element = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (!element) { return false; }
    if (element.classList.contains('cell-detail')) { return openPanel(element.id); }
    var details = element.classList.contains('pcell') ? element.querySelector('details') : null;
    if (details) { details.open = true; }
    return !!details;
  }

  all('.overview a.cell').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var anchor = link.getAttribute('href').slice(1);
      if (openPanel(anchor)) {
        event.preventDefault();
        window.history.pushState(null, '', '#' + anchor);
      }
    });
  });
  window.addEventListener('hashchange', function () { follow(window.location.hash); });
  document.getElementById('panel-close').addEventListener('click', function () { panel.hidden = true; });
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') { panel.hidden = true; } });
  keys.forEach(function (key) { document.getElementById('f-' + key).addEventListener('change', apply); });
  search.addEventListener('input', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  document.getElementById('f-reset').addEventListener('click', function () {
    keys.forEach(function (key) { document.getElementById('f-' + key).value = ''; });
    search.value = '';
    apply();
  });
  form.hidden = false;
  apply();
  follow(window.location.hash);
  window.quirksReport = { apply: apply, openPanel: openPanel, follow: follow, keys: keys };
})();
"""

SELFTEST_JS = """
window.addEventListener('load', function () { window.setTimeout(function () {
  'use strict';
  if (window.location.hash !== '#selftest') { return; }
  var failures = [];
  var widest = { page: 0, table: 0 };
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function visible(element) { return element.getClientRects().length > 0; }
  function shown(element) { return !element.closest('.off'); }
  function shownCells() {
    return all('.overview a.cell').filter(function (cell) { return shown(cell) && !cell.classList.contains('dim'); });
  }
  function reset() { document.getElementById('f-reset').click(); }
  function choose(key, value) {
    reset();
    var select = document.getElementById('f-' + key);
    select.value = value;
    if (select.value !== value) { failures.push('filter ' + key + ' has no option ' + value); }
    select.dispatchEvent(new Event('change'));
  }
  function measure(state) {
    var room = window.innerWidth;
    var page = document.documentElement.scrollWidth;
    widest.page = Math.max(widest.page, page);
    if (page > room) { failures.push(state + ': the page is ' + page + ' px wide in a ' + room + ' px window'); }
    all('.overview').forEach(function (table) {
      var width = Math.ceil(table.getBoundingClientRect().width);
      widest.table = Math.max(widest.table, width);
      if (width > room) {
        failures.push(state + ': ' + table.id + ' is ' + width + ' px wide in a ' + room + ' px window');
      }
    });
  }
  try {
    if (!window.quirksReport) { throw new Error('the page script did not start'); }
    var expected = JSON.parse(document.getElementById('expected-counts').textContent);
    measure('folded');
    all('.overview details').forEach(function (details) { details.open = true; });
    measure('every cell unfolded');
    all('.overview details').forEach(function (details) { details.open = false; });
    if (shownCells().length !== expected.total) {
      failures.push('unfiltered: ' + shownCells().length + ' cells shown, expected ' + expected.total);
    }
    Object.keys(expected.by).forEach(function (key) {
      Object.keys(expected.by[key]).forEach(function (value) {
        choose(key, value);
        var got = shownCells();
        if (got.length !== expected.by[key][value]) {
          failures.push(key + '=' + value + ': ' + got.length + ' cells shown, expected ' + expected.by[key][value]);
        }
        var wrong = got.filter(function (cell) {
          return (key === 'category' ? cell.closest('tr') : cell).getAttribute('data-' + key) !== value;
        });
        if (wrong.length) { failures.push(key + '=' + value + ': ' + wrong.length + ' cell(s) of another ' + key); }
        if (key === 'provider') {
          var views = all('.provider-view').filter(visible);
          if (views.length !== 1 || views[0].getAttribute('data-provider') !== value) {
            failures.push('provider=' + value + ': ' + views.length + ' provider views shown');
          }
        }
      });
    });
    var search = document.getElementById('f-search');
    Object.keys(expected.search).forEach(function (query) {
      reset();
      search.value = query;
      search.dispatchEvent(new Event('input'));
      var rows = all('.overview tbody tr').filter(shown);
      if (rows.length !== expected.search[query]) {
        failures.push('search ' + query + ': ' + rows.length + ' rows shown, expected ' + expected.search[query]);
      }
      if (!rows.some(function (row) { return row.getAttribute('data-quirk') === query; })) {
        failures.push('search ' + query + ' hides the quirk of that name');
      }
    });
    reset();
    if (shownCells().length !== expected.total) { failures.push('reset did not show every cell again'); }
    var folded = document.querySelector('.overview td.pcell details');
    if (folded && (!window.quirksReport.follow('#' + folded.parentNode.id) || !folded.open)) {
      failures.push('the permalink of a provider cell did not unfold it');
    }
    var first = document.querySelector('.overview a.cell');
    if (first) {
      first.click();
      var panel = document.getElementById('panel');
      var target = first.getAttribute('data-target');
      if (panel.hidden || !visible(panel)) { failures.push('clicking a cell did not open the detail panel'); }
      if (document.getElementById('panel-body').textContent.indexOf(target) < 0) {
        failures.push('the detail panel does not name ' + target);
      }
      if (window.location.hash !== first.getAttribute('href')) {
        failures.push('clicking a cell did not set its permalink: ' + window.location.hash);
      }
      document.getElementById('panel-close').click();
      if (!panel.hidden) { failures.push('the detail panel did not close'); }
    }
  } catch (error) {
    failures.push('exception: ' + error);
  }
  var out = document.createElement('pre');
  out.id = 'selftest-result';
  out.setAttribute('data-window', String(window.innerWidth));
  out.setAttribute('data-page-width', String(widest.page));
  out.setAttribute('data-table-width', String(widest.table));
  var problems = failures.concat(window.__errors);
  out.textContent = (problems.length ? 'FAIL\\n' + problems.join('\\n') : 'PASS') + '\\n';
  document.body.appendChild(out);
}, 0); });
"""
