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
  padding: 1rem 1.5rem 4rem; max-width: 110rem; }
h1 { margin: .2rem 0; } h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--line); }
a { color: #0b57d0; }
.muted, .cat { color: var(--muted); font-size: .85em; }
code, pre { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f4f6f8; border: 1px solid var(--line); padding: .5rem .7rem; overflow-x: auto; max-height: 28rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; }
.matrix-wrap { overflow-x: auto; }
#matrix th.target { font-size: .8em; font-weight: 600; text-align: center; min-width: 6.5rem; }
#matrix tbody th { text-align: left; font-weight: 600; min-width: 14rem; }
#matrix td { text-align: center; white-space: nowrap; }
#matrix td a { display: block; text-decoration: none; color: var(--ink); }
.s-holds { background: var(--holds); } .s-drift { background: var(--drift); }
.s-inconclusive { background: var(--inconclusive); } .s-pending { background: var(--pending); }
.s-na { background: var(--na); color: var(--muted); } .s-skipped { background: var(--skipped); }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; border: 1px solid var(--line); }
td.dim { opacity: .18; }
.off { display: none !important; }
#filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: 1rem 0; padding: .6rem .8rem;
  background: #f4f6f8; border: 1px solid var(--line); }
#filters[hidden] { display: none; }
#filters label { display: flex; flex-direction: column; font-size: .8em; color: var(--muted); }
#shown { font-size: .85em; color: var(--muted); }
.legend li { list-style: none; margin: .15rem 0; }
.legend ul { padding-left: 0; }
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

  function apply() {
    var chosen = current();
    var shown = 0;
    all('#matrix [data-provider]').forEach(function (element) {
      element.classList.toggle('off', !!chosen.provider && element.getAttribute('data-provider') !== chosen.provider);
    });
    all('#matrix tbody tr').forEach(function (row) {
      var any = false;
      all('td.cell', row).forEach(function (cell) {
        var match = matches(cell, chosen);
        cell.classList.toggle('dim', !match);
        any = any || match;
      });
      var category = !chosen.category || row.getAttribute('data-category') === chosen.category;
      row.classList.toggle('off', !(any && category));
      if (any && category) {
        shown += all('td.cell:not(.dim)', row).length;
      }
      var article = document.getElementById('quirk-' + row.getAttribute('data-quirk'));
      if (article) { article.classList.toggle('off', !(any && category)); }
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

  all('#matrix td.cell a').forEach(function (link) {
    link.addEventListener('click', function (event) {
      if (openPanel(link.getAttribute('href').slice(1))) { event.preventDefault(); }
    });
  });
  document.getElementById('panel-close').addEventListener('click', function () { panel.hidden = true; });
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') { panel.hidden = true; } });
  keys.forEach(function (key) { document.getElementById('f-' + key).addEventListener('change', apply); });
  document.getElementById('f-reset').addEventListener('click', function () {
    keys.forEach(function (key) { document.getElementById('f-' + key).value = ''; });
    apply();
  });
  form.hidden = false;
  apply();
  window.quirksReport = { apply: apply, openPanel: openPanel, keys: keys };
})();
"""

SELFTEST_JS = """
window.addEventListener('load', function () { window.setTimeout(function () {
  'use strict';
  if (window.location.hash !== '#selftest') { return; }
  var failures = [];
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function visible(element) { return element.getClientRects().length > 0; }
  function shownCells() {
    return all('#matrix td.cell').filter(function (cell) { return visible(cell) && !cell.classList.contains('dim'); });
  }
  function choose(key, value) {
    window.quirksReport.keys.forEach(function (other) { document.getElementById('f-' + other).value = ''; });
    var select = document.getElementById('f-' + key);
    select.value = value;
    if (select.value !== value) { failures.push('filter ' + key + ' has no option ' + value); }
    select.dispatchEvent(new Event('change'));
  }
  try {
    if (!window.quirksReport) { throw new Error('the page script did not start'); }
    var expected = JSON.parse(document.getElementById('expected-counts').textContent);
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
          return (key === 'category' ? cell.parentNode : cell).getAttribute('data-' + key) !== value;
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
    document.getElementById('f-reset').click();
    if (shownCells().length !== expected.total) { failures.push('reset did not show every cell again'); }
    var first = document.querySelector('#matrix td.cell a');
    if (first) {
      first.click();
      var panel = document.getElementById('panel');
      var target = first.parentNode.getAttribute('data-target');
      if (panel.hidden || !visible(panel)) { failures.push('clicking a cell did not open the detail panel'); }
      if (document.getElementById('panel-body').textContent.indexOf(target) < 0) {
        failures.push('the detail panel does not name ' + target);
      }
      document.getElementById('panel-close').click();
      if (!panel.hidden) { failures.push('the detail panel did not close'); }
    }
  } catch (error) {
    failures.push('exception: ' + error);
  }
  var out = document.createElement('pre');
  out.id = 'selftest-result';
  var problems = failures.concat(window.__errors);
  out.textContent = (problems.length ? 'FAIL\\n' + problems.join('\\n') : 'PASS') + '\\n';
  document.body.appendChild(out);
}, 0); });
"""
