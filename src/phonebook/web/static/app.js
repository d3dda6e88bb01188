// Progressive enhancement only: every form works without this file.
"use strict";

// Ask before a delete form posts. The form's data-confirm contains the question.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Put the cursor in the edit form's first field when a row opens for editing.
document.addEventListener("DOMContentLoaded", () => {
  const field = document.getElementById("edit-name");
  if (field instanceof HTMLInputElement) {
    field.focus();
    field.select();
  }
});
