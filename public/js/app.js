// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Ask before destructive or irreversible actions (forms marked data-confirm).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // "Back" links on error pages go back when there is somewhere to go.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('[data-back]');
    if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
  // Print buttons (an inline onclick would break the CSP).
  document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-print]')) window.print();
  });
  // The reviewer fields of the user form only matter for reviewers.
  document.addEventListener('DOMContentLoaded', function () {
    var role = document.querySelector('[data-role-select]');
    var fields = document.querySelector('[data-reviewer-fields]');
    if (!role || !fields) return;
    var sync = function () { fields.hidden = role.value !== 'reviewer'; };
    role.addEventListener('change', sync);
    sync();
  });
})();
