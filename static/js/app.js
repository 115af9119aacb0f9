// Hợp Lực — the little JavaScript the pages use. No inline scripts anywhere (the Content
// Security Policy forbids them): behaviour is attached here by data attributes.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
