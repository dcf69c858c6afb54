// Small behaviours every page may use. The Content-Security-Policy allows no inline script or
// event-handler attribute, so they live here.
document.addEventListener("click", (event) => {
  // A read-only field to copy from (the calendar feed URL): select it all on click.
  const field = event.target.closest && event.target.closest("[data-select-on-click]");
  if (field) field.select();
});
