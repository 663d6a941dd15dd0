module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The browser test runs in Node (it starts the portal and drives Chromium), not in the app.
      files: ['e2e-tests/**'],
      rules: {
        'no-console': 'off',
        'no-restricted-imports': 'off',
        'no-restricted-syntax': 'off',
      },
    },
  ],
});
