// When a form comes back with errors, move focus to the summary at the top, so that keyboard and
// screen reader users start at the list of problems. Each item links to its field.
(function () {
  const summary = document.querySelector(".error-summary[role=alert]");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
