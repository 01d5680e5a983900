// Page chrome, not part of the usage: shows the page's own script (#demo-script) verbatim in
// #script-source, so what a visitor reads is exactly what runs.
document.getElementById('script-source').textContent = document.getElementById('demo-script').textContent.trim();
