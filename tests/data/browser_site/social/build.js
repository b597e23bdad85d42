// Builds a fixture page from the HTML in <template id="page"> shortly after load (like the
// real networks, whose pages arrive by script), so a plain HTTP fetch sees an empty shell.
window.addEventListener("load", () => setTimeout(() => {
  const t = document.getElementById("page");
  document.getElementById("root").appendChild(t.content.cloneNode(true));
}, 50));
