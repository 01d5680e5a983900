// Test-server plugins for web-test-runner (filled by the XMPP transport work): each returns
// dev-server plugins that start real servers on loopback and tell the browser where they are.
export async function integrationPlugins() {
  return [];
}
