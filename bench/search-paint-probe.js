// Loaded into the preview's page by bench/run.ts. For each query: types it into the secrets
// search box, commits it (Enter, as the debounce would), and measures the time until the list
// has settled on the answer and the next frame has painted.
window.searchPaint = async (queries) => {
  const input = document.querySelector('input[aria-label="Search secrets"]');
  const listbox = document.querySelector('[role="listbox"][aria-label="Secrets"]');
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const until = (done) =>
    new Promise((resolve) => {
      if (done()) return resolve();
      const observer = new MutationObserver(() => {
        if (!done()) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  const times = [];
  const count = document.querySelector('.result-count');
  for (const query of queries) {
    const before = count.textContent;
    setValue.call(input, query);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const started = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    // The list goes busy when the new question is asked (or the count changes at once), and
    // settles when its answer is on screen.
    await until(() => listbox.getAttribute('aria-busy') === 'true' || count.textContent !== before);
    await until(() => listbox.getAttribute('aria-busy') !== 'true');
    await painted();
    times.push(performance.now() - started);
  }
  return times;
};
