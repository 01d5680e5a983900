// `npm run analyze` → custom-elements.json at the package root (package.json "customElements"),
// read by IDEs, Storybook and docs sites. The analyzer reads the JSDoc tags STYLE.md asks for
// on every component class (@summary, @slot, @event, @csspart, @cssproperty).

/**
 * The analyzer finds tag names in `customElements.define()` calls and `@customElement`; impp-kit
 * registers through its guarded `defineElement(TAGS.chat, ImppChat)` (src/components/define.ts)
 * and declares `HTMLElementTagNameMap { 'impp-chat': ImppChat }`. This plugin reads both, marks
 * each class as a custom element with its tag name, and records the definition as an export of
 * the module that calls `defineElement`.
 */
function impptags() {
  /** tagName → { className, module (path of the defining call, if one was seen) }. */
  const tags = new Map();
  /** `Class.field` of internal reactive state (`static properties = { x: { state: true } }`): no attribute. */
  const states = new Set();

  /** A string literal, or `NAME.key` of a `const NAME = { key: '…' }` in the same file. */
  function tagText(ts, expr) {
    if (ts.isStringLiteralLike(expr)) return expr.text;
    if (!ts.isPropertyAccessExpression(expr) || !ts.isIdentifier(expr.expression)) return undefined;
    let found;
    const visit = (n) => {
      if (found === undefined && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === expr.expression.text) {
        let init = n.initializer;
        while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression?.(init) || ts.isParenthesizedExpression(init))) init = init.expression;
        const prop = init && ts.isObjectLiteralExpression(init)
          ? init.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === expr.name.text) : undefined;
        if (prop && ts.isStringLiteralLike(prop.initializer)) found = prop.initializer.text;
      }
      if (found === undefined) ts.forEachChild(n, visit);
    };
    visit(expr.getSourceFile());
    return found;
  }

  return {
    name: 'impp-tags',
    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isClassDeclaration(node) && node.name) {
        for (const m of node.members) {
          if (!ts.isPropertyDeclaration(m) || m.name.getText() !== 'properties' || !m.initializer || !ts.isObjectLiteralExpression(m.initializer)) continue;
          for (const p of m.initializer.properties) {
            if (ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.initializer) && p.initializer.properties.some((o) =>
              ts.isPropertyAssignment(o) && o.name.getText() === 'state' && o.initializer.kind === ts.SyntaxKind.TrueKeyword)) {
              states.add(`${node.name.text}.${p.name.getText()}`);
            }
          }
        }
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'defineElement') {
        const [tag, ctor] = node.arguments;
        const tagName = tag && tagText(ts, tag);
        if (tagName && ctor && ts.isIdentifier(ctor)) tags.set(tagName, { className: ctor.text, module: moduleDoc.path });
      } else if (ts.isInterfaceDeclaration(node) && node.name.text === 'HTMLElementTagNameMap') {
        for (const m of node.members) {
          if (ts.isPropertySignature(m) && m.name && ts.isStringLiteralLike(m.name) && m.type && ts.isTypeReferenceNode(m.type)) {
            const tagName = m.name.text;
            if (!tags.has(tagName)) tags.set(tagName, { className: m.type.typeName.getText(), module: undefined });
          }
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules ?? [];
      // The built-in rule reads `customElements.define(tag, ctor)` inside defineElement itself
      // as a definition of an element named "tag"; valid custom element names contain a '-'.
      for (const m of modules) {
        m.exports = m.exports?.filter((e) => e.kind !== 'custom-element-definition' || e.name.includes('-'));
        for (const d of m.declarations ?? []) {
          if (d.attributes) d.attributes = d.attributes.filter((a) => !states.has(`${d.name}.${a.fieldName}`));
        }
      }
      for (const [tagName, { className, module }] of tags) {
        const home = modules.find((m) => m.declarations?.some((d) => d.kind === 'class' && d.name === className));
        const decl = home?.declarations.find((d) => d.kind === 'class' && d.name === className);
        if (!decl) continue;
        Object.assign(decl, { customElement: true, tagName });
        const caller = module && modules.find((m) => m.path === module);
        if (caller) {
          caller.exports ??= [];
          caller.exports.push({ kind: 'custom-element-definition', name: tagName, declaration: { name: className, module: home.path } });
        }
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.test.ts', 'src/components/**/*.styles.ts'],
  outdir: '.',
  // Lit: reactive properties from `static properties` (state entries dropped by the plugin), attribute names, static styles.
  litelement: true,
  // package.json already declares "customElements"; letting the analyzer rewrite the file
  // would race with everyone else editing it.
  packagejson: false,
  dev: false,
  plugins: [impptags()],
};
