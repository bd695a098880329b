// Escape closes what is open: a <details> popover (the people list) folds and
// focus goes back to its summary, so a keyboard user is never left inside it.
// Modal <dialog>s close on Escape by themselves.

export function closeDetailsOnEscape(root = document) {
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !(e.target instanceof Element)) return;
    const open = e.target.closest('details[open]');
    if (!open) return;
    open.open = false;
    open.querySelector('summary')?.focus();
    // handled: the hall must not also take Escape as "stand up"
    e.stopPropagation();
  }, true);
}
