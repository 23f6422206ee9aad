// Search as you type: fetch the same page's results fragment. Without scripts the form still works.
(function () {
  const form = document.querySelector("form[data-live-search]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const target = document.getElementById("candidates");
  let timer = null;
  let latest = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const ticket = ++latest;
      const url = form.dataset.liveSearch + "?fragment=results&q=" + encodeURIComponent(input.value);
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && ticket === latest) target.innerHTML = await response.text();
    }, 250);
  });
})();
