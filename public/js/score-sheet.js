// Score sheet (一卷一表): the running total, section subtotals and grade, recomputed as the reviewer types.
// Progressive enhancement only: the page works without this file, and the server's scoring engine recomputes
// everything on every save. The arithmetic mirrors scoreReview (src/domain/rubric/scoring.ts) in integer tenths:
// item = count × points (per occurrence) or the chosen points (range), capped at the item's cap; a section loses
// at most its points (扣完为止); total = scale − deductions, never below 0; vetoes: the strongest effect decides
// (zero > fail > bar_top; among equals the first in the rubric).
(function () {
  'use strict';

  var RANK = { zero: 3, fail: 2, bar_top: 1 };
  var MAX_OCCURRENCES = 999;
  var COUNT_RE = /^\d{1,6}$/;
  var POINTS_RE = /^(\d{1,3})(?:\.(\d))?$/;

  /** Tenths for display: 875 → "87.5", 900 → "90". */
  function fmt(tenths) {
    var sign = tenths < 0 ? '-' : '';
    var abs = Math.abs(tenths);
    var rest = abs % 10;
    return sign + Math.floor(abs / 10) + (rest === 0 ? '' : '.' + rest);
  }

  function gradeIndex(grades, tenths) {
    for (var i = 0; i < grades.length; i++) if (tenths >= grades[i].min) return i;
    return grades.length - 1;
  }

  function escapeAttr(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, '\\$&');
  }

  function field(form, name) {
    var el = form.elements.namedItem(name);
    return el && el.nodeType === 1 ? el : null;
  }

  /** One item's control as typed: empty (not marked), ok (tenths before the cap) or invalid (with a message). */
  function readItem(item, input) {
    if (!input) return { state: 'empty', tenths: 0 };
    if (input.validity && input.validity.badInput) {
      return { state: 'invalid', tenths: 0, message: item.type === 'per_occurrence' ? '请填写 0 到 ' + MAX_OCCURRENCES + ' 的整数' : '请填写有效的分值' };
    }
    var value = input.value.trim();
    if (value === '') return { state: 'empty', tenths: 0 };
    if (item.type === 'per_occurrence') {
      if (!COUNT_RE.test(value) || Number(value) > MAX_OCCURRENCES) {
        return { state: 'invalid', tenths: 0, message: '次数应为 0 到 ' + MAX_OCCURRENCES + ' 的整数' };
      }
      var count = Number(value);
      return count === 0 ? { state: 'empty', tenths: 0 } : { state: 'ok', tenths: count * item.points };
    }
    var range = fmt(item.min) + '–' + fmt(item.max) + ' 分';
    var m = POINTS_RE.exec(value);
    if (!m) return { state: 'invalid', tenths: 0, message: '扣分分值最多保留一位小数，应在 ' + range + '之间' };
    var tenths = Number(m[1]) * 10 + Number(m[2] || 0);
    if (tenths < item.min || tenths > item.max) return { state: 'invalid', tenths: 0, message: '扣分分值应在 ' + range + '之间' };
    return { state: 'ok', tenths: tenths };
  }

  /** The same result scoreReview gives for the marks on the page (invalid entries count as not marked). */
  function compute(rubric, form) {
    var items = {};
    var marks = 0;
    var sections = rubric.sections.map(function (section) {
      var raw = 0;
      section.items.forEach(function (item) {
        var name = (item.type === 'per_occurrence' ? 'count.' : 'points.') + item.code;
        var read = readItem(item, field(form, name));
        var capped = read.state === 'ok' && item.cap !== null && read.tenths > item.cap;
        var deducted = capped ? item.cap : read.tenths;
        if (read.state === 'ok') marks++;
        items[item.code] = { state: read.state, message: read.message || '', raw: read.tenths, deducted: deducted, capped: capped };
        raw += deducted;
      });
      var exhausted = raw > section.points;
      var sectionDeducted = exhausted ? section.points : raw;
      return { code: section.code, raw: raw, deducted: sectionDeducted, subtotal: section.points - sectionDeducted, exhausted: exhausted };
    });
    var deducted = sections.reduce(function (sum, s) { return sum + s.deducted; }, 0);
    var pointsScore = Math.max(0, rubric.scale - deducted);

    var grades = rubric.grades;
    var deciding = null;
    var marked = [];
    rubric.vetoes.forEach(function (veto) {
      var box = field(form, 'veto.' + veto.code);
      if (!box || !box.checked) return;
      marked.push(veto);
      if (!deciding || RANK[veto.effect] > RANK[deciding.effect]) deciding = veto;
    });
    marks += marked.length;
    var before = gradeIndex(grades, pointsScore);
    var firstFailing = -1;
    for (var i = 0; i < grades.length; i++) if (!grades[i].passing) { firstFailing = i; break; }
    var failingIndex = firstFailing >= 0 ? firstFailing : grades.length - 1;
    var total = pointsScore;
    var index = before;
    var changed = false;
    if (deciding && deciding.effect === 'zero') {
      total = 0;
      index = Math.max(gradeIndex(grades, 0), failingIndex);
      changed = true;
    } else if (deciding && deciding.effect === 'fail') {
      index = Math.max(before, failingIndex);
      changed = true;
    } else if (deciding && deciding.effect === 'bar_top' && before === 0 && grades.length > 1) {
      index = 1;
      changed = true;
    }
    var vetoNote = '';
    if (deciding && changed && deciding.effect === 'zero') vetoNote = '否决项 ' + deciding.code + '：计 0 分，' + grades[index].label;
    else if (deciding && changed && deciding.effect === 'fail') vetoNote = '否决项 ' + deciding.code + '：评为' + grades[index].label + '，保留得分';
    else if (deciding && changed) vetoNote = '否决项 ' + deciding.code + '：不得评为' + grades[0].label + '，由' + grades[0].label + '降为' + grades[index].label;
    else if (deciding) vetoNote = '否决项 ' + deciding.code + '：不得评为' + grades[0].label + '（得分未达到' + grades[0].label + '，等次不变）';
    return {
      items: items, sections: sections, deducted: deducted, pointsScore: pointsScore, total: total,
      grade: grades[index], vetoNote: vetoNote, marks: marks,
    };
  }

  function setText(root, selector, text) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = text;
  }

  function render(rubric, form, result) {
    setText(form, '[data-summary="deducted"]', fmt(result.deducted));
    setText(form, '[data-summary="total"]', fmt(result.total));
    var grade = form.querySelector('[data-summary="grade"]');
    if (grade) {
      grade.textContent = result.grade.label;
      grade.classList.toggle('failing', !result.grade.passing);
    }
    var veto = form.querySelector('[data-summary="veto"]');
    if (veto) {
      veto.textContent = result.vetoNote;
      veto.hidden = result.vetoNote === '';
    }
    result.sections.forEach(function (s) {
      var code = escapeAttr(s.code);
      setText(form, '[data-section-deducted="' + code + '"]', fmt(s.deducted));
      setText(form, '[data-section-subtotal="' + code + '"]', fmt(s.subtotal));
      var exhausted = form.querySelector('[data-section-exhausted="' + code + '"]');
      if (exhausted) exhausted.hidden = !s.exhausted;
      var row = form.querySelector('[data-summary-section="' + code + '"]');
      if (row) row.classList.toggle('has-deduction', s.deducted > 0);
    });
    rubric.sections.forEach(function (section) {
      section.items.forEach(function (item) {
        var r = result.items[item.code];
        var row = form.querySelector('[data-item="' + escapeAttr(item.code) + '"]');
        if (!row) return;
        row.classList.toggle('has-deduction', r.state === 'ok');
        row.classList.toggle('is-invalid', r.state === 'invalid');
        var out = row.querySelector('[data-item-deducted]');
        if (out) out.textContent = r.state === 'ok' ? '扣 ' + fmt(r.deducted) + ' 分' + (r.capped ? '（计 ' + fmt(r.raw) + ' 分，按上限 ' + fmt(item.cap) + ' 分计）' : '') : '';
        var live = row.querySelector('[data-live-error]');
        if (live) {
          live.textContent = r.message;
          live.hidden = r.state !== 'invalid';
        }
      });
    });
    var rows = form.querySelectorAll('[data-veto]');
    for (var i = 0; i < rows.length; i++) {
      var code = rows[i].getAttribute('data-veto');
      var box = field(form, 'veto.' + code);
      var note = field(form, 'vetonote.' + code);
      var checked = Boolean(box && box.checked);
      rows[i].classList.toggle('is-marked', checked);
      rows[i].classList.toggle('needs-note', checked && Boolean(note) && note.value.trim() === '');
    }
    var clean = form.querySelector('.confirm-clean');
    if (clean) clean.classList.toggle('not-needed', result.marks > 0);
    var basis = form.querySelector('[data-summary="basis"]');
    var fields = form.querySelector('fieldset.sheet-fields');
    if (basis && !(fields && fields.disabled)) basis.textContent = '随填写实时计算；保存时系统重新计算，以系统计算结果为准。';
  }

  /** A veto's note, document and page stay folded away until it is checked (or already hold something). */
  function syncVetoFields(form, row, focus) {
    var code = row.getAttribute('data-veto');
    var box = field(form, 'veto.' + code);
    var fields = row.querySelector('[data-veto-fields]');
    if (!box || !fields) return;
    var filled = false;
    var inputs = fields.querySelectorAll('input, textarea');
    for (var i = 0; i < inputs.length; i++) if (inputs[i].value.trim() !== '') filled = true;
    var hasError = Boolean(row.querySelector('.field-error'));
    fields.hidden = !box.checked && !filled && !hasError;
    if (focus && box.checked) {
      var note = field(form, 'vetonote.' + code);
      if (note && note.value.trim() === '') note.focus();
    }
  }

  function init() {
    var form = document.querySelector('form[data-score-sheet]');
    var data = document.getElementById('sheet-rubric');
    if (!form || !data) return;
    var rubric;
    try {
      rubric = JSON.parse(data.textContent || '');
    } catch (e) {
      return; // the page still works; the server computes the score on save
    }
    var update = function () { render(rubric, form, compute(rubric, form)); };
    var vetoRows = form.querySelectorAll('[data-veto]');
    for (var i = 0; i < vetoRows.length; i++) syncVetoFields(form, vetoRows[i], false);
    form.addEventListener('input', update);
    form.addEventListener('change', function (event) {
      var target = event.target;
      if (target && target.name && target.name.indexOf('veto.') === 0) {
        var row = target.closest('[data-veto]');
        if (row) syncVetoFields(form, row, true);
      }
      update();
    });
    // Only the submit button asks for confirmation (public/js/app.js reads data-confirm from forms, not buttons).
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      var message = submitter && submitter.getAttribute && submitter.getAttribute('data-confirm');
      if (message && !window.confirm(message)) event.preventDefault();
    });
    update();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
