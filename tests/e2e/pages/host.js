// The host page's own script on the test pages: a button that counts its clicks (it must keep
// working next to any reader) and addReader(id, attributes), with which tests add one reader per case.
document.getElementById("host-button").addEventListener("click", () => {
  const out = document.getElementById("host-count");
  out.textContent = String(Number(out.textContent) + 1);
});
window.addReader = (id, attributes) => {
  const host = document.createElement("div");
  host.id = id;
  host.setAttribute("data-commune-reader", "");
  for (const [name, value] of Object.entries(attributes)) host.setAttribute(name, value);
  document.getElementById("readers").appendChild(host);
};
