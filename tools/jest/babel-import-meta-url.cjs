/**
 * `import.meta.url` has no CommonJS meaning: give it the file's own URL, as in ESM. And drop
 * `const require = createRequire(import.meta.url)`, which would shadow CommonJS's own require.
 */
function importMetaUrl({ types: t }) {
  return {
    visitor: {
      VariableDeclarator(path) {
        const isProgramLevel = path.parentPath.parentPath.isProgram();
        if (isProgramLevel && t.isIdentifier(path.node.id, { name: 'require' })) path.remove();
      },
      MetaProperty(path) {
        if (path.node.meta.name !== 'import' || !path.parentPath.isMemberExpression()) return;
        if (path.parent.property.name !== 'url') return;
        // Not require('node:url'): some of these modules declare their own `require`.
        path.parentPath.replaceWith(
          t.binaryExpression('+', t.stringLiteral('file://'), t.identifier('__filename')),
        );
      },
    },
  };
}

module.exports = importMetaUrl;
